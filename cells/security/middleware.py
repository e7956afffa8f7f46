import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from cells.models import SecurityEvent
from cells.security.events import security_event_record
from cells.security.sessions import TWO_FACTOR, session_expired, session_touch
from cells.security.two_factor import State

# The app's own pages need no inline script or style (templates load static/js and static/css).
# Bootstrap's icons are data: images inside its stylesheet.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    ]
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class SessionLimitMiddleware:
    """Ends a session 30 minutes after its last request or 12 hours after signing in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            reason = session_expired(request.session, now)
            if reason:
                request.vanlang_sign_out_reason = f"session limit: {reason}"
                logout(request)
                if reason == "idle":
                    text = _("Your session ended after %(minutes)d minutes without activity. Log in again.")
                    messages.info(request, text % {"minutes": settings.SESSION_COOKIE_AGE // 60})
                else:
                    text = _("Your session ended %(hours)g hours after you logged in. Log in again.")
                    messages.info(request, text % {"hours": settings.VANLANG_SESSION_MAX_HOURS})
                return redirect_to_login(request.get_full_path())
            session_touch(request.session, now)
        return self.get_response(request)


# Where a user who still owes a second factor may go.
TWO_FACTOR_OPEN = {"login", "logout", "set_language", "account:verify", "account:recovery", "account:setup"}


class TwoFactorMiddleware:
    """A signed-in user who owes a second factor reaches only the pages that settle it.

    What is owed was decided at sign-in (cells.security.sessions.session_start), so this costs
    no query; django-otp's middleware says whether this session has been verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            state = request.session.get(TWO_FACTOR, State.NONE)
            if state != State.NONE and not request.user.is_verified() and not self._open(request):
                target = "account:verify" if state == State.VERIFY else "account:setup"
                return redirect(reverse(target) + "?" + urlencode({"next": request.get_full_path()}))
        return self.get_response(request)

    @staticmethod
    def _open(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.view_name in TWO_FACTOR_OPEN


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DownloadLogMiddleware:
    """Every Excel export, printed document (PDF) and file download goes into the security log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 200 and request.user.is_authenticated:
            kind = self._kind(response)
            if kind:
                detail = response.get("Content-Disposition", "").partition("filename=")[2].strip('"')
                security_event_record(kind=kind, request=request, detail=detail)
        return response

    @staticmethod
    def _kind(response):
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if content_type == XLSX or content_type == "text/csv":
            return SecurityEvent.Kind.EXPORT
        if isinstance(response, FileResponse):
            return SecurityEvent.Kind.DOWNLOAD
        if content_type == "application/pdf":
            return SecurityEvent.Kind.PRINT
        return None
