"""Background runs: record, queue, claim, report progress, finish, and the sweep that loses none.

Every long piece of work goes through one `Run` row (cells.models.Run):

1. `run_create` writes the row (state "queued") and `run_enqueue` sends its task by name once the
   transaction commits. If the queue cannot be reached the request still succeeds: the row stays
   queued with no `sent_at`, and the page says the work starts as soon as the queue is back.
2. The task (`runs.<kind>`, thin, in the app's `tasks.py`) calls `run_execute`, which claims the
   row with a conditional UPDATE queued → running (a duplicate message claims nothing), takes the
   kind's lock (two runs of one kind never overlap, so each one's counts are its own), keeps a
   heartbeat while the work runs and records the outcome.
3. `runs_sweep` (celery beat, every minute) sends again the runs that stayed queued, and takes
   over the runs whose heartbeat stopped (a worker killed): they are queued again, with a note
   saying so, and the next worker runs them from the start; the work is safe to run twice.

This module names tasks only by their names: it never imports a task, and services that start
a run never import their tasks either.
"""

import contextlib
import datetime
import logging
import threading
import time
import zlib
from collections.abc import Callable

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError as BrokerError

from cells.audit import acting_for_run
from cells.models import Organization, Run

logger = logging.getLogger(__name__)

# What a send may raise when the broker is down: kombu wraps most transport errors in its
# OperationalError; a refused or timed-out socket can surface as OSError.
BROKER_ERRORS = (BrokerError, OSError, ConnectionError)
LOCK_NAMESPACE = 7421  # first key of PostgreSQL's two-key advisory locks: "background runs"
# Kinds whose runs may overlap: a report only reads, and each writes a file of its own.
PARALLEL_KINDS = {Run.Kind.REPORT}

# What a page says when the work it queued could not reach the queue.
QUEUE_DOWN = gettext_lazy(
    "The work queue cannot be reached right now. The run is recorded and starts on its own as soon as the "
    "queue is back: nothing is lost, and you need not start it again."
)


def task_name(kind: str) -> str:
    """The Celery task that runs a kind of run: each app's `tasks.py` registers `runs.<kind>`."""
    return f"runs.{kind}"


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def run_create(
    *,
    kind: str,
    scope: Organization | None = None,
    year: int | None = None,
    user=None,
    trigger: str = Run.Trigger.BUTTON,
    params: dict | None = None,
) -> Run:
    return Run.objects.create(
        kind=kind, scope=scope, year=year, requested_by=user, trigger=trigger, params=params or {}
    )


def run_enqueue(*, run: Run) -> None:
    """Send the run's task once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: run_send(run_id=run.pk))


def run_start(*, kind: str, **fields) -> Run:
    """Record a run and queue it: the usual way a view, a signal or the scheduler starts work."""
    run = run_create(kind=kind, **fields)
    run_enqueue(run=run)
    return run


def run_send(*, run_id: int) -> bool:
    """Hand the run to the queue; False (logged, nothing raised) when the broker cannot be reached.

    With no broker configured (the embedded default) the task runs here and now.
    """
    run = Run.objects.filter(pk=run_id, state=Run.State.QUEUED).only("pk", "kind").first()
    if run is None:
        return True
    name = task_name(run.kind)
    if name not in current_app.tasks:
        # The web process imports no tasks module: load them (Celery's autodiscovery), once.
        current_app.loader.import_default_modules()
    task = current_app.tasks[name]  # a kind without its task is a programming error: raise
    Run.objects.filter(pk=run_id, state=Run.State.QUEUED).update(sent_at=timezone.now())
    try:
        task.apply_async(kwargs={"run_id": run_id})
    except BROKER_ERRORS as error:
        Run.objects.filter(pk=run_id, state=Run.State.QUEUED).update(sent_at=None)
        logger.warning("Run %s (%s) stays queued: the broker cannot be reached (%s)", run_id, run.kind, error)
        return False
    return True


def run_progress(*, run: Run, progress: int, step: str = "") -> None:
    """Record how far the run got; also a heartbeat. Ignored by a run taken over meanwhile."""
    if run is None or run.pk is None:
        return
    Run.objects.filter(pk=run.pk, attempts=run.attempts).update(
        progress=max(0, min(progress, 100)), step=str(step)[:255], heartbeat_at=timezone.now()
    )


def run_finish(*, run: Run, counts: dict | None = None) -> bool:
    with translation.override(settings.LANGUAGE_CODE):
        step = _("Finished")
    return bool(
        Run.objects.filter(pk=run.pk, attempts=run.attempts, state=Run.State.RUNNING).update(
            state=Run.State.DONE, progress=100, step=step, counts=counts or {}, finished_at=timezone.now(), error=""
        )
    )


def run_fail(*, run: Run, error: str, counts: dict | None = None) -> bool:
    with translation.override(settings.LANGUAGE_CODE):
        step = _("Failed")
    fields = {"state": Run.State.FAILED, "step": step, "error": error[:4000], "finished_at": timezone.now()}
    if counts is not None:
        fields["counts"] = counts
    return bool(Run.objects.filter(pk=run.pk, attempts=run.attempts, state=Run.State.RUNNING).update(**fields))


def run_claim(*, run_id: int) -> Run | None:
    """Take a queued run for this process, once: of two messages for one run, one claims it."""
    now = timezone.now()
    claimed = Run.objects.filter(pk=run_id, state=Run.State.QUEUED).update(
        state=Run.State.RUNNING, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now, finished_at=None
    )
    if not claimed:
        return None
    return Run.objects.select_related("scope").get(pk=run_id)


class RunFailed(Exception):
    """Raised by a run's work to end it as failed with this message (and optional counts)."""

    def __init__(self, message: str, counts: dict | None = None):
        super().__init__(message)
        self.counts = counts


def run_execute(*, run_id: int, work: Callable[[Run], dict], reraise: bool = False) -> Run | None:
    """Claim the run and do its work: `work(run)` returns the run's counts.

    Returns None when there was nothing to claim (done already, or another worker has it).
    Failures are recorded on the run and, unless `reraise`, not raised: a run that failed says
    why on its page.
    """
    run = run_claim(run_id=run_id)
    if run is None:
        logger.info("Run %s: nothing to claim (already taken or finished)", run_id)
        return None
    with _heartbeat(run), _kind_lock(run), acting_for_run(task_name(run.kind), user=run.requested_by):
        try:
            counts = work(run)
        except RunFailed as failure:
            run_fail(run=run, error=str(failure), counts=failure.counts)
        except SoftTimeLimitExceeded:
            with translation.override(settings.LANGUAGE_CODE):
                run_fail(run=run, error=_("The run took longer than its time limit and was stopped."))
        except Exception as error:
            if not reraise:
                logger.exception("Run %s (%s) failed", run.pk, run.kind)
            run_fail(run=run, error=str(error) or type(error).__name__)
            if reraise:
                raise
        else:
            run_finish(run=run, counts=counts)
    run.refresh_from_db()
    return run


def run_here(*, run: Run, work: Callable[[Run], dict]) -> Run | None:
    """Run a recorded run in this process (the demo, a command): same claim, lock and record."""
    return run_execute(run_id=run.pk, work=work)


def run_command(
    *, kind: str, params: dict, call: Callable[[], object], counts: Callable[[object], dict], errors=lambda result: []
) -> tuple[Run, object]:
    """A management command's work, recorded as a run of its own (`manage.py job_runs` lists it).

    `call()` does the work and returns the service's result; `errors(result)` lists its problems
    (the run then fails with them), `counts(result)` what it did. An exception is recorded on
    the run and raised again for the command to report.
    """
    outcome = {}

    def work(run):
        outcome["result"] = result = call()
        problems = errors(result)
        if problems:
            raise RunFailed("\n".join(str(problem) for problem in problems[:200]), counts={"errors": len(problems)})
        return counts(result)

    run = run_create(kind=kind, trigger=Run.Trigger.COMMAND, params=params)
    run = run_execute(run_id=run.pk, work=work, reraise=True)
    return run, outcome.get("result")


@contextlib.contextmanager
def _kind_lock(run: Run):
    """Two runs of one kind never overlap (PostgreSQL advisory lock, held by this connection); reports may.

    The run keeps its heartbeat while it waits, and says what it waits for. SQLite writes one
    transaction at a time anyway.
    """
    if connection.vendor != "postgresql" or run.kind in PARALLEL_KINDS:
        yield
        return
    key = zlib.crc32(run.kind.encode()) & 0x7FFFFFFF
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, key])
        locked = cursor.fetchone()[0]
        if not locked:
            with translation.override(settings.LANGUAGE_CODE):
                run_progress(run=run, progress=0, step=_("Waiting for another run of the same job to finish"))
        while not locked:
            time.sleep(1)
            Run.objects.filter(pk=run.pk, attempts=run.attempts).update(heartbeat_at=timezone.now())
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, key])
            locked = cursor.fetchone()[0]
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, key])
        except Exception:  # the connection is gone, and the lock with it
            logger.warning("Run %s: could not release its lock (connection lost)", run.pk)


@contextlib.contextmanager
def _heartbeat(run: Run):
    """While the work runs, a thread marks the run alive every few seconds on its own connection.

    Only on PostgreSQL outside a transaction (a worker, a command): the row must be committed for
    another connection to see it. The sweep takes over a run whose heartbeat stopped.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    stop = threading.Event()
    interval = _setting("VANLANG_RUNS_HEARTBEAT_SECONDS", 20)

    def beat():
        try:
            while not stop.wait(interval):
                Run.objects.filter(pk=run.pk, attempts=run.attempts, state=Run.State.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:
            logger.exception("Run %s: heartbeat stopped", run.pk)
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"run-{run.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


def _note(run: Run, text: str, now: datetime.datetime) -> str:
    stamp = date_format(timezone.localtime(now), "d/m/Y H:i")
    return "\n".join(line for line in (run.note, f"{stamp}: {text}") if line)


def runs_sweep(*, now: datetime.datetime | None = None) -> dict:
    """Lose no run: send again the runs left queued; take over the runs whose worker died.

    A run queued without reaching the queue (`sent_at` empty) is sent after a short grace; one
    sent but not started after VANLANG_RUNS_RESEND_AFTER seconds is sent again (a duplicate
    message claims nothing). A running run whose heartbeat is older than VANLANG_RUNS_STALE_AFTER
    seconds is queued again with a note, up to VANLANG_RUNS_MAX_ATTEMPTS attempts; a run that a
    command was running in its own process cannot be moved to a worker and is marked failed.
    """
    now = now or timezone.now()
    stale_before = now - datetime.timedelta(seconds=_setting("VANLANG_RUNS_STALE_AFTER", 180))
    resend_before = now - datetime.timedelta(seconds=_setting("VANLANG_RUNS_RESEND_AFTER", 60))
    grace_before = now - datetime.timedelta(seconds=_setting("VANLANG_RUNS_SEND_GRACE", 5))
    max_attempts = _setting("VANLANG_RUNS_MAX_ATTEMPTS", 3)
    result = {"taken_over": 0, "failed": 0, "sent": 0, "unsent": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for run in Run.objects.filter(state=Run.State.RUNNING, heartbeat_at__lt=stale_before):
            still = Run.objects.filter(pk=run.pk, state=Run.State.RUNNING, attempts=run.attempts)
            if run.trigger == Run.Trigger.COMMAND or run.attempts >= max_attempts:
                if run.trigger == Run.Trigger.COMMAND:
                    error = _("The command running it stopped before it finished. Run the command again.")
                else:
                    error = _("The run stopped %(n)s times before it finished; it is not tried again.") % {
                        "n": run.attempts
                    }
                changed = still.update(
                    state=Run.State.FAILED, error=error, finished_at=now, step=_("Failed"), note=_note(run, error, now)
                )
                result["failed"] += changed
                continue
            text = _(
                "The worker running it stopped responding (no sign of life since %(time)s); "
                "the run was taken over and started again from the beginning."
            ) % {"time": date_format(timezone.localtime(run.heartbeat_at), "H:i:s")}
            changed = still.update(
                state=Run.State.QUEUED, sent_at=None, progress=0, step=_("Taken over"), note=_note(run, text, now)
            )
            result["taken_over"] += changed
            if changed:
                result["sent" if run_send(run_id=run.pk) else "unsent"] += 1
        waiting = Run.objects.filter(state=Run.State.QUEUED).filter(
            Q(sent_at__isnull=True, created_at__lt=grace_before) | Q(sent_at__lt=resend_before)
        )
        for run in waiting.order_by("created_at"):
            if run.trigger == Run.Trigger.COMMAND:
                continue  # started by a command in its own process: never moved to a worker
            result["sent" if run_send(run_id=run.pk) else "unsent"] += 1
    if any(result.values()):
        logger.info("Runs sweep: %s", result)
    return result


def runs_waiting_for_queue(*, since: datetime.datetime) -> bool:
    """Whether work recorded since `since` (by this request, say) could not reach the queue."""
    return Run.objects.filter(state=Run.State.QUEUED, sent_at__isnull=True, created_at__gte=since).exists()


def run_status(run: Run) -> dict:
    """What a page polling a run shows (JSON)."""
    return {
        "id": run.pk,
        "kind": run.kind,
        "state": run.state,
        "state_label": run.get_state_display(),
        "progress": run.progress,
        "step": run.step,
        "finished": run.finished,
        "waiting_for_queue": run.waiting_for_queue,
        "counts": run.counts,
        "error": run.error,
        "note": run.note,
    }


def run_record(run: Run) -> dict:
    """One run as `manage.py job_runs --json` lists it."""

    def iso(value):
        return value.isoformat() if value else None

    return {
        "id": run.pk,
        "kind": run.kind,
        "state": run.state,
        "scope": run.scope.code if run.scope_id else None,
        "year": run.year,
        "created": iso(run.created_at),
        "started": iso(run.started_at),
        "finished": iso(run.finished_at),
        "counts": run.counts,
        "error": run.error or None,
    }
