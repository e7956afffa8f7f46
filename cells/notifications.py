"""In-app notifications: written in bulk where e-mail goes out and decisions are taken, read in the navbar."""

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from cells.models import Notification, Organization, UserRole

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Note:
    """One notification to write: for whom, what kind, the text and where it leads."""

    user_id: int
    kind: str
    text: str
    link: str = ""


def notifications_send(*, notes: list[Note]) -> int:
    """Write the notes in one bulk insert; return how many were written."""
    rows = [Notification(user_id=n.user_id, kind=n.kind, text=str(n.text)[:500], link=n.link[:300]) for n in notes]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's unread notifications read (only `ids` when given); return how many changed."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def notifications_of(user) -> QuerySet:
    return Notification.objects.filter(user=user).order_by("-created", "-pk")


def users_with_role_over(organization: Organization, role: str) -> QuerySet:
    """Users whose scope holds `organization` (a role on it or on a unit above it) with `role`."""
    ancestors = [*organization.ancestor_ids(), organization.pk]
    return UserRole.objects.filter(role=role, organization_id__in=ancestors, user__is_active=True)


class Delivery(enum.Enum):
    SENT = "sent"
    ALREADY = "already sent"
    FAILED = "failed"


def reminder_deliver(*, recipient: str, record: Callable[[], object], send: Callable[[], object]) -> Delivery:
    """One recipient's reminder: `record` inserts its "sent" rows (under a unique rule per period), `send` sends.

    Both run in one transaction of their own, so the rows are committed only after the send
    succeeded: a failed send leaves nothing recorded for this recipient (the next run tries
    again) and undoes nothing of the others. A run that meets another run's rows (committed, or
    being sent: the insert waits for that transaction) sends nothing: at most once per period.
    """
    try:
        with transaction.atomic():
            record()
            send()
    except IntegrityError:
        return Delivery.ALREADY
    except Exception:  # noqa: BLE001 - any failed send (SMTP refusal, server down) is this recipient's alone
        logger.exception("Reminder to %s not sent; the next run tries again", recipient)
        return Delivery.FAILED
    return Delivery.SENT
