"""The assessments app's Celery tasks: thin, they take ids and call one service; safe to run twice."""

from celery import shared_task

from assessments.import_runs import classifications_import_work
from cells.models import Run
from cells.runs import run_execute, task_name


@shared_task(name=task_name(Run.Kind.IMPORT_CLASSIFICATIONS), time_limit=14 * 60, soft_time_limit=13 * 60)
def classifications_import_run(*, run_id: int) -> None:
    """A classification file previewed or confirmed on the import page; a second message does nothing."""
    run_execute(run_id=run_id, work=classifications_import_work)
