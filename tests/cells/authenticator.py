"""An authenticator app for tests: TOTP codes computed with django-otp's own algorithm."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the phone shows now (or `steps_ahead` 30-second steps later; a code is accepted
    once, so a second sign-in in the same test uses the next step's)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def give_authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
