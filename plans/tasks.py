# --- candidate job (issue 3) -------------------------------------------------------------
from dataclasses import asdict

from celery import shared_task

from cells.audit import acting_as_task
from cells.models import Organization
from plans.models import JobRun
from plans.services.candidates import candidates_flag, latest_final_year

# A national year (~55,000 grassroots organizations) takes seconds; the limits catch a stuck run.
CANDIDATE_SOFT_LIMIT = 10 * 60
CANDIDATE_HARD_LIMIT = 12 * 60


@shared_task(name="plans.flag_candidates", soft_time_limit=CANDIDATE_SOFT_LIMIT, time_limit=CANDIDATE_HARD_LIMIT)
def flag_candidates(*, year: int, scope_id: int | None = None, run_id: int | None = None) -> dict:
    """Run the candidate job for `year` (in `scope_id`'s subtree, or everywhere). Safe to run twice."""
    run = JobRun.objects.filter(pk=run_id).first() if run_id else None
    if run is not None and run.state == JobRun.State.DONE:
        return run.counts  # a redelivered message: the run already happened
    scope = Organization.objects.filter(pk=scope_id).first() if scope_id else None
    with acting_as_task("plans.flag_candidates", user=run.requested_by if run is not None else None):
        return asdict(candidates_flag(year=year, scope=scope, run=run))


@shared_task(
    name="plans.flag_candidates_scheduled", soft_time_limit=CANDIDATE_SOFT_LIMIT, time_limit=CANDIDATE_HARD_LIMIT
)
def flag_candidates_scheduled(*, scope_id: int | None = None) -> dict | None:
    """The scheduled run (celery beat): the latest year with final results in the scope."""
    scope = Organization.objects.filter(pk=scope_id).first() if scope_id else None
    year = latest_final_year(scope=scope)
    if year is None:
        return None
    with acting_as_task("plans.flag_candidates_scheduled"):
        run = JobRun.objects.create(year=year, scope=scope, trigger=JobRun.Trigger.SCHEDULE)
        return asdict(candidates_flag(year=year, scope=scope, run=run))


# --- end of the candidate job --------------------------------------------------------------
