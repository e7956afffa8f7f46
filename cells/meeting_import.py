"""Importing meeting records from a CSV or XLSX file, all or nothing.

A meeting is identified by its cell, date and kind: a row that matches a stored meeting
updates its figures when they differ and is otherwise left alone, so importing the same file
again changes nothing.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cells.audit import audit_bulk, snapshot
from cells.models import Meeting, Organization
from cells.params import parse_int
from cells.tabular import RowError, match_choice, parse_date, read_rows
from cells.text import fold

REQUIRED = ("cell_code", "date", "kind", "members_total", "members_present")
OPTIONAL = ("duration_minutes", "topic")
FIELDS = ("members_total", "members_present", "duration_minutes", "topic")
MAX_NUMBER = 32767  # the figures are small integer columns
# The names users write, folded (cells.text.fold), whatever the catalog says.
KIND_NAMES = {
    "dinh ky": Meeting.Kind.REGULAR,
    "chuyen de": Meeting.Kind.THEMED,
    "dinh ky ket hop chuyen de": Meeting.Kind.COMBINED,
    "ket hop": Meeting.Kind.COMBINED,
}


def parse_kind(text: str) -> str | None:
    folded = fold(text)
    if folded.startswith("sinh hoat "):
        folded = folded[len("sinh hoat ") :]
    return KIND_NAMES.get(folded) or match_choice(text, Meeting.Kind)


@dataclass
class MeetingImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _number(text, row, column, errors, required=True) -> int | None:
    if text == "":
        if required:
            errors.append(RowError(row, column, _("A number is required here.")))
        return None
    value = parse_int(text, maximum=MAX_NUMBER)
    if value is None:
        errors.append(RowError(row, column, _("“%(value)s” is not a whole number of 0 or more.") % {"value": text}))
    return value


def meetings_import(*, path, dry_run: bool = False, actor=None) -> MeetingImportResult:
    """Validate every row, then write them in one transaction; with any error, write nothing."""
    result = MeetingImportResult()
    errors = result.errors
    rows = []
    today = timezone.localdate()
    for number, values in read_rows(path, required=REQUIRED, optional=OPTIONAL, errors=errors):
        before = len(errors)
        code = values.get("cell_code", "")
        if not code:
            errors.append(RowError(number, "cell_code", _("The cell code is missing.")))
        date = parse_date(values.get("date", ""))
        if date is None:
            errors.append(
                RowError(
                    number, "date", _("“%(value)s” is not a date: write dd/mm/yyyy.") % {"value": values.get("date")}
                )
            )
        elif date > today:
            errors.append(
                RowError(number, "date", _("%(date)s is in the future: only meetings already held can be recorded.")
                         % {"date": date.strftime("%d/%m/%Y")})
            )  # fmt: skip
        kind = parse_kind(values.get("kind", ""))
        if kind is None:
            errors.append(
                RowError(number, "kind", _("“%(value)s” is not a kind of meeting: write regular, themed or combined.")
                         % {"value": values.get("kind")})
            )  # fmt: skip
        total = _number(values.get("members_total", ""), number, "members_total", errors)
        present = _number(values.get("members_present", ""), number, "members_present", errors)
        duration = _number(values.get("duration_minutes", ""), number, "duration_minutes", errors, required=False)
        if total == 0:
            errors.append(RowError(number, "members_total", _("A cell has at least one member on the roll.")))
        if total is not None and present is not None and present > total:
            errors.append(
                RowError(number, "members_present", _("%(present)s present is more than the %(total)s on the roll.")
                         % {"present": present, "total": total})
            )  # fmt: skip
        topic = values.get("topic", "")
        if len(topic) > 255:
            errors.append(RowError(number, "topic", _("The topic is longer than 255 characters.")))
        # Rows with a problem are kept too, so that an unknown cell code is still reported.
        rows.append((number, code, date, kind, {"members_total": total, "members_present": present,
                                                "duration_minutes": duration, "topic": topic},
                     len(errors) == before))  # fmt: skip

    codes = sorted({code for _n, code, *_rest in rows if code})
    cells = {}
    for start in range(0, len(codes), 5000):  # databases cap the parameters of one query
        chunk = Organization.objects.filter(code__in=codes[start : start + 5000])
        cells.update({cell.code: cell for cell in chunk.only("id", "code", "kind", "name", "founded", "dissolved")})
    seen = {}
    checked = []
    for number, code, date, kind, values, valid in rows:
        if not code:
            continue
        cell = cells.get(code)
        if cell is None:
            errors.append(RowError(number, "cell_code", _("No organization has the code “%(code)s”.") % {"code": code}))
            continue
        if not cell.is_cell:
            errors.append(RowError(number, "cell_code", _("%(name)s is not a party cell.") % {"name": cell.name}))
            continue
        if not valid:
            continue
        if not cell.active_on(date):
            errors.append(
                RowError(number, "date", _("%(name)s did not exist on %(date)s.")
                         % {"name": cell.name, "date": date.strftime("%d/%m/%Y")})
            )  # fmt: skip
            continue
        key = (cell.pk, date, kind)
        if key in seen:
            errors.append(
                RowError(number, "date", _("The same meeting is already on row %(row)s.") % {"row": seen[key]})
            )
            continue
        seen[key] = number
        checked.append((key, values))
    if errors:
        errors.sort(key=lambda error: error.row)
        return result

    existing = {}
    if checked:
        dates = [key[1] for key, _values in checked]
        stored = Meeting.objects.filter(
            organization_id__in={key[0] for key, _values in checked}, date__gte=min(dates), date__lte=max(dates)
        )
        existing = {(m.organization_id, m.date, m.kind): m for m in stored}
    to_create, to_update, before = [], [], []
    for (cell_id, date, kind), values in checked:
        meeting = existing.get((cell_id, date, kind))
        if meeting is None:
            to_create.append(Meeting(organization_id=cell_id, date=date, kind=kind, **values))
        elif any(getattr(meeting, name) != value for name, value in values.items()):
            before.append(snapshot(meeting))
            for name, value in values.items():
                setattr(meeting, name, value)
            to_update.append(meeting)
        else:
            result.unchanged += 1
    result.created, result.updated = len(to_create), len(to_update)
    if not dry_run:
        with transaction.atomic():
            Meeting.objects.bulk_create(to_create, batch_size=1000)
            Meeting.objects.bulk_update(to_update, FIELDS, batch_size=1000)
            audit_bulk(action="create", objects=to_create, actor=actor)
            audit_bulk(action="update", objects=to_update, before=before, actor=actor)
    return result
