import datetime

from celery import shared_task
from django.utils import timezone

from cells.audit import acting_as_task
from cells.import_uploads import organizations_import_work
from cells.meeting_import import meetings_import_work
from cells.meeting_services import meeting_reminders_send, previous_month
from cells.models import Run
from cells.runs import run_execute, runs_sweep, task_name

REMINDER_TASK = "cells.meeting_reminders_send"


@shared_task(name=REMINDER_TASK, time_limit=12 * 60, soft_time_limit=11 * 60)
def meeting_reminders_send_task(month: str | None = None) -> int:
    """Monthly (django-celery-beat, see migration 0003): remind secretaries of last month's missing meetings.

    `month` is an ISO date in the month to check; by default the month before today. Safe to
    run twice: the sent-log lets each cell and month through once.
    """
    day = datetime.date.fromisoformat(month) if month else previous_month(timezone.localdate())
    with acting_as_task(REMINDER_TASK):
        return meeting_reminders_send(month=day)


@shared_task(name="cells.runs_sweep", time_limit=5 * 60, soft_time_limit=4 * 60)
def runs_sweep_task() -> dict:
    """Every minute (django-celery-beat): send again the runs left queued, take over the ones whose worker died."""
    return runs_sweep()


@shared_task(name=task_name(Run.Kind.IMPORT_ORGANIZATIONS), time_limit=14 * 60, soft_time_limit=13 * 60)
def organizations_import_run(*, run_id: int) -> None:
    """An organization import confirmed on the import page; a second message for the run does nothing."""
    run_execute(run_id=run_id, work=organizations_import_work)


@shared_task(name=task_name(Run.Kind.IMPORT_MEETINGS), time_limit=14 * 60, soft_time_limit=13 * 60)
def meetings_import_run(*, run_id: int) -> None:
    """A meeting file previewed or confirmed on the import page; a second message for the run does nothing."""
    run_execute(run_id=run_id, work=meetings_import_work)
