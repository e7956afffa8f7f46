"""The candidate task: in-process in the embedded default, and on a real Celery worker through
Redis (against the configured database, PostgreSQL in CI)."""

import time

import pytest
from django.db import transaction

from assessments.models import Classification
from plans.models import Candidate, JobRun
from plans.services.candidates import candidates_run_start
from tests.assessments.factories import classify
from vanlang.celery import app


def test_the_button_path_runs_in_process_by_default(tree, alice, django_capture_on_commit_callbacks):
    classify(tree.a, 2018, "complete")
    with django_capture_on_commit_callbacks(execute=True):
        run = candidates_run_start(year=2018, scope=tree.d, user=alice)
    run.refresh_from_db()
    assert (run.state, run.progress, run.counts["created"]) == (JobRun.State.DONE, 100, 1)
    assert Candidate.objects.get().organization == tree.a


def test_a_redelivered_message_does_nothing(tree, django_capture_on_commit_callbacks):
    from plans.tasks import candidates_run

    classify(tree.a, 2018, "complete")
    with django_capture_on_commit_callbacks(execute=True):
        run = candidates_run_start(year=2018, scope=tree.d)
    Candidate.objects.all().delete()
    candidates_run.delay(run_id=run.pk)
    assert not Candidate.objects.exists()


def test_results_becoming_final_send_a_run(tree, alice, django_capture_on_commit_callbacks):
    from assessments.services import ResultRow, classifications_write

    with django_capture_on_commit_callbacks(execute=True):
        classifications_write(
            rows=[ResultRow(organization_id=tree.a.pk, year=2018, level="incomplete")],
            existing={},
            finalize=True,
            user=alice,
        )
    run = JobRun.objects.get()
    assert (run.trigger, run.state, run.year) == (JobRun.Trigger.FINALIZED, JobRun.State.DONE, 2018)
    assert Candidate.objects.get().level == "incomplete"


def test_a_draft_sends_no_run(tree, django_capture_on_commit_callbacks):
    from assessments.services import ResultRow, classifications_write

    with django_capture_on_commit_callbacks(execute=True):
        classifications_write(
            rows=[ResultRow(organization_id=tree.a.pk, year=2018, level="incomplete")], existing={}, finalize=False
        )
    assert not JobRun.objects.exists()


def _wait_for(run: JobRun, timeout=60) -> JobRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.finished:
            return run
        time.sleep(0.2)
    pytest.fail(f"the worker did not finish run {run.pk} within {timeout}s (state {run.state})")


@pytest.mark.celery_worker
def test_the_job_runs_on_a_real_worker_twice_and_after_a_correction(celery_worker, tree, alice):
    assert not app.conf.task_always_eager
    a = classify(tree.a, 2018, "complete")
    classify(tree.b, 2018, "good")

    with transaction.atomic():
        run = candidates_run_start(year=2018, scope=tree.d, user=alice)
    run = _wait_for(run)
    assert run.state == JobRun.State.DONE, run.error
    assert [c.organization_id for c in Candidate.objects.all()] == [tree.a.pk]

    with transaction.atomic():
        again = candidates_run_start(year=2018, scope=tree.d, user=alice)
    assert _wait_for(again).counts["unchanged"] == 1
    assert Candidate.objects.count() == 1

    Classification.objects.filter(pk=a.pk).update(level="good", label="Hoàn thành tốt nhiệm vụ")
    Classification.objects.filter(organization=tree.b).update(level="incomplete", label="Không hoàn thành nhiệm vụ")
    with transaction.atomic():
        corrected = candidates_run_start(year=2018, scope=tree.d, user=alice)
    assert _wait_for(corrected).counts["withdrawn"] == 1
    status = dict(Candidate.objects.values_list("organization__code", "status"))
    assert status == {"D-A": Candidate.Status.WITHDRAWN, "D-B": Candidate.Status.PROPOSED}


def test_cells_becoming_final_send_no_run(tree, django_capture_on_commit_callbacks):
    from assessments.services import ResultRow, classifications_write

    with django_capture_on_commit_callbacks(execute=True):
        classifications_write(
            rows=[ResultRow(organization_id=tree.a1.pk, year=2018, level="incomplete")], existing={}, finalize=True
        )
    assert not JobRun.objects.exists()


@pytest.mark.celery_worker
def test_a_message_queued_under_the_old_task_name_still_runs_once_through_the_run_path(celery_worker, tree):
    """Deploy: Redis kept a `plans.flag_candidates` message sent by the old code; the new worker consumes it."""
    classify(tree.a, 2018, "complete")
    # What migration plans 0005 leaves of the old run: a queued copy under a new id.
    copied = JobRun.objects.create(year=2018, scope=tree.d)

    app.send_task("plans.flag_candidates", kwargs={"year": 2018, "scope_id": tree.d.pk, "run_id": copied.pk + 1000})

    copied = _wait_for(copied)
    assert (copied.state, copied.attempts, copied.counts["created"]) == (JobRun.State.DONE, 1, 1)
    assert [c.organization_id for c in Candidate.objects.all()] == [tree.a.pk]

    # No run of that year and scope waiting any more: the old message is recorded as a new run.
    app.send_task("plans.flag_candidates", kwargs={"year": 2018, "scope_id": tree.d.pk, "run_id": copied.pk})
    deadline = time.monotonic() + 60
    while JobRun.objects.count() < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    fresh = _wait_for(JobRun.objects.exclude(pk=copied.pk).get())
    assert (fresh.state, fresh.counts["unchanged"]) == (JobRun.State.DONE, 1)
    assert Candidate.objects.count() == 1
