"""Session limits: 30 minutes without a request, 12 hours after signing in; a deactivated user's
sessions end at once.

The idle limit is SESSION_COOKIE_AGE. Instead of SESSION_SAVE_EVERY_REQUEST (a write on every
request), the session is touched at most once a minute, which renews its expiry and cookie.
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

SIGNED_IN_AT = "vanlang_signed_in_at"
LAST_SEEN = "vanlang_last_seen"
TWO_FACTOR = "vanlang_two_factor"
TOUCH_EVERY_SECONDS = 60


def session_start(*, request, user) -> None:
    """Called at sign-in: the clock of both limits, and whether this user owes a second factor."""
    from cells.security.two_factor import two_factor_state

    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[TWO_FACTOR] = two_factor_state(user)


def session_expired(session, now: float) -> str:
    """Why this session has ended ("" while it is still valid)."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN)
    if signed_in_at is not None and now - signed_in_at > settings.VANLANG_SESSION_MAX_HOURS * 3600:
        return "maximum"
    if last_seen is not None and now - last_seen > settings.SESSION_COOKIE_AGE:
        return "idle"
    return ""


def session_touch(session, now: float) -> None:
    if session.get(LAST_SEEN) is None or now - session[LAST_SEEN] >= TOUCH_EVERY_SECONDS:
        session[LAST_SEEN] = int(now)
        session.setdefault(SIGNED_IN_AT, int(now))


def user_sessions_end(*, user) -> int:
    """Delete every live session of `user` (database sessions). Returns how many ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@receiver(post_save, sender=get_user_model(), dispatch_uid="cells.security.deactivated_user")
def _deactivated_user(sender, instance, **kwargs):
    if not instance.is_active and settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        transaction.on_commit(lambda: user_sessions_end(user=instance))
