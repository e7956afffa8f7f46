"""The plans app's Celery tasks: thin, they take ids and call one service; safe to run twice."""

from celery import shared_task
from django.conf import settings

from cells.audit import acting_as_task
from cells.models import Run
from cells.runs import run_execute, task_name
from plans.services.candidates import candidates_run_old_message, candidates_run_scheduled, candidates_run_work
from plans.services.home import home_snapshot_work, home_snapshots_refresh
from plans.services.plans import reminders_send

# A national year (~55,000 grassroots organizations) takes seconds; the limits catch a stuck run.
# The broker's visibility timeout (settings) stays above the hard limit.
CANDIDATE_SOFT_LIMIT = 10 * 60
CANDIDATE_HARD_LIMIT = 12 * 60


@shared_task(name=task_name(Run.Kind.CANDIDATES), soft_time_limit=CANDIDATE_SOFT_LIMIT, time_limit=CANDIDATE_HARD_LIMIT)
def candidates_run(*, run_id: int) -> None:
    """Run a recorded candidate job run; a second message for the same run does nothing."""
    run_execute(run_id=run_id, work=candidates_run_work)


@shared_task(name="plans.flag_candidates", soft_time_limit=CANDIDATE_SOFT_LIMIT, time_limit=CANDIDATE_HARD_LIMIT)
def flag_candidates_old_name(*, year: int, scope_id: int | None = None, run_id: int | None = None) -> None:
    """The candidate job's task name before `runs.candidates`: a message queued under it before the deploy
    (Redis keeps it across the restart) is still consumed, and hands its work to the run path.

    Safe to remove one release later, once `job_runs --state queued` shows nothing from before it.
    """
    candidates_run_old_message(year=year, scope_id=scope_id)


@shared_task(
    name="plans.flag_candidates_scheduled", soft_time_limit=CANDIDATE_SOFT_LIMIT, time_limit=CANDIDATE_HARD_LIMIT
)
def flag_candidates_scheduled(*, scope_id: int | None = None) -> None:
    """The scheduled run of a scope (celery beat, one entry per scope set on the candidates page)."""
    candidates_run_scheduled(scope_id=scope_id)


@shared_task(name="plans.send_task_reminders", bind=True, max_retries=6, time_limit=10 * 60, soft_time_limit=9 * 60)
def send_task_reminders(self) -> dict:
    """Daily (celery beat): each task is reminded at most once per day, whatever the number of runs.

    If a send failed, nothing was recorded for that recipient: the task runs again after
    VANLANG_REMINDER_RETRY_SECONDS and reminds only them (the next day's run at the latest).
    """
    with acting_as_task("plans.send_task_reminders"):
        result = reminders_send()
    if result.failed:
        raise self.retry(countdown=settings.VANLANG_REMINDER_RETRY_SECONDS)
    return {"emails": result.sent_emails, "tasks": result.tasks_reminded}


# The national figures take a few seconds (sixteen aggregates over the country).
@shared_task(name=task_name(Run.Kind.HOME_SNAPSHOT), soft_time_limit=5 * 60, time_limit=6 * 60)
def home_snapshot_run(*, run_id: int) -> None:
    """Compute a large scope's home figures (a recorded run; a second message does nothing)."""
    run_execute(run_id=run_id, work=home_snapshot_work)


@shared_task(name="plans.home_snapshots_refresh", time_limit=5 * 60, soft_time_limit=4 * 60)
def home_snapshots_refresh_task() -> dict:
    """Every 5 minutes (celery beat): keep the figures of the large scopes viewed recently fresh."""
    return home_snapshots_refresh()
