import datetime

from celery import shared_task
from django.utils import timezone

from cells.audit import acting_as_task
from cells.meeting_services import meeting_reminders_send, previous_month

REMINDER_TASK = "cells.meeting_reminders_send"


@shared_task(name=REMINDER_TASK, time_limit=15 * 60, soft_time_limit=14 * 60)
def meeting_reminders_send_task(month: str | None = None) -> int:
    """Monthly (django-celery-beat, see migration 0003): remind secretaries of last month's missing meetings.

    `month` is an ISO date in the month to check; by default the month before today. Safe to
    run twice: the sent-log lets each cell and month through once.
    """
    day = datetime.date.fromisoformat(month) if month else previous_month(timezone.localdate())
    with acting_as_task(REMINDER_TASK):
        return meeting_reminders_send(month=day)
