"""The home page: the first page after sign-in, one per role, answering "what is there to do today?".

It reads all three apps, so it lives here at the top of the arrows (plans → assessments → cells).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from cells.access import Perm, ScopedMixin
from cells.lifespan import ended_notice
from cells.models import UserRole
from cells.runs import QUEUE_DOWN
from plans.queries import home as queries
from plans.services.home import scope_is_large, staff_home_snapshot

Role = UserRole.Role


class HomeView(ScopedMixin, TemplateView):
    permission = Perm.VIEW

    def get_template_names(self):
        return [f"plans/home/{self.role.role}.html"]

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        # A unit that ended (the 2025 reform) says so first, and where its work went.
        context = {"today": today, "scope": self.scope, "notice": ended_notice(self.scope, self.scope)}
        if self.role.role == Role.STAFF:
            context.update(self.staff_context(today))
        elif self.role.role == Role.STANDING:
            context["home"] = queries.standing_home(self.scope, self.request.user, today)
        elif self.role.role == Role.SECRETARY:
            context["home"] = queries.secretary_home(self.scope, today)
        else:
            context["changes"] = queries.latest_changes(self.scope)
        return super().get_context_data(**context, **kwargs)

    def staff_context(self, today) -> dict:
        """Live figures for a district or smaller; above a district, the stored ones (see
        plans.services.home), with the time they were computed and the run computing newer ones."""
        if not scope_is_large(self.scope):
            home = queries.staff_home(self.scope, today)
            return {"home": home, "chart": staff_chart(home)}
        stored = staff_home_snapshot(scope=self.scope, user=self.request.user, today=today)
        context = {"home": stored.home, "snapshot": stored, "queue_down": QUEUE_DOWN}
        if stored.home is not None:
            context["chart"] = staff_chart(stored.home)
        return context


def staff_chart(home: queries.StaffHome) -> dict:
    """What the staff home's charts draw, read by static/js/home.js from a json_script block."""
    return {
        "plans": {
            "labels": [_("On track"), _("Late (a task is overdue)"), _("Done")],
            "values": [home.plans.on_track, home.plans.late, home.plans.done],
        },
        "admissions": {
            "labels": [row.name for row in home.admissions.rows],
            "admitted": [row.admitted for row in home.admissions.rows],
            "quota": [row.quota for row in home.admissions.rows],
            "admitted_label": _("Admitted"),
            "quota_label": _("Quota"),
        },
    }
