"""A create form posted twice (a double click, a reload, a second tab) is answered as the first time.

The form carries a random token. When its post succeeds with a redirect, the session keeps
where it went; a second post of the same token is sent there again instead of creating the
record a second time (or failing on a unique constraint). Two posts that cross in flight are
left to the services, which lock or check the database.
"""

import re
import secrets

from django.shortcuts import redirect

FIELD = "once"
SESSION_KEY = "answered_forms"
KEEP = 20
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class SubmitOnceMixin:
    """Put after ScopedMixin; templates add `{% include "_once.html" %}` inside the form."""

    def posted_token(self) -> str:
        token = self.request.POST.get(FIELD, "") if self.request.method == "POST" else ""
        return token if TOKEN.fullmatch(token) else ""

    def dispatch(self, request, *args, **kwargs):
        token = self.posted_token()
        answered = request.session.get(SESSION_KEY, {}) if token else {}
        if token in answered:
            return redirect(answered[token])
        response = super().dispatch(request, *args, **kwargs)
        if token and response.status_code in (301, 302, 303):
            answered = dict(request.session.get(SESSION_KEY, {}))
            answered[token] = response["Location"]
            request.session[SESSION_KEY] = dict(list(answered.items())[-KEEP:])
        return response

    def get_context_data(self, **kwargs):
        kwargs.setdefault("once_token", self.posted_token() or secrets.token_urlsafe(24))
        return super().get_context_data(**kwargs)
