"""Two-factor sign-in with django-otp: an authenticator app (TOTP) and one-time recovery codes.

Required for staff, standing-committee members, auditors and anyone with the admin site when
VANLANG_TWO_FACTOR is on; optional for secretaries. Whoever has set it up is asked for a code at
every sign-in, whatever the setting.
"""

import segno
from django.conf import settings
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cells.access import Role, role_of

REQUIRED_ROLES = {Role.STAFF, Role.STANDING, Role.AUDITOR}
AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"


class State:
    """What a signed-in user owes before reaching the app (kept in the session)."""

    NONE = "none"
    VERIFY = "verify"
    SET_UP = "set_up"


def two_factor_required(user) -> bool:
    if not settings.VANLANG_TWO_FACTOR:
        return False
    if user.is_staff or user.is_superuser:
        return True
    role = role_of(user)
    return role is not None and role.role in REQUIRED_ROLES


def two_factor_state(user) -> str:
    if user_has_device(user):
        return State.VERIFY
    return State.SET_UP if two_factor_required(user) else State.NONE


def authenticator_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def authenticator_pending(*, user) -> TOTPDevice:
    """The authenticator being set up: a new secret until its first code is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def authenticator_confirm(*, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


def recovery_codes_issue(*, user) -> list[str]:
    """New one-time recovery codes; the old ones stop working. Each works once. They are shown
    only on the page that creates them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.VANLANG_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_reset(*, user) -> int:
    """Remove every device of `user` (a lost phone): they set it up again at their next sign-in."""
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    return deleted + StaticDevice.objects.filter(user=user).delete()[0]


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code, drawn on the server (no CDN, no script)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


def secret_groups(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
