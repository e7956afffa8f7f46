"""Importing a file of results: every row is checked first, then all are written in bulk, or none."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Classification
from assessments.rules import rule_set_for
from assessments.services import ResultRow, WriteResult, classifications_write, deciding_body_of, row_problems
from cells.models import Organization
from cells.params import parse_year
from cells.tabular import RowError, read_rows
from cells.text import NOTE_MAX

REQUIRED = ("code", "year", "level")
OPTIONAL = ("score", "note", "reason")
FIRST_YEAR = 1930
CHUNK = 900  # stays under SQLite's limit of bound variables per query


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


def _parse(number: int, values: dict, errors: list[RowError], seen: dict) -> dict | None:
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
    if code and year is not None:
        key = (code.upper(), year)
        if key in seen:
            errors.append(
                RowError(
                    number,
                    "code",
                    _("%(code)s already has a result for %(year)s in row %(row)s: keep one row per unit and year.")
                    % {"code": code, "year": year, "row": seen[key]},
                )
            )
        else:
            seen[key] = number
    if len(errors) > before:
        return None
    return {**values, "number": number, "code": code, "year": year, "level": level, "score": score}


def classifications_import(*, path: str | Path, dry_run: bool = False, user=None) -> ImportReport:
    """Read, check and (unless `dry_run` or any error) write a file of results, all or nothing.

    Raises cells.tabular.TabularFileError when the file itself cannot be read.
    """
    report = ImportReport()
    parsed, seen = [], {}
    has_note = has_reason = False
    for number, values in read_rows(path, required=REQUIRED, optional=OPTIONAL, errors=report.errors):
        report.rows += 1
        has_note = has_note or "note" in values
        has_reason = has_reason or "reason" in values
        row = _parse(number, values, report.errors, seen)
        if row is not None:
            parsed.append(row)

    # Organizations and their ancestors, a chunk of codes per query.
    codes = {row["code"] for row in parsed}
    organizations = {}
    for chunk in _chunks(codes):
        for organization in Organization.objects.filter(code__in=chunk):
            organizations[organization.code.upper()] = organization
    missing = {code.upper() for code in codes} - set(organizations)
    if missing:
        # Codes are matched exactly first, then without regard to case.
        for chunk in _chunks(missing):
            query = Organization.objects.none()
            for code in chunk:
                query |= Organization.objects.filter(code__iexact=code)
            for organization in query:
                organizations.setdefault(organization.code.upper(), organization)
    ancestor_ids = {pk for organization in organizations.values() for pk in organization.ancestor_ids()}
    ancestors = {}
    for chunk in _chunks(ancestor_ids):
        ancestors.update(Organization.objects.in_bulk(chunk))

    existing = {}
    by_org = {organization.pk for organization in organizations.values()}
    years = {row["year"] for row in parsed}
    for chunk in _chunks(by_org):
        for classification in Classification.objects.filter(organization_id__in=chunk, year__in=years):
            existing[(classification.organization_id, classification.year)] = classification

    rows = []
    for row in parsed:
        number, organization = row["number"], organizations.get(row["code"].upper())
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
        body = deciding_body_of(organization, ancestors)
        result = ResultRow(
            organization_id=organization.pk,
            year=row["year"],
            level=row["level"],
            score=row["score"],
            note=row.get("note", "") if has_note else None,
            reason=row.get("reason", ""),
            deciding_body_id=body.pk if body else None,
        )
        for column, severity, message in row_problems(
            row=result, existing=existing.get((organization.pk, row["year"]))
        ):
            if column == "reason" and not has_reason:
                message = f"{message} " + _("Add a “reason” column to the file for corrections.")
            (report.errors if severity == "error" else report.warnings).append(RowError(number, column, message))
        rows.append(result)

    if report.errors:
        return report
    with transaction.atomic():
        report.written = classifications_write(rows=rows, existing=existing, finalize=True, user=user)
        if dry_run:
            transaction.set_rollback(True)
    return report
