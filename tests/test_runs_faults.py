"""Faults survived, nothing lost: the broker down, a worker killed, two runs at once.

Each test runs against real PostgreSQL (the test database) and real worker processes on a
redis-server of its own, which it may stop; the shared servers are never touched.
"""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from assessments.models import Classification
from cells.models import Organization, Run
from cells.runs import LOCK_NAMESPACE, run_start, runs_sweep
from plans.models import Candidate, JobRun
from plans.services.candidates import candidates_run_start
from tests.assessments.factories import classify
from tests.conftest import missing_service
from tests.throwaway import (
    PROJECT,
    RedisServer,
    app_on_broker,
    database_url,
    start_beat,
    start_worker,
    stop_worker,
    wait_for,
)
from vanlang.celery import app


@pytest.fixture
def broker(transactional_db, settings):
    """A redis-server of this test's own, which it may stop; this process sends through it."""
    if connection.vendor != "postgresql":
        missing_service("the fault tests need PostgreSQL (DATABASE_URL=postgres://…): workers share its database")
    if not RedisServer.available():
        missing_service("the fault tests need redis-server (apt-get install redis-server)")
    server = RedisServer()
    settings.VANLANG_RUNS_SEND_GRACE = 0
    with app_on_broker(app, server.url):
        app.conf.task_always_eager = False  # restored by the autouse celery_in_process fixture
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def workers(broker):
    """Start workers on the test's broker and database; all stopped (and their output shown) at the end."""
    started = []

    def start():
        env = {
            "CELERY_BROKER_URL": broker.url,
            "DATABASE_URL": database_url(connection.settings_dict),
            "VANLANG_RUNS_HEARTBEAT_SECONDS": "1",
        }
        started.append(start_worker(app, env=env))
        return started[-1]

    yield start
    for worker in started:
        print(stop_worker(worker))


def finished(*runs, seconds=60):
    def done():
        for run in runs:
            run.refresh_from_db()
        return all(run.finished for run in runs)

    assert wait_for(done, seconds), [(run.pk, run.state, run.step) for run in runs]
    return runs


def proposed():
    return sorted(
        Candidate.objects.filter(status=Candidate.Status.PROPOSED).values_list("organization__code", flat=True)
    )


def test_with_the_broker_down_actions_succeed_at_once_and_run_once_when_it_is_back(
    broker, workers, tree, alice, client, tmp_path
):
    classify(tree.a, 2018, "complete")
    client.force_login(alice)

    # The button, with no queue to reach: an answer within 2 seconds that says what will happen.
    url = reverse("plans:candidates_run", kwargs={"year": 2019})
    started = time.monotonic()
    response = client.post(url)
    assert time.monotonic() - started < 2
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert page.count("The work queue cannot be reached right now") == 2  # the message, and beside the bar
    assert 'mb-0" id="run-waiting"' in page  # shown, not hidden
    button = JobRun.objects.get()
    assert (button.state, button.sent_at) == (Run.State.QUEUED, None)

    # Results made final by a command, with the queue down: the import succeeds (exit 0), and the
    # candidate job it queues waits in the database.
    results = tmp_path / "results.csv"
    results.write_text(f"code,year,level\n{tree.b.code},2018,complete\n", encoding="utf-8")
    command = subprocess.run(
        [sys.executable, "manage.py", "import_classifications", str(results)],
        cwd=PROJECT,
        env={**_env(broker), "DJANGO_LANGUAGE_CODE": "en"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert command.returncode == 0, command.stderr
    listed = json.loads(
        subprocess.run(
            [sys.executable, "manage.py", "job_runs", "--json"],
            cwd=PROJECT,
            env=_env(broker),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert [(run["kind"], run["state"]) for run in listed] == [
        ("candidates", "queued"),  # queued by the results becoming final
        ("import_classifications", "done"),
        ("candidates", "queued"),  # the button's
    ]
    assert set(listed[0]) == {
        "id",
        "kind",
        "state",
        "scope",
        "year",
        "created",
        "started",
        "finished",
        "counts",
        "error",
    }

    # The queue is back, with a worker: the sweep (celery beat, every minute) sends what waited.
    broker.start()
    workers()
    assert runs_sweep()["sent"] == 2
    runs = finished(*Run.objects.filter(kind=Run.Kind.CANDIDATES))
    assert [(run.state, run.attempts) for run in runs] == [(Run.State.DONE, 1)] * 2
    assert proposed() == ["D-A", "D-B"]

    # Exactly once: a message sent again for a finished run (the sweep, a redelivery) does nothing.
    for run in runs:
        app.send_task("runs.candidates", kwargs={"run_id": run.pk})
    time.sleep(2)
    assert [run.attempts for run in Run.objects.filter(kind=Run.Kind.CANDIDATES)] == [1, 1]
    assert runs_sweep()["sent"] == 0
    assert Candidate.objects.count() == 2


def test_beat_and_a_worker_run_what_waited_within_two_minutes_of_the_queue_being_back(
    broker, workers, tree, alice, tmp_path
):
    """No sweep called by hand: a real `celery beat` on the database schedule sends the sweep every
    minute, a worker runs it, and the sweep sends the run that waited."""
    classify(tree.a, 2018, "complete")
    run = candidates_run_start(year=2018, scope=tree.d, user=alice)  # the broker is down
    run.refresh_from_db()
    assert (run.state, run.sent_at) == (Run.State.QUEUED, None)
    _schedules_as_migrated()

    broker.start()
    back = time.monotonic()
    workers()
    beat = start_beat(env=_env(broker), schedule_dir=tmp_path)
    try:
        (run,) = finished(run, seconds=150)
        took = time.monotonic() - back
    finally:
        print(stop_worker(beat))
    print(f"done {took:.0f} s after the queue came back")
    assert took < 120, f"the run waited {took:.0f} s after the queue came back"
    assert (run.state, run.attempts) == (Run.State.DONE, 1)
    assert proposed() == ["D-A"]


def _schedules_as_migrated():
    """The schedule entries the migrations create (a test that commits wipes them for the next one)."""
    import importlib

    from django.apps import apps

    for module in ("cells.migrations.0009_runs_sweep_schedule",):
        importlib.import_module(module).schedule(apps, None)


def _env(broker):
    return {
        "CELERY_BROKER_URL": broker.url,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "vanlang.settings",
    }


def test_a_run_whose_worker_is_killed_is_taken_over_and_ends_right(broker, workers, tree, alice, client, settings):
    classify(tree.a, 2018, "complete")
    classify(tree.b, 2018, "good")
    broker.start()
    first = workers()
    # Another run of the job holds its lock, so this one is caught mid-run: claimed, running,
    # beating, when its worker is killed.
    key = _lock_key("candidates")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, key])
    run = candidates_run_start(year=2018, scope=tree.d, user=alice)
    assert wait_for(lambda: _state(run) == (Run.State.RUNNING, 1), 30)
    stop_worker(first, kill=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, key])

    # Its heartbeat stops; the sweep takes it over once the heartbeat is older than the limit.
    settings.VANLANG_RUNS_STALE_AFTER = 2
    assert runs_sweep()["taken_over"] == 0  # still fresh
    time.sleep(3)
    assert runs_sweep()["taken_over"] == 1
    workers()
    (run,) = finished(run)
    assert (run.state, run.attempts, run.counts["created"]) == (Run.State.DONE, 2, 1)
    assert proposed() == ["D-A"]

    client.force_login(alice)
    page = client.get(reverse("plans:candidates_year", kwargs={"year": 2019})).content.decode()
    assert "stopped responding" in page and "taken over" in page


def _lock_key(kind):
    import zlib

    return zlib.crc32(kind.encode()) & 0x7FFFFFFF


def _state(run):
    run.refresh_from_db()
    return run.state, run.attempts


def test_two_runs_at_once_equal_one_after_the_other_each_with_its_own_counts(broker, workers, tree, alice, tmp_path):
    classify(tree.a, 2018, "complete")
    broker.start()
    workers(), workers()

    both = [candidates_run_start(year=2018, scope=tree.d, user=alice) for _ in range(2)]
    finished(*both)
    counts = sorted((run.counts["created"], run.counts["unchanged"]) for run in both)
    assert counts == [(0, 1), (1, 0)]
    assert proposed() == ["D-A"]

    # Two overlapping files imported at once: D-N2 is in both.
    header = "code,name,kind,parent_code\n"
    files = []
    for number, codes in enumerate([("D-N1", "D-N2"), ("D-N2", "D-N3")]):
        path = tmp_path / f"orgs{number}.csv"
        path.write_text(header + "".join(f"{c},Chi bộ {c},cell,D-A\n" for c in codes), encoding="utf-8")
        files.append(path)
    imports = [
        run_start(
            kind=Run.Kind.IMPORT_ORGANIZATIONS, scope=tree.d, user=alice, params={"path": str(p), "file_name": p.name}
        )
        for p in files
    ]
    finished(*imports)
    assert [run.state for run in imports] == [Run.State.DONE] * 2, [run.error for run in imports]
    assert sorted((run.counts["created"], run.counts["unchanged"]) for run in imports) == [(1, 1), (2, 0)]
    assert Organization.objects.filter(code__startswith="D-N").count() == 3


def test_two_classification_imports_of_overlapping_files_at_once_equal_one_after_the_other(broker, tree, tmp_path):
    """Two `import_classifications` processes at the same moment, D-B in both files (the queue is down:
    the candidate runs they queue wait). The test holds the kind's lock until both runs are running."""
    files = []
    for number, codes in enumerate([("D-A", "D-B"), ("D-B", "X-Y")]):
        path = tmp_path / f"results{number}.csv"
        path.write_text("code,year,level\n" + "".join(f"{c},2018,complete\n" for c in codes), encoding="utf-8")
        files.append(path)
    key = _lock_key(Run.Kind.IMPORT_CLASSIFICATIONS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, key])
    try:
        commands = [
            subprocess.Popen(
                [sys.executable, "manage.py", "import_classifications", str(path)],
                cwd=PROJECT,
                env={**os.environ, **_env(broker)},
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for path in files
        ]
        imports = Run.objects.filter(kind=Run.Kind.IMPORT_CLASSIFICATIONS)
        assert wait_for(lambda: imports.filter(state=Run.State.RUNNING).count() == 2, 120)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, key])
    outputs = [command.communicate(timeout=120)[0] for command in commands]
    assert [command.returncode for command in commands] == [0, 0], outputs

    counts = sorted((run.counts["created"], run.counts["unchanged"]) for run in imports)
    assert counts == [(1, 1), (2, 0)]
    assert sorted(Classification.objects.values_list("organization__code", "state")) == [
        ("D-A", "final"),
        ("D-B", "final"),
        ("X-Y", "final"),
    ]


def test_the_timeouts_take_a_dead_worker_s_run_over_within_15_minutes():
    """Configuration, checked: no task outlives the broker's visibility timeout, and the sweep
    (every minute) takes a silent run over well before 15 minutes."""
    app.loader.import_default_modules()
    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    limits = [task.time_limit or app.conf.task_time_limit for name, task in app.tasks.items() if name[:7] != "celery."]
    assert max(limits) < visibility <= 15 * 60
    assert django_settings.VANLANG_RUNS_STALE_AFTER + 60 < 15 * 60
    assert django_settings.VANLANG_RUNS_HEARTBEAT_SECONDS * 3 <= django_settings.VANLANG_RUNS_STALE_AFTER


def test_a_worker_outlives_a_redis_restart_and_runs_what_was_queued_meanwhile(broker, workers, tree, alice):
    classify(tree.a, 2018, "complete")
    broker.start()
    workers()
    broker.stop()  # Redis restarts: every message it held is gone (no persistence)

    run = candidates_run_start(year=2018, scope=tree.d, user=alice)
    run.refresh_from_db()
    assert run.waiting_for_queue

    broker.start()  # same port; the worker reconnects on its own
    assert wait_for(lambda: app.control.ping(timeout=1), 60), "the worker did not reconnect"
    assert runs_sweep()["sent"] == 1
    (run,) = finished(run)
    assert (run.state, run.attempts) == (Run.State.DONE, 1)
    assert proposed() == ["D-A"]


def test_a_web_import_with_the_broker_down_is_queued_and_runs_once_it_is_back(
    broker, workers, tree, alice, client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments.models import Classification
    from tests.webimports import confirm, english

    settings.MEDIA_ROOT = tmp_path / "media"  # the workers read the upload by its full path
    staff = english(client, alice)
    upload = SimpleUploadedFile("ket-qua.csv", "code,year,level\nD-A,2018,Hoàn thành tốt nhiệm vụ\n".encode())

    # No queue to reach: the upload is answered at once, its check recorded and waiting.
    assert staff.get(reverse("assessments:import")).status_code == 200  # the user opens the page first
    started = time.monotonic()
    response = staff.post(reverse("assessments:import"), {"file": upload})
    assert time.monotonic() - started < 2 and response.status_code == 302
    page = staff.get(response.url).content.decode()
    assert "The work queue cannot be reached right now" in page and "Confirm the import" not in page
    check = Run.objects.get(kind=Run.Kind.IMPORT_CLASSIFICATIONS)
    assert (check.state, check.sent_at, check.params["preview"]) == (Run.State.QUEUED, None, True)

    # The queue is back: the sweep sends the check, a worker reads the file; the same page,
    # reloaded, offers the confirmation; the import runs on the worker too.
    broker.start()
    workers()
    assert runs_sweep()["sent"] == 1
    finished(check)
    preview = staff.get(response.url)
    assert "It will create 1 records" in preview.content.decode()
    done = confirm(staff, preview)
    (run,) = finished(Run.objects.filter(kind=Run.Kind.IMPORT_CLASSIFICATIONS).exclude(pk=check.pk).get())
    assert (run.state, run.attempts, run.counts["created"]) == (Run.State.DONE, 1, 1)
    assert "ket-qua.csv imported: 1 created" in staff.get(done.redirect_chain[-1][0]).content.decode()
    assert list(Classification.objects.values_list("organization__code", "state")) == [("D-A", "final")]


def test_the_organization_check_with_the_broker_down_is_queued_and_lists_its_changes_once_it_is_back(
    broker, workers, tree, alice, client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.webimports import confirm, english

    settings.MEDIA_ROOT = tmp_path / "media"  # the workers read the upload by its full path
    staff = english(client, alice)
    rows = "code,name,kind,parent_code\nD-A-7,Chi bộ Khuổi Mò,cell,D-A\nD-A-1,Chi bộ Nặm Bao,cell,D-B\n"
    assert staff.get(reverse("cells:import")).status_code == 200  # the user opens the page first

    # No queue to reach: the upload is answered at once, its check recorded and waiting.
    started = time.monotonic()
    response = staff.post(reverse("cells:import"), {"file": SimpleUploadedFile("to-chuc.csv", rows.encode())})
    assert time.monotonic() - started < 2 and response.status_code == 302
    page = staff.get(response.url).content.decode()
    assert "The work queue cannot be reached right now" in page and "Confirm the import" not in page
    check = Run.objects.get(kind=Run.Kind.IMPORT_ORGANIZATIONS)
    assert (check.state, check.sent_at, check.params["preview"]) == (Run.State.QUEUED, None, True)

    # The queue is back: the sweep sends the check, a worker reads the file and keeps its changes;
    # the same page, reloaded, lists them and offers the confirmation.
    broker.start()
    workers()
    assert runs_sweep()["sent"] == 1
    finished(check)
    preview = staff.get(response.url)
    lists = {kind: [c["code"] for c in listed] for kind, _label, _count, listed in preview.context["change_lists"]}
    assert lists == {"created": ["D-A-7"], "moved": ["D-A-1"]}
    done = confirm(staff, preview)
    (run,) = finished(Run.objects.filter(kind=Run.Kind.IMPORT_ORGANIZATIONS).exclude(pk=check.pk).get())
    assert (run.state, run.attempts, run.counts["created"], run.counts["moved"]) == (Run.State.DONE, 1, 1, 1)
    assert "to-chuc.csv imported: 1 created, 1 updated" in staff.get(done.redirect_chain[-1][0]).content.decode()
    assert Organization.objects.get(code="D-A-1").parent == tree.b
