"""Importing meeting records from a CSV or XLSX file, all or nothing.

A meeting is identified by its cell, date and kind: a row that matches a stored meeting
updates its figures when they differ and is otherwise left alone, so importing the same file
again changes nothing.
"""

import datetime
import functools
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cells.audit import audit_bulk, snapshot
from cells.import_uploads import Outcome, rows_progress, upload_import_work
from cells.meeting_years import meeting_years_refresh
from cells.models import Meeting, Organization
from cells.params import parse_int
from cells.tabular import RepeatFinder, RowError, match_choice, outside_scope, read_rows
from cells.tabular import parse_date as parse_any_date
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
    # Cached per language: a file repeats the same few words on every row, and folding is slow.
    return _parse_kind(text, translation.get_language())


@functools.lru_cache(maxsize=256)
def _parse_kind(text: str, _language: str) -> str | None:
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


# A year's file repeats the same 365 dates: parsed once each.
parse_date = functools.lru_cache(maxsize=4096)(parse_any_date)


def _number(text, row, column, errors, required=True) -> int | None:
    if text == "":
        if required:
            errors.append(RowError(row, column, _("A number is required here.")))
        return None
    value = parse_int(text, maximum=MAX_NUMBER)
    if value is None:
        errors.append(RowError(row, column, _("“%(value)s” is not a whole number of 0 or more.") % {"value": text}))
    return value


CHUNK = 2000  # rows checked, compared and written together: memory is one chunk, whatever the file
CACHE_LIMIT = 20_000  # cells kept between chunks; bounded by this, not by the file
KIND_INDEX = {Meeting.Kind.REGULAR: 0, Meeting.Kind.THEMED: 1, Meeting.Kind.COMBINED: 2}


def meeting_key(cell_id: int, date: datetime.date, kind: str) -> int:
    return (cell_id << 22) | (date.toordinal() << 2) | KIND_INDEX[kind]


def _keys(path, cells: "CellLookup", suspects: list):
    """`(key, row)` of the file's well-formed rows of the suspects' cells, for `RepeatFinder.repeats`.

    Codes are looked up a chunk at a time, as in the first pass: one query per chunk, not per cell.
    """
    suspect_cells = {key >> 22 for key, _number in suspects}
    chunk = []
    # The file's unreadable cells were reported by the first pass: not again.
    for number, values in read_rows(path, required=REQUIRED, optional=OPTIONAL, errors=[]):
        chunk.append((number, values.get("cell_code", ""), values.get("date", ""), values.get("kind", "")))
        if len(chunk) == CHUNK:
            yield from _chunk_keys(chunk, cells, suspect_cells)
            chunk = []
    yield from _chunk_keys(chunk, cells, suspect_cells)


def _chunk_keys(chunk, cells: "CellLookup", suspect_cells: set):
    cells.load(code for _number, code, _date, _kind in chunk)
    for number, code, date_text, kind_text in chunk:
        cell = cells.get(code)
        if cell is None or cell.pk not in suspect_cells:
            continue
        date, kind = parse_date(date_text), parse_kind(kind_text)
        if date is not None and kind is not None:
            yield meeting_key(cell.pk, date, kind), number


class CellLookup:
    """Organizations by code (only the fields the checks read), a chunk of codes per query."""

    def __init__(self):
        self.known: dict[str, Organization | None] = {}

    def load(self, codes) -> None:
        codes = {code for code in codes if code}
        if len(self.known) + len(codes) > CACHE_LIMIT:
            self.known = {}  # emptied before the lookup, so this chunk's codes all stay known
        missing = [code for code in codes if code not in self.known]
        if not missing:
            return
        rows = Organization.objects.filter(code__any=missing).only(
            "id", "code", "kind", "name", "path", "founded", "dissolved"
        )
        for code in missing:
            self.known[code] = None
        for cell in rows:
            self.known[cell.code] = cell

    def get(self, code: str):
        if code not in self.known:
            self.load([code])
        return self.known.get(code)


def _parse_row(number: int, values: dict, errors: list[RowError], today: datetime.date, language: str):
    """What a row can tell on its own: `(number, code, date, kind, values, valid)`."""
    before = len(errors)
    code = values.get("cell_code", "")
    if not code:
        errors.append(RowError(number, "cell_code", _("The cell code is missing.")))
    date = parse_date(values.get("date", ""))
    if date is None:
        errors.append(
            RowError(number, "date", _("“%(value)s” is not a date: write dd/mm/yyyy.") % {"value": values.get("date")})
        )
    elif date > today:
        errors.append(
            RowError(number, "date", _("%(date)s is in the future: only meetings already held can be recorded.")
                     % {"date": date.strftime("%d/%m/%Y")})
        )  # fmt: skip
    kind = _parse_kind(values.get("kind", ""), language)
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
    fields = {"members_total": total, "members_present": present, "duration_minutes": duration, "topic": topic}
    return number, code, date, kind, fields, len(errors) == before


def _check_chunk(rows, cells: CellLookup, seen: RepeatFinder, errors: list[RowError], held: list, scope=None) -> list:
    """The chunk's rows against the cells: `[(cell_id, date, kind, values)]` for the good ones.

    A row whose key may repeat an earlier row goes to `held` instead, to be written after `confirm`.
    With `scope`, a cell outside that subtree is a row error.
    """
    cells.load(code for _n, code, *_rest in rows)
    checked = []
    for number, code, date, kind, values, valid in rows:
        if not code:
            continue
        cell = cells.get(code)
        if scope is not None and (cell is None or not cell.is_within(scope)):
            # One message for unknown and outside: a file cannot tell what lies outside the scope.
            errors.append(RowError(number, "cell_code", outside_scope(code, scope)))
            continue
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
        (held if seen.add(meeting_key(cell.pk, date, kind), number) else checked).append((cell.pk, date, kind, values))
    return checked


def _write_chunk(checked: list, result: MeetingImportResult, *, write: bool, actor=None) -> None:
    """Compare the chunk with the stored meetings as plain tuples; create and update in bulk, with
    their audit entries. Model objects are read only for the meetings that change."""
    dates = [date for _pk, date, _kind, _values in checked]
    stored = {
        (cell_id, date, kind): (pk, rest)
        for cell_id, date, kind, pk, *rest in Meeting.objects.filter(
            organization_id__any={pk for pk, *_rest in checked}, date__gte=min(dates), date__lte=max(dates)
        )
        .order_by()
        .values_list("organization_id", "date", "kind", "pk", *FIELDS)
    }
    to_create, changed = [], {}
    for cell_id, date, kind, values in checked:
        match = stored.get((cell_id, date, kind))
        if match is None:
            to_create.append(Meeting(organization_id=cell_id, date=date, kind=kind, **values))
        elif tuple(match[1]) != tuple(values[name] for name in FIELDS):
            changed[match[0]] = values
        else:
            result.unchanged += 1
    result.created += len(to_create)
    result.updated += len(changed)
    if not write:
        return
    to_update, before = [], []
    for pk, meeting in Meeting.objects.in_bulk(list(changed)).items():
        before.append(snapshot(meeting))
        for name, value in changed[pk].items():
            setattr(meeting, name, value)
        to_update.append(meeting)
    Meeting.objects.bulk_create(to_create, batch_size=1000)
    Meeting.objects.bulk_update(to_update, FIELDS, batch_size=1000)
    audit_bulk(action="create", objects=to_create, actor=actor)
    audit_bulk(action="update", objects=to_update, before=before, actor=actor)
    written = [*to_create, *to_update]
    if written:  # the summary of the cells and years written (cells.meeting_years)
        meeting_years_refresh(cells={m.organization_id for m in written}, years={m.date.year for m in written})


def meetings_import(*, path, dry_run: bool = False, actor=None, scope=None, progress=None) -> MeetingImportResult:
    """Check and write the file chunk by chunk in one transaction; with any error, write nothing.

    The file is streamed: rows are checked, compared with the stored meetings and written a
    chunk at a time, so memory does not grow with the file. After the first error nothing more
    is written, the rest is still checked so every problem is reported, and the transaction is
    rolled back. With `scope`, only cells in that subtree may be named; `progress(rows)`, if
    given, hears how many rows were read (a background run's bar).
    """
    result = MeetingImportResult()
    progress = progress or (lambda rows: None)
    rows = 0
    errors = result.errors
    today, language = timezone.localdate(), translation.get_language()
    cells, seen, held = CellLookup(), RepeatFinder(path), []
    with transaction.atomic():
        chunk = []
        for number, values in read_rows(path, required=REQUIRED, optional=OPTIONAL, errors=errors):
            chunk.append(_parse_row(number, values, errors, today, language))
            if len(chunk) == CHUNK:
                checked = _check_chunk(chunk, cells, seen, errors, held, scope)
                if checked and not errors:
                    _write_chunk(checked, result, write=not dry_run, actor=actor)
                rows += len(chunk)
                chunk = []
                progress(rows)
        checked = _check_chunk(chunk, cells, seen, errors, held, scope)
        if checked and not errors:
            _write_chunk(checked, result, write=not dry_run, actor=actor)
        for number, first, _key in seen.repeats(_keys(path, cells, seen.suspects) if seen.suspects else ()):
            errors.append(RowError(number, "date", _("The same meeting is already on row %(row)s.") % {"row": first}))
        for start in range(0, len(held) if not errors else 0, CHUNK):
            _write_chunk(held[start : start + CHUNK], result, write=not dry_run, actor=actor)
        if errors or dry_run:
            transaction.set_rollback(True)
    if errors:
        errors.sort(key=lambda error: error.row)
        result.created = result.updated = result.unchanged = 0
    return result


def _meetings(*, path, dry_run, scope, actor, remote_addr, progress) -> Outcome:
    result = meetings_import(
        path=path, dry_run=dry_run, actor=actor, scope=scope, progress=rows_progress(path, progress)
    )
    if result.errors:
        return Outcome(errors=result.errors)
    if not (result.created or result.updated or result.unchanged):
        return Outcome(
            errors=[RowError(0, "", _("The file has a header row but no meetings. Add one row per meeting."))]
        )
    return Outcome(counts={"created": result.created, "updated": result.updated, "unchanged": result.unchanged})


def meetings_import_work(run) -> dict:
    """A meeting file previewed or confirmed on the import page, as a background run."""
    return upload_import_work(run, _meetings)
