"""Writes of classifications: a whole year's entry at once, imports, corrections.

Every write goes through `classifications_write`, which reads nothing itself and writes in
bulk, so saving 53 rows or 55,000 costs the same handful of queries.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Classification, ClassificationChange, Level
from assessments.rules import rule_set_for, score_problem
from assessments.signals import results_finalized
from cells.audit import audit_bulk, snapshot
from cells.models import Organization
from cells.text import document_number


@dataclass
class ResultRow:
    """One result to write: the organization, the year and what the user typed."""

    organization_id: int
    year: int
    level: str
    score: Decimal | None = None
    note: str | None = None  # None keeps the stored note
    reason: str = ""  # needed when a final result changes
    deciding_body_id: int | None = None


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    corrected: int = 0
    finalized: list = field(default_factory=list)  # (organization_id, year)


def deciding_body_of(organization: Organization, ancestors: dict[int, Organization]) -> Organization | None:
    """Who classifies the unit: a cell's grassroots committee, a grassroots unit's upper committee."""
    wanted = Organization.GRASSROOTS_KINDS if organization.kind == Organization.Kind.CELL else None
    for pk in reversed(organization.ancestor_ids()):
        ancestor = ancestors.get(pk)
        if ancestor is None:
            continue
        if wanted is None and ancestor.kind == Organization.Kind.UPPER_COMMITTEE:
            return ancestor
        if wanted is not None and ancestor.kind in wanted:
            return ancestor
    return None


def row_problems(*, row: ResultRow, existing: Classification | None) -> list[tuple[str, str, str]]:
    """(column, severity, message) for one row; severity "error" blocks the save, "warning" does not."""
    problems = []
    severity, message = score_problem(year=row.year, level=row.level, score=row.score)
    if severity:
        problems.append(("score", severity, message))
    if existing is not None and existing.state == Classification.State.FINAL and changes_result(existing, row):
        if not row.reason.strip():
            problems.append(
                (
                    "reason",
                    "error",
                    _(
                        "The %(year)s result is final (“%(label)s”): changing it needs a reason, "
                        "which stays in the history. Write the reason or restore the level."
                    )
                    % {"year": existing.year, "label": existing.label or existing.get_level_display()},
                )
            )
    return problems


def changes_result(existing: Classification, row: ResultRow) -> bool:
    return existing.level != row.level or _score(existing.score) != _score(row.score)


def _score(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


@transaction.atomic
def classifications_write(
    *,
    rows: list[ResultRow],
    existing: dict[tuple[int, int], Classification],
    finalize: bool,
    user=None,
    decision_number: str = "",
    decision_date: datetime.date | None = None,
    notify: bool = True,
) -> WriteResult:
    """Create or update the given results in bulk; `existing` maps (organization_id, year) to the stored ones.

    The caller has validated the rows with `row_problems`. A final result that changes gets a
    `ClassificationChange` with the row's reason. With `finalize`, the rows become final and
    `results_finalized` is sent for them (unless `notify` is off: a caller writing in chunks
    sends it once for the whole); a final result never goes back to draft.
    """
    result = WriteResult()
    decision_number = document_number(decision_number)
    to_create, to_update, corrections = [], [], []
    before, reasons = [], []
    for row in rows:
        label = rule_set_for(row.year).label(row.level)
        rule_set = rule_set_for(row.year).code
        current = existing.get((row.organization_id, row.year))
        if current is None:
            to_create.append(
                Classification(
                    organization_id=row.organization_id,
                    year=row.year,
                    level=row.level,
                    label=label,
                    rule_set=rule_set,
                    score=row.score,
                    note=row.note or "",
                    deciding_body_id=row.deciding_body_id,
                    decision_number=decision_number,
                    decision_date=decision_date,
                    state=Classification.State.FINAL if finalize else Classification.State.DRAFT,
                    updated_by=user,
                )
            )
            if finalize:
                result.finalized.append((row.organization_id, row.year))
            continue
        was_final = current.state == Classification.State.FINAL
        corrected = was_final and changes_result(current, row)
        new_values = {
            "level": row.level,
            "label": label,
            "rule_set": rule_set,
            "score": _score(row.score),
            "note": current.note if row.note is None else row.note,
            "deciding_body_id": row.deciding_body_id or current.deciding_body_id,
            "decision_number": decision_number or current.decision_number,
            "decision_date": decision_date or current.decision_date,
            "state": Classification.State.FINAL if (finalize or was_final) else Classification.State.DRAFT,
        }
        old_values = {name: getattr(current, name) for name in new_values}
        old_values["score"] = _score(current.score)
        if new_values == old_values:
            result.unchanged += 1
            continue
        before.append(snapshot(current))
        reasons.append(row.reason.strip() if corrected else "")
        if corrected:
            corrections.append(
                ClassificationChange(
                    classification=current,
                    old_level=current.level,
                    old_label=current.label,
                    old_score=current.score,
                    new_level=row.level,
                    new_label=label,
                    new_score=row.score,
                    reason=row.reason.strip(),
                    changed_by=user,
                )
            )
            current.change_reason = row.reason.strip()
            result.corrected += 1
        for name, value in new_values.items():
            setattr(current, name, value)
        current.updated_by = user
        current.updated_at = timezone.now()  # bulk_update skips auto_now
        to_update.append(current)
        if corrected or (finalize and not was_final):
            result.finalized.append((row.organization_id, row.year))
    if to_create:
        Classification.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        Classification.objects.bulk_update(
            to_update,
            [
                "level",
                "label",
                "rule_set",
                "score",
                "note",
                "deciding_body",
                "decision_number",
                "decision_date",
                "state",
                "change_reason",
                "updated_by",
                "updated_at",
            ],
            batch_size=2000,
        )
    if corrections:
        ClassificationChange.objects.bulk_create(corrections, batch_size=2000)
    audit_bulk(action="create", objects=to_create, actor=user)
    audit_bulk(action="update", objects=to_update, before=before, reasons=reasons, actor=user)
    audit_bulk(action="create", objects=corrections, reasons=[c.reason for c in corrections], actor=user)
    result.created, result.updated = len(to_create), len(to_update)
    if result.finalized and notify:
        by_year = {}
        for organization_id, year in result.finalized:
            by_year.setdefault(year, []).append(organization_id)
        for year, ids in sorted(by_year.items()):
            results_finalized.send(sender=Classification, year=year, organization_ids=ids)
    return result


def level_choices_for(year: int) -> list[tuple[str, str]]:
    """The levels as the year's rule set writes them, best first."""
    rule_set = rule_set_for(year)
    return [(level.value, rule_set.label(level)) for level in Level]
