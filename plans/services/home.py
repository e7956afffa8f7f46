"""The staff home of a large scope (above a district) from stored figures: no request computes them.

A scope is large when upper committees report to it (the country, a province): its figures are
aggregates over tens of thousands of units (4 s nationally). The page reads the scope's
`HomeSnapshot` instead, and starts one run (`runs.home_snapshot`) when the figures are missing or
older than VANLANG_HOME_SNAPSHOT_MAX_AGE; the periodic refresh (celery beat) keeps the figures of
scopes viewed recently fresh. A district's figures are a few hundred units: they stay live.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cells.models import Organization, Run
from cells.runs import run_create, run_enqueue, run_progress
from plans.models import HomeSnapshot
from plans.queries import home as queries

# The page marks a snapshot viewed at most this often (one conditional UPDATE per request).
VIEWED_EVERY_SECONDS = 60


def scope_is_large(scope: Organization) -> bool:
    """Above a district: an upper committee reports to the scope. One indexed query."""
    return Organization.objects.filter(parent_id=scope.pk, kind=Organization.Kind.UPPER_COMMITTEE).exists()


def _max_age() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.VANLANG_HOME_SNAPSHOT_MAX_AGE)


def snapshot_stale(snapshot: HomeSnapshot, now: datetime.datetime) -> bool:
    return snapshot.computed_at is None or snapshot.computed_at < now - _max_age()


def _run_pending(snapshot: HomeSnapshot) -> bool:
    return snapshot.run is not None and not snapshot.run.finished


def home_snapshot_request(*, scope: Organization, trigger: str = Run.Trigger.BUTTON, user=None) -> Run:
    """Start the scope's run unless one is queued or running: one run however many requests ask.

    The scope's snapshot row is locked while deciding, so two requests at once start one run.
    """
    with transaction.atomic():
        snapshot, _created = HomeSnapshot.objects.select_for_update().get_or_create(scope=scope)
        if _run_pending(snapshot):
            return snapshot.run
        run = run_create(kind=Run.Kind.HOME_SNAPSHOT, scope=scope, user=user, trigger=trigger)
        HomeSnapshot.objects.filter(pk=snapshot.pk).update(run=run)
        run_enqueue(run=run)
    return run


@dataclass
class SnapshotHome:
    """What the staff home of a large scope shows: the figures (None while the first run works),
    when they were computed, and the run computing newer ones (if any)."""

    home: queries.StaffHome | None
    computed_at: datetime.datetime | None
    run: Run | None


def staff_home_snapshot(*, scope: Organization, user, today: datetime.date) -> SnapshotHome:
    """The staff home of a large scope: the snapshot (1 query), the mark that it was viewed (1),
    and, with figures, the first rows of its lists (3). A missing or stale snapshot starts one run
    (a few queries more, once per run)."""
    now = timezone.now()
    snapshot = HomeSnapshot.objects.select_related("run").filter(scope=scope).first()
    run = snapshot.run if snapshot is not None and _run_pending(snapshot) else None
    if (snapshot is None or snapshot_stale(snapshot, now)) and run is None:
        run = home_snapshot_request(scope=scope, user=user)
    seen_before = now - datetime.timedelta(seconds=VIEWED_EVERY_SECONDS)
    HomeSnapshot.objects.filter(scope=scope).exclude(viewed_at__gte=seen_before).update(viewed_at=now)
    if snapshot is None or snapshot.computed_at is None:
        return SnapshotHome(home=None, computed_at=None, run=run)
    home = queries.staff_home_from(snapshot.figures, scope, today)
    return SnapshotHome(home=home, computed_at=snapshot.computed_at, run=run)


def home_snapshot_work(run: Run) -> dict:
    """A run's work: compute the scope's figures as the live page would, and store them."""
    with_progress = lambda percent: run_progress(run=run, progress=percent, step=_("Computing the figures"))  # noqa: E731
    home = queries.staff_home(run.scope, timezone.localdate(), progress=with_progress)
    figures = queries.staff_figures(home)
    HomeSnapshot.objects.update_or_create(scope=run.scope, defaults={"figures": figures, "computed_at": timezone.now()})
    return {"units": home.units}


def home_snapshots_refresh(*, now: datetime.datetime | None = None) -> dict:
    """Periodic (celery beat): start a run for each snapshot viewed recently whose figures are older
    than half their maximum age, so that those scopes' pages rarely find them stale."""
    now = now or timezone.now()
    viewed_since = now - datetime.timedelta(seconds=settings.VANLANG_HOME_SNAPSHOT_VIEWED_WITHIN)
    older_than = now - _max_age() / 2
    due = (
        HomeSnapshot.objects.select_related("scope", "run")
        .filter(viewed_at__gte=viewed_since)
        .exclude(computed_at__gte=older_than)
        .order_by("pk")
    )
    started = 0
    for snapshot in due:
        if not _run_pending(snapshot):
            home_snapshot_request(scope=snapshot.scope, trigger=Run.Trigger.SCHEDULE)
            started += 1
    return {"started": started}
