"""The candidate job: from a year's final results, the grassroots organizations to consolidate next year.

Set-based: a fixed handful of queries per run whatever the number of units (see
`candidates_flag`). Safe to run twice: a second run finds nothing to change. A correction
of a result is picked up by the next run: a unit no longer weak is withdrawn with the reason;
a candidate already decided on keeps its decision and is withdrawn, never deleted.
"""

import datetime
import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.models import LEVEL_RANK, WEAK_LEVELS, Classification
from cells.audit import audit_bulk, snapshot
from cells.models import Organization, Run
from cells.runs import run_enqueue, run_execute, run_progress
from plans.models import Candidate, JobRun
from plans.services.reasons import REASON_PROVIDERS

BATCH = 2000

logger = logging.getLogger(__name__)


@dataclass
class FlagResult:
    flagged: int = 0
    created: int = 0
    updated: int = 0
    reproposed: int = 0
    withdrawn: int = 0
    unchanged: int = 0


def _progress(run: JobRun | None, progress: int, step: str):
    run_progress(run=run, progress=progress, step=step)


def classification_reason(year: int, label: str) -> str:
    return _("Classification for %(year)s: %(label)s") % {"year": year, "label": label}


def candidates_flag(*, year: int, scope: Organization | None = None, run: JobRun | None = None) -> FlagResult:
    """Bring the candidates for `year + 1` in line with the final results of `year`.

    Queries: the weak results (1), one per reason provider, the stored candidates (1), the
    current results of units that may be withdrawn (1), then bulk writes and progress updates.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _flag(year=year, scope=scope, run=run)


def inherited_reason(*, name: str, year: int, label: str) -> str:
    return _("Successor of %(name)s, rated “%(label)s” in %(year)s") % {"name": name, "year": year, "label": label}


@dataclass
class Weakness:
    """Why a unit is proposed: its own weak result, or the weak results of predecessors it carries."""

    classification_id: int
    level: str
    reasons: list


def _weak_results(*, year: int, scope: Organization | None):
    """Rows of the year's weak final results, with whether the unit, and its successor, live on
    1 January of the support year (one query)."""
    first_day = datetime.date(year + 1, 1, 1)
    results = Classification.objects.filter(year=year, state=Classification.State.FINAL, level__in=WEAK_LEVELS)
    successors = Organization.objects.all() if scope is None else Organization.objects.within(scope)
    if scope is not None:
        results = results.within(scope)
    return (
        results.grassroots()
        .annotate(
            alive=Exists(Organization.objects.filter(pk=OuterRef("organization_id")).active_on(first_day)),
            successor_alive=Exists(
                successors.grassroots().filter(pk=OuterRef("organization__successor_id")).active_on(first_day)
            ),
        )
        .order_by("organization__code")
        .values_list(
            "pk",
            "organization_id",
            "level",
            "label",
            "alive",
            "organization__successor_id",
            "successor_alive",
            "organization__name",
        )
    )


def _weaknesses(*, year: int, scope: Organization | None, run) -> tuple[dict[int, Weakness], int]:
    """`{organization_id: Weakness}` of the units to propose, and the number of weak results read.

    A weak unit that no longer exists on 1 January of the support year is not proposed; its
    successor alive that day is, with a reason naming it. Reason providers speak about the
    weak units themselves (their cells, their history), so a successor inherits theirs.
    """
    rows = list(_weak_results(year=year, scope=scope))
    own, carried = {}, {}
    for pk, organization_id, level, label, alive, successor_id, successor_alive, name in rows:
        if alive:
            own[organization_id] = (pk, level, label)
        elif successor_id and successor_alive:
            carried.setdefault(successor_id, []).append((organization_id, pk, level, label, name))
    said = {organization_id: [] for organization_id in own}
    said.update({predecessor[0]: [] for predecessors in carried.values() for predecessor in predecessors})
    ids = sorted(said)
    for number, provider in enumerate(REASON_PROVIDERS, start=1):
        _progress(run, 10 + 50 * number // max(len(REASON_PROVIDERS), 1), _("Collecting the reasons"))
        for organization_id, sentences in (provider(year, ids) if ids else {}).items():
            if organization_id in said:
                said[organization_id].extend(sentences)
    weaknesses = {
        organization_id: Weakness(pk, level, [classification_reason(year, label), *said[organization_id]])
        for organization_id, (pk, level, label) in own.items()
    }
    for successor_id, predecessors in carried.items():
        # The weakest predecessor is the one that triggers; a successor weak itself keeps its own result.
        predecessors.sort(key=lambda row: (LEVEL_RANK[row[2]], row[4]))
        inherited = []
        for organization_id, _pk, _level, label, name in predecessors:
            inherited.append(inherited_reason(name=name, year=year, label=label))
            inherited.extend(said[organization_id])
        if successor_id in weaknesses:
            weaknesses[successor_id].reasons.extend(inherited)
        else:
            _predecessor, pk, level, _label, _name = predecessors[0]
            weaknesses[successor_id] = Weakness(pk, level, inherited)
    return weaknesses, len(rows)


def _flag(*, year, scope, run) -> FlagResult:
    support_year = year + 1
    first_day = datetime.date(support_year, 1, 1)
    _progress(run, 5, _("Reading the results"))
    weak, flagged = _weaknesses(year=year, scope=scope, run=run)
    ids = sorted(weak)

    _progress(run, 70, _("Updating the list"))
    result = FlagResult(flagged=flagged)
    with transaction.atomic():
        stored = Candidate.objects.filter(year=support_year)
        if scope is not None:
            stored = stored.within(scope)
        stored = stored.annotate(
            alive=Exists(Organization.objects.filter(pk=OuterRef("organization_id")).active_on(first_day)),
            triggered_by=F("classification__organization_id"),
        )
        stored = {candidate.organization_id: candidate for candidate in stored.select_for_update(of=("self",))}
        current = {
            organization_id: (level, label)
            for organization_id, level, label in Classification.objects.filter(
                year=year, state=Classification.State.FINAL, organization__candidacies__year=support_year
            ).values_list("organization_id", "level", "label")
        }
        to_create, to_update, before = [], [], []
        for organization_id in ids:
            weakness = weak[organization_id]
            candidate = stored.get(organization_id)
            if candidate is None:
                to_create.append(
                    Candidate(
                        organization_id=organization_id,
                        year=support_year,
                        classification_id=weakness.classification_id,
                        level=weakness.level,
                        reasons=weakness.reasons,
                        source=Candidate.Source.JOB,
                    )
                )
                continue
            if candidate.source != Candidate.Source.JOB:
                result.unchanged += 1  # staff added it by hand: theirs to keep
                continue
            wanted = {
                "classification_id": weakness.classification_id,
                "level": weakness.level,
                "reasons": weakness.reasons,
                "status": Candidate.Status.PROPOSED,
                "withdrawn_reason": "",
            }
            if all(getattr(candidate, name) == value for name, value in wanted.items()):
                result.unchanged += 1
                continue
            if candidate.status == Candidate.Status.WITHDRAWN:
                result.reproposed += 1
            else:
                result.updated += 1
            before.append(snapshot(candidate))
            for name, value in wanted.items():
                setattr(candidate, name, value)
            to_update.append(candidate)
        today = date_format(timezone.localdate(), "d/m/Y")
        for organization_id, candidate in stored.items():
            if organization_id in weak or candidate.source != Candidate.Source.JOB:
                continue
            if candidate.status == Candidate.Status.WITHDRAWN:
                continue
            level_label = current.get(organization_id)
            if not candidate.alive:
                reason = _("Withdrawn on %(date)s: the unit no longer exists on 1 January %(year)s.") % {
                    "date": today,
                    "year": support_year,
                }
            elif candidate.triggered_by not in (None, organization_id):
                reason = _("Withdrawn on %(date)s: no predecessor's %(year)s result calls for support any more.") % {
                    "date": today,
                    "year": year,
                }
            elif level_label:
                reason = _("Withdrawn on %(date)s: the %(year)s result is now “%(label)s”.") % {
                    "date": today,
                    "year": year,
                    "label": level_label[1],
                }
            else:
                reason = _("Withdrawn on %(date)s: there is no final %(year)s result any more.") % {
                    "date": today,
                    "year": year,
                }
            if candidate.decision != Candidate.Decision.PENDING:
                reason = f"{reason} " + _("The decision already recorded is kept: review it.")
            before.append(snapshot(candidate))
            candidate.status = Candidate.Status.WITHDRAWN
            candidate.withdrawn_reason = reason
            to_update.append(candidate)
            result.withdrawn += 1
        if to_create:
            # A run racing this one may have created the same rows: the constraint keeps one.
            Candidate.objects.bulk_create(to_create, batch_size=BATCH, ignore_conflicts=True)
            # With ignore_conflicts the rows get no keys back: read them, for their audit entries.
            to_create = _inserted(to_create, support_year, scope, stored)
        if to_update:
            now = timezone.now()
            for candidate in to_update:
                candidate.updated_at = now
            Candidate.objects.bulk_update(
                to_update,
                ["classification", "level", "reasons", "status", "withdrawn_reason", "updated_at"],
                batch_size=BATCH,
            )
        result.created = len(to_create)
        audit_bulk(action="create", objects=to_create)
        audit_bulk(action="update", objects=to_update, before=before)
    _progress(run, 95, _("Finished"))
    return result


def _inserted(candidates: list[Candidate], year: int, scope: Organization | None, stored: dict) -> list[Candidate]:
    """`candidates` as now stored, with their keys (bulk_create with ignore_conflicts returns none)."""
    rows = Candidate.objects.filter(year=year)
    if scope is not None:
        rows = rows.within(scope)
    by_organization = {c.organization_id: c for c in candidates}
    inserted = []
    for pk, organization_id, created_at in rows.values_list("pk", "organization_id", "created_at"):
        candidate = by_organization.get(organization_id)
        if candidate is not None and organization_id not in stored:
            candidate.pk, candidate.created_at = pk, created_at
            inserted.append(candidate)
    return inserted


def candidates_run_start(*, year: int, scope: Organization | None, user=None, trigger=JobRun.Trigger.BUTTON) -> JobRun:
    """Record a run and send its task (by name) once the transaction commits."""
    run = JobRun.objects.create(year=year, scope=scope, requested_by=user, trigger=trigger)
    run_enqueue(run=run)
    return run


def candidates_run_work(run: Run) -> dict:
    """The work of a recorded run (`cells.runs.run_execute` claims it and records the outcome)."""
    return asdict(candidates_flag(year=run.year, scope=run.scope, run=run))


def candidates_run_scheduled(*, scope_id: int | None) -> JobRun | None:
    """The scheduled run (celery beat): the latest year with final results in the scope, here and now."""
    scope = Organization.objects.filter(pk=scope_id).first() if scope_id else None
    year = latest_final_year(scope=scope)
    if year is None:
        return None
    run = JobRun.objects.create(year=year, scope=scope, trigger=JobRun.Trigger.SCHEDULE)
    return run_execute(run_id=run.pk, work=candidates_run_work)


def candidates_run_old_message(*, year: int, scope_id: int | None) -> JobRun | None:
    """A message queued under the old task name `plans.flag_candidates` before runs became `cells.Run`.

    Its `run_id` named a row of the old table, which migration plans 0005 copied under a new id,
    so the run is found again by year and scope among the queued ones (claiming it does nothing if
    the sweep's resend got there first). With none queued and none running, a new run is
    recorded. Either way it runs through the one run path, here and now.
    """
    if scope_id is not None and not Organization.objects.filter(pk=scope_id).exists():
        logger.warning("Old candidate job message for a unit that does not exist (%s): ignored", scope_id)
        return None
    runs = JobRun.objects.filter(year=year, scope_id=scope_id)
    run = runs.filter(state=JobRun.State.QUEUED).order_by("created_at").first()
    if run is None:
        if runs.filter(state=JobRun.State.RUNNING).exists():
            return None  # being done by another worker right now
        run = JobRun.objects.create(year=year, scope_id=scope_id, trigger=JobRun.Trigger.BUTTON)
    return run_execute(run_id=run.pk, work=candidates_run_work)


def latest_final_year(*, scope: Organization | None) -> int | None:
    results = Classification.objects.filter(
        state=Classification.State.FINAL, organization__kind__in=Organization.GRASSROOTS_KINDS
    )
    if scope is not None:
        results = results.within(scope)
    return results.order_by("-year").values_list("year", flat=True).first()
