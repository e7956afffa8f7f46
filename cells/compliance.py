"""Meeting compliance and admission counts, computed by the database in a fixed number of queries.

A cell should hold one regular meeting a month (Điều lệ Đảng, art. 24) and a themed one a
quarter; a combined meeting counts as both. Every function here reads a whole scope with the
same few queries whatever its size: the counting is done by aggregates, Python only groups
the rows the database returns.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from cells.models import Admission, Meeting, Organization
from cells.models.tree import nearest_on_path, year_bounds

MONTHS_PER_THEMED_MEETING = 3
# A cell that held fewer than 10 of its 12 regular meetings is highlighted (the story's "under 10").
LOW_SHARE = 10 / 12


def with_meeting_counts(cells: QuerySet, year: int) -> QuerySet:
    """Annotate the year's meeting figures on a queryset of cells: one grouped join, no query per row."""
    first, last = year_bounds(year)
    in_year = Q(meetings__date__gte=first, meetings__date__lte=last)
    return cells.annotate(
        regular=Count("meetings", filter=in_year & Q(meetings__kind__in=Meeting.REGULAR_KINDS)),
        themed=Count("meetings", filter=in_year & Q(meetings__kind__in=Meeting.THEMED_KINDS)),
        meeting_count=Count("meetings", filter=in_year),
        present_sum=Sum("meetings__members_present", filter=in_year),
        roll_sum=Sum("meetings__members_total", filter=in_year),
        with_guest=Count("meetings", filter=in_year & ~Q(meetings__guest="")),
    )


def expected_months(founded, dissolved, year: int, today: datetime.date) -> int:
    """Months of `year` in which a cell existed, up to the current month."""
    first, last = year_bounds(year)
    start = max(first, founded) if founded else first
    end = min(d for d in (last, dissolved, today) if d is not None)
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


@dataclass
class CellCompliance:
    """One cell's meetings in a year."""

    id: int
    code: str
    name: str
    path: str
    regular: int
    themed: int
    meeting_count: int
    present_sum: int
    roll_sum: int
    with_guest: int
    expected_regular: int

    @property
    def expected_themed(self) -> int:
        return math.ceil(self.expected_regular / MONTHS_PER_THEMED_MEETING)

    @property
    def has_records(self) -> bool:
        """A year without a single meeting record is "no records", not "every meeting missed"."""
        return self.meeting_count > 0

    @property
    def met_regularly(self) -> bool:
        return self.has_records and self.regular >= self.expected_regular

    @property
    def low(self) -> bool:
        return self.has_records and self.regular < math.ceil(self.expected_regular * LOW_SHARE)

    @property
    def attendance_percent(self) -> float | None:
        return 100 * self.present_sum / self.roll_sum if self.roll_sum else None


@dataclass
class GrassrootsCompliance:
    """A grassroots organization's cells in a year: "16/16 cells met regularly"."""

    id: int
    code: str
    name: str
    cells: list[CellCompliance] = field(default_factory=list)

    @property
    def cell_count(self) -> int:
        return len(self.cells)

    @property
    def regular_count(self) -> int:
        return sum(1 for cell in self.cells if cell.met_regularly)

    @property
    def low_cells(self) -> list[CellCompliance]:
        return [cell for cell in self.cells if cell.low]

    @property
    def meeting_count(self) -> int:
        return sum(cell.meeting_count for cell in self.cells)


def cell_compliance(*, organization: Organization, year: int, today=None) -> list[CellCompliance]:
    """Every cell in `organization`'s subtree active in `year`, with its meetings, sorted by code. One query."""
    today = today or timezone.localdate()
    cells = with_meeting_counts(Organization.objects.cells().within(organization).active_in(year), year)
    rows = cells.order_by("code").values(
        "id", "code", "name", "path", "founded", "dissolved", "regular", "themed", "meeting_count", "present_sum",
        "roll_sum", "with_guest",
    )  # fmt: skip
    return [
        CellCompliance(
            id=row["id"],
            code=row["code"],
            name=row["name"],
            path=row["path"],
            regular=row["regular"],
            themed=row["themed"],
            meeting_count=row["meeting_count"],
            present_sum=row["present_sum"] or 0,
            roll_sum=row["roll_sum"] or 0,
            with_guest=row["with_guest"],
            expected_regular=expected_months(row["founded"], row["dissolved"], year, today),
        )
        for row in rows
    ]


def grassroots_of(cell_path: str, grassroots_ids: set[int]) -> int | None:
    """The grassroots organization above a cell (or the cell itself), read from its path."""
    return nearest_on_path(cell_path, grassroots_ids)


def grassroots_compliance(*, organization: Organization, year: int, today=None) -> list[GrassrootsCompliance]:
    """Per grassroots organization in the subtree, its cells' compliance. Two queries."""
    cells = cell_compliance(organization=organization, year=year, today=today)
    grassroots = (
        Organization.objects.grassroots()
        .within(organization)
        .active_in(year)
        .order_by("name_folded")
        .values("id", "code", "name")
    )
    groups = {row["id"]: GrassrootsCompliance(**row) for row in grassroots}
    ids = set(groups)
    for cell in cells:
        owner = grassroots_of(cell.path, ids)
        if owner is not None:
            groups[owner].cells.append(cell)
    return list(groups.values())


def meeting_counts(*, organization: Organization, year: int) -> dict[int, dict]:
    """`{cell_id: {"regular": n, "themed": n}}` for every cell in the subtree active in `year`.

    Combined meetings count in both. Cells without a meeting are included with zeros. One query.
    """
    cells = with_meeting_counts(Organization.objects.cells().within(organization).active_in(year), year)
    return {
        row["id"]: {"regular": row["regular"], "themed": row["themed"]}
        for row in cells.order_by().values("id", "regular", "themed")
    }


def admissions_count(*, organization: Organization, year: int) -> int:
    """Admission decisions dated in `year` within the subtree. One query."""
    first, last = year_bounds(year)
    return Admission.objects.within(organization).filter(decision_date__gte=first, decision_date__lte=last).count()
