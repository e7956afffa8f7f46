"""The user's own notifications: the bell's list. Opening it marks the shown ones read."""

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from cells.access import Perm, ScopedMixin
from cells.notifications import notifications_mark_read, notifications_of


class NotificationListView(ScopedMixin, TemplateView):
    """Only the user's own notifications: the scope is the user, nobody else's can be read."""

    permission = Perm.VIEW
    template_name = "cells/notification_list.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        page = Paginator(notifications_of(self.request.user), self.per_page).get_page(self.request.GET.get("page"))
        items = list(page.object_list)
        unread = [n.pk for n in items if n.read_at is None]
        if unread:
            notifications_mark_read(user=self.request.user, ids=unread)
            # The navbar reads the count from the role fetched before the update.
            self.role.unread_notifications = max(0, self.role.unread_notifications - len(unread))
        return super().get_context_data(page=page, items=items, **kwargs)
