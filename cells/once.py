"""A create form posted twice (a double click, a reload, a second tab) is answered as the first time.

The form carries a random token. Its post inserts the token (unique per user) in the same
transaction as the work, and stores where the answer redirected; a second post of the same token
is sent there instead of creating the record a second time. Two posts that cross in flight are
held by the database: the second insert waits for the first transaction, then finds its row.
A form answered with errors forgets its token, so the corrected post goes through.
"""

import datetime
import re
import secrets

from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone

from cells.models import AnsweredPost

FIELD = "once"
KEEP = datetime.timedelta(days=1)
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class SubmitOnceMixin:
    """Put after ScopedMixin; templates add `{% include "_once.html" %}` inside the form."""

    def posted_token(self) -> str:
        token = self.request.POST.get(FIELD, "") if self.request.method == "POST" else ""
        return token if TOKEN.fullmatch(token) else ""

    def dispatch(self, request, *args, **kwargs):
        token = self.posted_token()
        if not token or not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    answered = AnsweredPost.objects.create(user=request.user, token=token)
            except IntegrityError:
                location = (
                    AnsweredPost.objects.filter(user=request.user, token=token)
                    .values_list("location", flat=True)
                    .first()
                )
                if location:
                    return redirect(location)
                return super().dispatch(request, *args, **kwargs)
            AnsweredPost.objects.filter(user=request.user, created__lt=timezone.now() - KEEP).delete()
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code in (301, 302, 303):
                answered.location = response["Location"][:500]
                answered.save(update_fields=["location"])
            else:
                answered.delete()
        return response

    def get_context_data(self, **kwargs):
        kwargs.setdefault("once_token", self.posted_token() or secrets.token_urlsafe(24))
        return super().get_context_data(**kwargs)
