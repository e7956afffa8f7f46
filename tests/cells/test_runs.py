"""Background runs (cells/runs.py): claimed once, counted, failed with a reason, swept, listed."""

import datetime
import json

from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from cells.models import Run
from cells.runs import RunFailed, run_create, run_execute, run_here, run_send, runs_sweep
from vanlang.celery import app


def test_a_run_is_claimed_once_and_records_its_counts(tree, alice):
    run = run_create(kind=Run.Kind.REPORT, scope=tree.d, user=alice)
    calls = []

    def work(run):
        calls.append(run.pk)
        return {"rows": 3}

    done = run_execute(run_id=run.pk, work=work)
    assert (done.state, done.progress, done.counts, done.attempts) == (Run.State.DONE, 100, {"rows": 3}, 1)
    assert done.started_at and done.finished_at
    assert run_execute(run_id=run.pk, work=work) is None  # a second message for the run
    assert calls == [run.pk]


def test_a_failing_run_says_why(tree):
    def refused(run):
        raise RunFailed("Row 2, column code: unknown", counts={"errors": 1})

    def broken(run):
        raise ValueError("something odd")

    failed = run_here(run=run_create(kind=Run.Kind.REPORT), work=refused)
    assert (failed.state, failed.error, failed.counts) == (
        Run.State.FAILED,
        "Row 2, column code: unknown",
        {"errors": 1},
    )
    assert run_here(run=run_create(kind=Run.Kind.REPORT), work=broken).error == "something odd"


def test_an_outcome_from_a_worker_that_was_taken_over_is_ignored(tree):
    run = run_create(kind=Run.Kind.REPORT)

    def work(run):
        # Meanwhile the sweep gave the run to another worker (a new attempt).
        Run.objects.filter(pk=run.pk).update(attempts=run.attempts + 1)
        return {"rows": 1}

    finished = run_execute(run_id=run.pk, work=work)
    assert (finished.state, finished.counts) == (Run.State.RUNNING, {})


def test_the_sweep_sends_a_run_the_queue_never_got(tree, settings):
    settings.VANLANG_RUNS_SEND_GRACE = 0
    run = run_create(kind=Run.Kind.CANDIDATES, year=2018)  # recorded, never sent (the broker was down)
    assert run.waiting_for_queue
    assert runs_sweep()["sent"] == 1
    run.refresh_from_db()
    assert run.state == Run.State.DONE  # in-process here: sent means run


def test_the_sweep_takes_over_a_silent_run_and_says_so(tree, settings):
    settings.VANLANG_RUNS_STALE_AFTER = 60
    old = timezone.now() - datetime.timedelta(seconds=61)
    run = run_create(kind=Run.Kind.CANDIDATES, year=2018)
    Run.objects.filter(pk=run.pk).update(state=Run.State.RUNNING, attempts=1, heartbeat_at=old, progress=70)
    fresh = run_create(kind=Run.Kind.CANDIDATES, year=2017)
    Run.objects.filter(pk=fresh.pk).update(state=Run.State.RUNNING, attempts=1, heartbeat_at=timezone.now())

    assert runs_sweep()["taken_over"] == 1
    run.refresh_from_db()
    assert (run.state, run.attempts) == (Run.State.DONE, 2)  # queued again, sent, run (in-process)
    assert "stopped responding" in run.note and "taken over" in run.note
    fresh.refresh_from_db()
    assert fresh.state == Run.State.RUNNING


def test_the_sweep_gives_up_after_the_last_attempt_and_never_moves_a_command_s_run(tree, settings):
    settings.VANLANG_RUNS_STALE_AFTER = 60
    settings.VANLANG_RUNS_MAX_ATTEMPTS = 3
    old = timezone.now() - datetime.timedelta(seconds=61)
    tired = run_create(kind=Run.Kind.CANDIDATES, year=2018)
    command = run_create(kind=Run.Kind.IMPORT_MEETINGS, trigger=Run.Trigger.COMMAND)
    Run.objects.filter(pk=tired.pk).update(state=Run.State.RUNNING, attempts=3, heartbeat_at=old)
    Run.objects.filter(pk=command.pk).update(state=Run.State.RUNNING, attempts=1, heartbeat_at=old)

    assert runs_sweep()["failed"] == 2
    tired.refresh_from_db()
    command.refresh_from_db()
    assert tired.state == command.state == Run.State.FAILED
    assert "3 times" in tired.error and "Run the command again" in command.error


def test_a_run_already_claimed_is_not_sent(tree):
    run = run_create(kind=Run.Kind.CANDIDATES, year=2018)
    Run.objects.filter(pk=run.pk).update(state=Run.State.RUNNING)
    assert run_send(run_id=run.pk)
    run.refresh_from_db()
    assert (run.state, run.attempts) == (Run.State.RUNNING, 0)


def test_job_runs_lists_the_runs_newest_first(tree, capsys):
    first = run_here(
        run=run_create(kind=Run.Kind.IMPORT_MEETINGS, trigger=Run.Trigger.COMMAND), work=lambda r: {"n": 1}
    )
    second = run_create(kind=Run.Kind.CANDIDATES, scope=tree.d, year=2018)

    call_command("job_runs", "--json")
    listed = json.loads(capsys.readouterr().out)
    assert [run["id"] for run in listed] == [second.pk, first.pk]
    assert listed[0] == {
        "id": second.pk,
        "kind": "candidates",
        "state": "queued",
        "scope": "D",
        "year": 2018,
        "created": second.created_at.isoformat(),
        "started": None,
        "finished": None,
        "counts": {},
        "error": None,
    }
    assert listed[1]["state"] == "done" and listed[1]["counts"] == {"n": 1} and listed[1]["finished"]

    call_command("job_runs", "--json", "--state", "done")
    assert [run["id"] for run in json.loads(capsys.readouterr().out)] == [first.pk]
    call_command("job_runs")
    assert "import_meetings" in capsys.readouterr().out


def test_the_sweep_runs_every_minute_from_the_database_schedule(db):
    task = PeriodicTask.objects.get(task="cells.runs_sweep")
    assert task.enabled and (task.interval.every, task.interval.period) == (60, "seconds")
    app.loader.import_default_modules()
    assert "cells.runs_sweep" in app.tasks


def test_every_kind_a_page_or_the_sweep_sends_has_its_task():
    """The commands run their imports in their own process; the other kinds go through the queue."""
    app.loader.import_default_modules()
    for kind in (Run.Kind.CANDIDATES, Run.Kind.IMPORT_ORGANIZATIONS):
        assert f"runs.{kind}" in app.tasks
