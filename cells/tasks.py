import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from cells.audit import acting_as_task
from cells.import_uploads import organizations_import_work
from cells.meeting_import import meetings_import_work
from cells.meeting_services import meeting_reminders_send, previous_month
from cells.models import Run
from cells.report_runs import report_files_forget, report_run_work
from cells.runs import run_execute, runs_sweep, task_name

REMINDER_TASK = "cells.meeting_reminders_send"


# A failed send is tried again for the same month after VANLANG_REMINDER_RETRY_SECONDS (kept below
# the broker's visibility timeout, so Redis never hands the waiting message to a second worker).
REMINDER_RETRIES = 18


@shared_task(name=REMINDER_TASK, bind=True, max_retries=REMINDER_RETRIES, time_limit=12 * 60, soft_time_limit=11 * 60)
def meeting_reminders_send_task(self, month: str | None = None) -> dict:
    """Monthly (django-celery-beat, see migration 0003): remind secretaries of last month's missing meetings.

    `month` is an ISO date in the month to check; by default the month before today. Safe to
    run twice: the log lets each cell, month and secretary through once. If a send failed, the
    task runs again for the same month later; it reminds only whoever was not reached.
    """
    day = datetime.date.fromisoformat(month) if month else previous_month(timezone.localdate())
    with acting_as_task(REMINDER_TASK):
        result = meeting_reminders_send(month=day)
    if result.failed:
        raise self.retry(kwargs={"month": day.isoformat()}, countdown=settings.VANLANG_REMINDER_RETRY_SECONDS)
    return {"emails": result.emails, "secretaries": result.secretaries}


@shared_task(name="cells.runs_sweep", time_limit=5 * 60, soft_time_limit=4 * 60)
def runs_sweep_task() -> dict:
    """Every minute (django-celery-beat): send again the runs left queued, take over the ones whose worker died."""
    return runs_sweep()


@shared_task(name=task_name(Run.Kind.IMPORT_ORGANIZATIONS), time_limit=14 * 60, soft_time_limit=13 * 60)
def organizations_import_run(*, run_id: int) -> None:
    """An organization import confirmed on the import page; a second message for the run does nothing."""
    run_execute(run_id=run_id, work=organizations_import_work)


# A national workbook (~290,000 rows) takes a few minutes; the broker's visibility timeout (15 min)
# stays above the hard limit.
@shared_task(name=task_name(Run.Kind.REPORT), time_limit=14 * 60, soft_time_limit=13 * 60)
def report_run(*, run_id: int) -> None:
    """A report or export asked for on its page; a second message for the run does nothing."""
    run_execute(run_id=run_id, work=report_run_work)


FORGET_TASK = "cells.report_files_forget"


@shared_task(name=FORGET_TASK, time_limit=10 * 60, soft_time_limit=9 * 60)
def report_files_forget_task() -> int:
    """Daily (django-celery-beat, see migration 0018): delete report files older than the setting's days."""
    with acting_as_task(FORGET_TASK):
        return report_files_forget()


@shared_task(name=task_name(Run.Kind.IMPORT_MEETINGS), time_limit=14 * 60, soft_time_limit=13 * 60)
def meetings_import_run(*, run_id: int) -> None:
    """A meeting file previewed or confirmed on the import page; a second message for the run does nothing."""
    run_execute(run_id=run_id, work=meetings_import_work)
