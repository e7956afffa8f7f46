"""The security log: who signed in, failed, was locked out, signed out, was refused an object
of another unit, exported or printed what, from which address, and when."""

import ipaddress

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from cells.models import SecurityEvent, UserRole

Kind = SecurityEvent.Kind


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: from VANLANG_TRUSTED_PROXY_HEADER when set, else REMOTE_ADDR.

    With X-Forwarded-For the last entry counts: it is the one our own proxy appended; the
    entries before it are whatever the client sent. Used by django-axes for the lockout too.
    """
    header = settings.VANLANG_TRUSTED_PROXY_HEADER
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        address = _valid_address(raw.split(",")[-1]) if raw else None
        if address:
            return address
    return _valid_address(request.META.get("REMOTE_ADDR", "") or "")


def _organization_id(user):
    if user is None or not getattr(user, "pk", None):
        return None
    role = getattr(user, "_vanlang_role_cache", None)
    if role is not None:
        return role.organization_id
    return UserRole.objects.filter(user_id=user.pk).values_list("organization_id", flat=True).first()


def security_event_record(*, kind: str, request=None, user=None, username: str = "", detail: str = "") -> SecurityEvent:
    """Write one line of the security log. `user` defaults to the request's signed-in user."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    if user is not None and not username:
        username = user.get_username()
    elif user is None and username:
        user = get_user_model().objects.filter(username=username).first()
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        organization_id=_organization_id(user),
        ip=client_ip(request) if request is not None else None,
        path=request.get_full_path()[:500] if request is not None else "",
        detail=str(detail)[:500],
    )


@receiver(user_logged_in, dispatch_uid="cells.security.signed_in")
def _signed_in(sender, request, user, **kwargs):
    if request is None:
        return
    from cells.security.sessions import session_start

    session_start(request=request, user=user)
    security_event_record(kind=Kind.SIGN_IN, request=request, user=user, detail="password")


@receiver(user_logged_out, dispatch_uid="cells.security.signed_out")
def _signed_out(sender, request, user, **kwargs):
    if request is None or user is None:
        return
    reason = getattr(request, "vanlang_sign_out_reason", "")
    security_event_record(kind=Kind.SIGN_OUT, request=request, user=user, detail=reason)


@receiver(user_login_failed, dispatch_uid="cells.security.sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    username = str(credentials.get("username") or "")
    security_event_record(kind=Kind.SIGN_IN_FAILED, request=request, username=username, detail="password")


@receiver(user_locked_out, dispatch_uid="cells.security.locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs):
    if request is None:
        return
    security_event_record(kind=Kind.LOCKED_OUT, request=request, username=str(username or ""))
