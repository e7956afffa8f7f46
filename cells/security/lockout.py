"""django-axes counting failed sign-ins per user name and, separately, per client address.

With AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"] axes keeps one count per name and one
per address but compares both to one limit. Here a name is locked after AXES_FAILURE_LIMIT
failures (from anywhere), and an address after VANLANG_ADDRESS_FAILURE_LIMIT failures across
user names (one password tried over many names), so an office behind one address is not locked
by a colleague's typos. Both locks lift after AXES_COOLOFF_TIME.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        by_name, by_address = (_failures(attempts) for attempts in self.get_user_attempts(request, credentials))
        if by_address >= settings.VANLANG_ADDRESS_FAILURE_LIMIT:
            return max(by_name, get_failure_limit(request, credentials))
        return by_name

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears its own name's failures only: signing in to one's own
        account must not wipe the count of an address that is trying other people's names."""
        username = get_client_username(request, credentials)
        return AccessAttempt.objects.filter(username=username).delete()[0]
