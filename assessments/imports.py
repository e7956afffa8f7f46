"""Importing a file of results, streamed a chunk at a time: every row is checked, and all are written or none."""

import datetime
from array import array
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Classification
from assessments.rules import rule_set_for
from assessments.services import ResultRow, WriteResult, classifications_write, deciding_body_of, row_problems
from assessments.signals import results_finalized
from cells.models import Organization
from cells.params import parse_year
from cells.tabular import RepeatFinder, RowError, outside_scope, read_rows
from cells.text import NOTE_MAX

REQUIRED = ("code", "year", "level")
OPTIONAL = ("score", "note", "reason")
FIRST_YEAR = 1930
CHUNK = 900  # stays under SQLite's limit of bound variables per query
CACHE_LIMIT = 50_000  # organizations kept between chunks


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    written: WriteResult | None = None
    rows: int = 0


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _parse(number: int, values: dict, errors: list[RowError], seen: RepeatFinder) -> dict | None:
    """Check what a row can tell on its own; the organization and stored results come later."""
    before = len(errors)
    code = values.get("code", "")
    if not code:
        errors.append(RowError(number, "code", _("The code is empty: write the organization's code.")))
    year = parse_year(values.get("year", ""), first=FIRST_YEAR, last=datetime.date.today().year + 1)
    if year is None:
        errors.append(
            RowError(
                number,
                "year",
                _("“%(value)s” is not a year: write the year of assessment, e.g. 2018.")
                % {"value": values.get("year")},
            )
        )
    level = None
    if year is not None:
        rule_set = rule_set_for(year)
        level = rule_set.level_for(values.get("level", ""))
        if level is None:
            errors.append(
                RowError(
                    number,
                    "level",
                    _(
                        "“%(value)s” is not a level of the %(year)s rule set (%(rule_set)s). Use one of: "
                        "%(labels)s, or the codes excellent, good, complete, incomplete."
                    )
                    % {
                        "value": values.get("level", ""),
                        "year": year,
                        "rule_set": rule_set.code,
                        "labels": rule_set.label_list(),
                    },
                )
            )
    score = None
    if values.get("score"):
        try:
            score = Decimal(values["score"].replace(",", "."))
            if not score.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(
                RowError(
                    number,
                    "score",
                    _("“%(value)s” is not a number: write the score, e.g. 85.") % {"value": values["score"]},
                )
            )
            score = None
    for column in ("note", "reason"):
        if len(values.get(column, "")) > NOTE_MAX:
            errors.append(
                RowError(
                    number,
                    column,
                    _("This text has %(length)s characters; at most %(limit)s are allowed. Shorten it.")
                    % {"length": len(values[column]), "limit": NOTE_MAX},
                )
            )
    suspect = False
    if code and year is not None and len(errors) == before:
        # A repeated (code, year) is reported once the whole file is read (RepeatFinder.repeats).
        suspect = seen.add((code.upper(), year), number)
    if len(errors) > before:
        return None
    return {**values, "number": number, "code": code, "year": year, "level": level, "score": score, "suspect": suspect}


@dataclass(slots=True)
class Unit:
    """What the checks read of an organization, from one row of `values_list`: no model object.

    The life-span and tree rules are the model's own methods, not a copy of them.
    """

    pk: int
    code: str
    name: str
    kind: str
    path: str
    founded: datetime.date | None
    dissolved: datetime.date | None

    active_in = Organization.active_in
    ancestor_ids = Organization.ancestor_ids
    is_within = Organization.is_within


UNIT_FIELDS = ("pk", "code", "name", "kind", "path", "founded", "dissolved")


class OrganizationLookup:
    """Organizations by upper-cased code and their ancestors by id, read a chunk at a time.

    Both caches are emptied past CACHE_LIMIT entries: memory is bounded by that, not by the file.
    """

    def __init__(self):
        self.by_code: dict[str, Unit | None] = {}
        self.ancestors: dict[int, Unit] = {}

    def load(self, codes) -> None:
        codes = {code.upper() for code in codes}
        if len(self.by_code) + len(codes) > CACHE_LIMIT:
            # Emptied before the lookup, so every code of this chunk stays known.
            self.by_code, self.ancestors = {}, {}
        missing = codes - set(self.by_code)
        if not missing:
            return
        found = {}
        for chunk in _chunks(missing):
            for row in Organization.objects.filter(code__any=chunk).order_by().values_list(*UNIT_FIELDS):
                found[row[1].upper()] = Unit(*row)
        # Codes are matched exactly first, then without regard to case.
        for chunk in _chunks(missing - set(found)):
            query = Organization.objects.none()
            for code in chunk:
                query |= Organization.objects.filter(code__iexact=code)
            for row in query.order_by().values_list(*UNIT_FIELDS):
                found.setdefault(row[1].upper(), Unit(*row))
        for code in missing:
            self.by_code[code] = found.get(code)
        wanted = {pk for unit in found.values() for pk in unit.ancestor_ids()} - set(self.ancestors)
        for chunk in _chunks(wanted):
            for row in Organization.objects.filter(pk__any=chunk).order_by().values_list(*UNIT_FIELDS):
                self.ancestors[row[0]] = Unit(*row)

    def get(self, code: str) -> Unit | None:
        return self.by_code.get(code.upper())


STORED = (
    "level",
    "label",
    "rule_set",
    "score",
    "note",
    "deciding_body_id",
    "decision_number",
    "decision_date",
    "state",
)


def _stored(rows: list[ResultRow]) -> dict[tuple[int, int], tuple]:
    """The stored results of these rows as plain tuples `(pk, *STORED)`, no model object."""
    stored = {}
    for chunk in _chunks({row.organization_id for row in rows}):
        for organization_id, year, *values in (
            Classification.objects.filter(organization_id__any=chunk, year__in={row.year for row in rows})
            .order_by()
            .values_list("organization_id", "year", "pk", *STORED)
        ):
            stored[(organization_id, year)] = tuple(values)
    return stored


def _unchanged(row: ResultRow, stored: tuple) -> bool:
    """What `classifications_write` would compare, on the stored tuple: a final import of the same values."""
    _pk, level, label, rule_set, score, note, body_id, _number, _date, state = stored
    rules = rule_set_for(row.year)
    return (
        state == Classification.State.FINAL
        and (level, label, rule_set) == (row.level, rules.label(row.level), rules.code)
        and _score(score) == _score(row.score)
        and (row.note is None or row.note == note)
        and (row.deciding_body_id or body_id) == body_id
    )


def _score(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


class _Import:
    """One import's state between chunks."""

    def __init__(self, report: ImportReport, *, has_note: bool, has_reason: bool, user, write: bool, scope=None):
        self.report, self.has_note, self.has_reason, self.user, self.write = report, has_note, has_reason, user, write
        self.scope = scope
        self.organizations = OrganizationLookup()
        self.finalized: dict[int, array] = {}
        self.counts = WriteResult()

    def chunk(self, parsed: list[dict]) -> None:
        """Check a chunk against the organizations and the stored results; write it while the file is clean."""
        report = self.report
        self.organizations.load(row["code"] for row in parsed)
        rows, numbers = [], []
        for row in parsed:
            number, organization = row["number"], self.organizations.get(row["code"])
            if self.scope is not None and (organization is None or not organization.is_within(self.scope)):
                # One message for unknown and outside: a file cannot tell what lies outside the scope.
                report.errors.append(RowError(number, "code", outside_scope(row["code"], self.scope)))
                continue
            if organization is None:
                report.errors.append(
                    RowError(
                        number,
                        "code",
                        _("No organization has the code “%(code)s”: check it against the organization list.")
                        % {"code": row["code"]},
                    )
                )
                continue
            if organization.kind not in (*Organization.GRASSROOTS_KINDS, Organization.Kind.CELL):
                report.errors.append(
                    RowError(
                        number,
                        "code",
                        _("%(name)s is not a grassroots organization or a cell: only those are classified.")
                        % {"name": organization.name},
                    )
                )
                continue
            if not organization.active_in(row["year"]):
                report.errors.append(
                    RowError(
                        number,
                        "year",
                        _("%(name)s did not exist in %(year)s: check the year or the code.")
                        % {"name": organization.name, "year": row["year"]},
                    )
                )
                continue
            body = deciding_body_of(organization, self.organizations.ancestors)
            rows.append(
                ResultRow(
                    organization_id=organization.pk,
                    year=row["year"],
                    level=row["level"],
                    score=row["score"],
                    note=row.get("note", "") if self.has_note else None,
                    reason=row.get("reason", ""),
                    deciding_body_id=body.pk if body else None,
                )
            )
            numbers.append(number)
        if not rows:
            return
        stored = _stored(rows)
        # Unchanged rows are counted on the stored tuples; model objects only for rows that change.
        changing = [
            key
            for row in rows
            if (key := (row.organization_id, row.year)) in stored and not _unchanged(row, stored[key])
        ]
        objects = {}
        if changing:
            by_pk = Classification.objects.in_bulk([stored[key][0] for key in changing])
            objects = {key: by_pk[stored[key][0]] for key in changing}
        to_write = []
        for number, row in zip(numbers, rows, strict=True):
            key = (row.organization_id, row.year)
            if key in stored and key not in objects:
                for column, severity, message in row_problems(row=row, existing=None):
                    (report.errors if severity == "error" else report.warnings).append(
                        RowError(number, column, message)
                    )
                self.counts.unchanged += 1
                continue
            for column, severity, message in row_problems(row=row, existing=objects.get(key)):
                if column == "reason" and not self.has_reason:
                    message = f"{message} " + _("Add a “reason” column to the file for corrections.")
                (report.errors if severity == "error" else report.warnings).append(RowError(number, column, message))
            to_write.append(row)
        if report.errors or not to_write:
            return
        written = classifications_write(rows=to_write, existing=objects, finalize=True, user=self.user, notify=False)
        for name in ("created", "updated", "unchanged", "corrected"):
            setattr(self.counts, name, getattr(self.counts, name) + getattr(written, name))
        for organization_id, year in written.finalized:
            self.finalized.setdefault(year, array("q")).append(organization_id)
        if not self.write:
            # A dry run keeps nothing of the chunk, but counts it as an import would.
            transaction.set_rollback(True)


def classifications_import(
    *, path: str | Path, dry_run: bool = False, user=None, scope: Organization | None = None, progress=None
) -> ImportReport:
    """Read, check and (unless `dry_run` or any error) write a file of results, all or nothing.

    The file is streamed: a chunk of rows is checked, compared with the stored results (as
    tuples) and written at a time, in one transaction that any error rolls back. Memory does not
    grow with the file. Raises cells.tabular.TabularFileError when the file itself cannot be read.
    With `scope`, a row of an organization outside that subtree is a row error.
    `progress(rows)`, if given, hears how many rows were read (a background run's bar).
    """
    report = ImportReport()
    progress = progress or (lambda rows: None)
    seen, held, state = RepeatFinder(path), [], None
    with transaction.atomic():
        chunk = []
        for number, values in read_rows(path, required=REQUIRED, optional=OPTIONAL, errors=report.errors):
            if state is None:
                # Every row carries the file's columns: the first tells which optional ones it has.
                state = _Import(
                    report,
                    has_note="note" in values,
                    has_reason="reason" in values,
                    user=user,
                    write=not dry_run,
                    scope=scope,
                )
            report.rows += 1
            row = _parse(number, values, report.errors, seen)
            if row is not None:
                (held if row["suspect"] else chunk).append(row)
            if len(chunk) == CHUNK:
                _savepoint_chunk(state, chunk)
                chunk = []
                progress(report.rows)
        if state is None:
            return report
        _savepoint_chunk(state, chunk)
        repeats = seen.repeats(_keys(path, seen.suspects) if seen.suspects else ())
        for number, first, key in repeats:
            report.errors.append(
                RowError(
                    number,
                    "code",
                    _("%(code)s already has a result for %(year)s in row %(row)s: keep one row per unit and year.")
                    % {"code": key[0], "year": key[1], "row": first},
                )
            )
        repeated = {number for number, _first, _key in repeats}
        held = [row for row in held if row["number"] not in repeated]
        for start in range(0, len(held), CHUNK):
            _savepoint_chunk(state, held[start : start + CHUNK])
        if report.errors:
            transaction.set_rollback(True)
            report.errors.sort(key=lambda error: error.row)
            return report
    report.written = state.counts
    report.written.finalized = [(pk, year) for year, ids in state.finalized.items() for pk in ids]
    if not dry_run:
        for year, ids in sorted(state.finalized.items()):
            results_finalized.send(sender=Classification, year=year, organization_ids=ids)
    return report


def _savepoint_chunk(state: _Import, chunk: list[dict]) -> None:
    # A dry run writes each chunk in a savepoint it rolls back, so the comparison of the next
    # chunk sees the database as it was.
    if state.write:
        state.chunk(chunk)
    else:
        with transaction.atomic():
            state.chunk(chunk)


def _keys(path, suspects: list):
    """`(key, row)` of the file's well-formed rows of the suspects' codes, for `RepeatFinder.repeats`."""
    codes = {code for (code, _year), _number in suspects}
    # The file's unreadable cells were reported by the first pass: not again.
    for number, values in read_rows(path, required=REQUIRED, optional=OPTIONAL, errors=[]):
        code = values.get("code", "").upper()
        if code not in codes:
            continue
        year = parse_year(values.get("year", ""), first=FIRST_YEAR, last=datetime.date.today().year + 1)
        if year is None:
            continue
        yield (code, year), number
