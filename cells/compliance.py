"""Meeting compliance and admission counts, computed by the database in a fixed number of queries.

A cell should hold one regular meeting a month (Điều lệ Đảng, art. 24) and a themed one a
quarter; a combined meeting counts as both. Every function here reads a whole scope with the
same few queries whatever its size: the counting is done by aggregates, Python only groups
the rows the database returns.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db import connection
from django.db.models import Case, Count, F, FilteredRelation, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest, Least
from django.utils import timezone

from cells.models import Admission, Organization
from cells.models.tree import nearest_on_path, year_bounds
from cells.paging import KnownCountPaginator
from cells.params import parse_int

MONTHS_PER_THEMED_MEETING = 3
# A cell that held fewer than 10 of its 12 regular meetings is highlighted (the story's "under 10").
LOW_SHARE = 10 / 12


def with_meeting_counts(cells: QuerySet, year: int) -> QuerySet:
    """Annotate the year's meeting figures on a queryset of cells: one join, no query per row.

    The figures are read from each cell's row of the year in the meeting summary (MeetingYear,
    kept up to date by every write of meetings: cells.meeting_years), not from the meetings: one
    indexed row per cell instead of a year of meetings to group. A cell without a row had no
    meeting recorded that year and reads zeros.
    """
    summary = FilteredRelation("meeting_years", condition=Q(meeting_years__year=year))
    zero = Value(0)
    return cells.alias(year_summary=summary).annotate(
        regular=Coalesce("year_summary__regular", zero),
        themed=Coalesce("year_summary__themed", zero),
        meeting_count=Coalesce("year_summary__meeting_count", zero),
        present_sum=Coalesce("year_summary__present_sum", zero),
        roll_sum=Coalesce("year_summary__roll_sum", zero),
        with_guest=Coalesce("year_summary__with_guest", zero),
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


def cells_with_meetings(*, organization: Organization, year: int) -> QuerySet:
    """The cells in `organization`'s subtree active in `year` with their meeting figures, by code."""
    cells = with_meeting_counts(Organization.objects.cells().within(organization).active_in(year), year)
    return cells.order_by("code").values(
        "id", "code", "name", "path", "founded", "dissolved", "regular", "themed", "meeting_count", "present_sum",
        "roll_sum", "with_guest",
    )  # fmt: skip


def compliance_of(row: dict, year: int, today: datetime.date) -> CellCompliance:
    """A row of `cells_with_meetings` as a CellCompliance."""
    return CellCompliance(
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


def cell_compliance(*, organization: Organization, year: int, today=None) -> list[CellCompliance]:
    """Every cell in `organization`'s subtree active in `year`, with its meetings, sorted by code. One query."""
    today = today or timezone.localdate()
    return [compliance_of(row, year, today) for row in cells_with_meetings(organization=organization, year=year)]


def cell_totals(*, organization: Organization, year: int, today=None) -> dict:
    """The figures of every cell in the subtree active in `year`, counted by the database (one
    query): `units`, `recorded` (with a meeting record), `regular` (met regularly), `low` (under
    LOW_SHARE, CellCompliance.low) and `meetings`."""
    today = today or timezone.localdate()
    cells = with_cell_figures(Organization.objects.cells().within(organization).active_in(year), year, today)
    recorded = Q(meeting_count__gt=0)
    figures = cells.order_by().aggregate(
        n_units=Count("pk"),
        n_recorded=Count("pk", filter=recorded),
        n_regular=Count("pk", filter=recorded & Q(regular__gte=F("expected"))),
        n_low=Count("pk", filter=recorded & Q(regular__lt=F("threshold"))),
        n_meetings=Coalesce(Sum("meeting_count"), 0),
    )  # named apart from the cells' own annotations (`regular`)
    return {name.removeprefix("n_"): value for name, value in figures.items()}


def grassroots_of(cell_path: str, grassroots_ids: set[int]) -> int | None:
    """The grassroots organization above a cell (or the cell itself), read from its path."""
    return nearest_on_path(cell_path, grassroots_ids)


def grassroots_compliance(*, organization: Organization, year: int, today=None) -> list["GrassrootsSummary"]:
    """Every grassroots organization in the subtree with its cells' compliance, for exports and
    reports: grouped by the database (GroupedCompliance), in two queries whatever the scope."""
    return GroupedCompliance(organization=organization, year=year, today=today).all()


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


def expected_months_expression(year: int, today: datetime.date):
    """`expected_months` as a database expression, so the database can compare and group on it."""
    first, last = year_bounds(year)
    start = Greatest(Coalesce("founded", Value(first)), Value(first))
    end = Least(Coalesce("dissolved", Value(last)), Value(min(last, today)))
    months = (ExtractYear(end) - ExtractYear(start)) * 12 + ExtractMonth(end) - ExtractMonth(start) + 1
    return Greatest(months, Value(0), output_field=IntegerField())


def grassroots_owner_expression():
    """The grassroots organization of a cell: itself, its parent or, under a section committee, its grandparent."""
    return Case(
        When(kind=Organization.Kind.GRASSROOTS_CELL, then=F("pk")),
        When(parent__kind__in=Organization.GRASSROOTS_KINDS, then=F("parent_id")),
        default=F("parent__parent_id"),
        output_field=IntegerField(),
    )


def with_cell_figures(cells: QuerySet, year: int, today: datetime.date) -> QuerySet:
    """Cells with their meeting figures, grassroots `owner`, `expected` regular meetings and low `threshold`."""
    return (
        with_meeting_counts(cells, year)
        .annotate(owner=grassroots_owner_expression(), expected=expected_months_expression(year, today))
        # ceil(expected × LOW_SHARE) in integers: the rule of CellCompliance.low.
        .annotate(threshold=(F("expected") * 10 + 11) / 12)
    )


@dataclass
class LowCell:
    """A cell that held fewer regular meetings than LOW_SHARE of those expected."""

    code: str
    name: str
    regular: int


@dataclass
class GrassrootsSummary:
    """A grassroots organization's line on the compliance page, counted by the database."""

    id: int
    code: str
    name: str
    cell_count: int
    regular_count: int
    meeting_count: int
    low_cells: list[LowCell] = field(default_factory=list)


@dataclass
class ComplianceTotals:
    group_count: int
    with_records: int
    all_regular: int


class GroupedCompliance:
    """The grassroots lines of a scope, grouped, counted and paged by the database.

    Works as the object list of a Django Paginator: `count()` is the summary query, a slice is
    one page of groups plus one query for the low cells of that page. Nothing is read for the
    groups that are not shown.
    """

    def __init__(self, *, organization: Organization, year: int, today=None):
        self.organization, self.year = organization, year
        self.today = today or timezone.localdate()
        self._totals = None

    def _grouped_sql(self) -> tuple[str, list]:
        grassroots = (
            Organization.objects.grassroots()
            .within(self.organization)
            .active_in(self.year)
            .order_by()
            .values("id", "code", "name", "name_folded")
        )
        g_sql, g_params = grassroots.query.sql_with_params()
        # Per cell: its owner, expected months and its row of the year's meeting summary (no
        # aggregate, so no GROUP BY on the expressions); the grouping is the statement's own.
        owned = (
            with_cell_figures(
                Organization.objects.cells().within(self.organization).active_in(self.year), self.year, self.today
            )
            .order_by()
            .values("id", "owner", "expected", "threshold", "regular", "meeting_count")
        )
        c_sql, c_params = owned.query.sql_with_params()
        sql = (
            "SELECT g.id, g.code, g.name, g.name_folded, COUNT(c.id) AS cell_count, "
            # A cell without a record that year is "no records", never "met regularly" (CellCompliance).
            "COALESCE(SUM(CASE WHEN c.meeting_count > 0 AND c.regular >= c.expected THEN 1 ELSE 0 END), 0) "
            "AS regular_count, "
            "COALESCE(SUM(c.meeting_count), 0) AS meeting_count, "
            "COALESCE(SUM(CASE WHEN c.meeting_count > 0 AND c.regular < c.threshold THEN 1 ELSE 0 END), 0) "
            "AS low_count "
            f"FROM ({g_sql}) g LEFT JOIN ({c_sql}) c ON c.owner = g.id "
            "GROUP BY g.id, g.code, g.name, g.name_folded"
        )
        return sql, [*g_params, *c_params]

    TOTALS = (
        "COUNT(*) OVER () AS group_count, "
        "SUM(CASE WHEN meeting_count > 0 THEN 1 ELSE 0 END) OVER () AS with_records, "
        "SUM(CASE WHEN meeting_count > 0 AND regular_count = cell_count THEN 1 ELSE 0 END) OVER () AS all_regular"
    )

    def totals(self) -> ComplianceTotals:
        if self._totals is None:
            sql, params = self._grouped_sql()
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT COUNT(*), "
                    "COALESCE(SUM(CASE WHEN meeting_count > 0 THEN 1 ELSE 0 END), 0), "
                    "COALESCE(SUM(CASE WHEN meeting_count > 0 AND regular_count = cell_count THEN 1 ELSE 0 END), 0) "
                    f"FROM ({sql}) grouped",
                    params,
                )
                self._totals = ComplianceTotals(*cursor.fetchone())
        return self._totals

    def page(self, number, per_page: int) -> Page:
        """One page of groups and the totals over all of them, in one pass of the database
        (window aggregates), plus the low cells of the page. A page past the end shows the last."""
        number = parse_int(number, minimum=1) or 1  # "²" passes isdigit(), not int()
        groups = self._window(per_page, (number - 1) * per_page)
        if not groups and number > 1:
            last = max(1, math.ceil(self.totals().group_count / per_page))
            number, groups = last, self._window(per_page, (last - 1) * per_page)
        if self._totals is None and not groups:
            self._totals = ComplianceTotals(0, 0, 0)
        paginator = KnownCountPaginator([], per_page, count=self.totals().group_count)
        return Page(groups, number, paginator)

    def _window(self, limit: int, offset: int) -> list[GrassrootsSummary]:
        sql, params = self._grouped_sql()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT grouped.*, {self.TOTALS} FROM ({sql}) grouped "
                "ORDER BY grouped.name_folded, grouped.code LIMIT %s OFFSET %s",
                [*params, limit, offset],
            )
            rows = cursor.fetchall()
        if rows:
            self._totals = ComplianceTotals(*rows[0][8:11])
        return self._with_low_cells([GrassrootsSummary(row[0], row[1], row[2], row[4], row[5], row[6]) for row in rows])

    def summary(self) -> dict:
        """The figures of the meeting report over every group, in one query: `units`, `recorded`
        (groups with a meeting record), `cells` (their cells), `regular` (cells that met regularly),
        `low` (cells under LOW_SHARE) and `meetings`."""
        sql, params = self._grouped_sql()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*), "
                "COALESCE(SUM(CASE WHEN meeting_count > 0 THEN 1 ELSE 0 END), 0), "
                "COALESCE(SUM(CASE WHEN meeting_count > 0 THEN cell_count ELSE 0 END), 0), "
                "COALESCE(SUM(regular_count), 0), COALESCE(SUM(low_count), 0), COALESCE(SUM(meeting_count), 0) "
                f"FROM ({sql}) grouped",
                params,
            )
            figures = cursor.fetchone()
        return dict(zip(["units", "recorded", "cells", "regular", "low", "meetings"], map(int, figures), strict=True))

    def count(self) -> int:
        return self.totals().group_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[GrassrootsSummary]:
        sql, params = self._grouped_sql()
        limit, offset = window.stop - window.start, window.start
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY g.name_folded, g.code LIMIT %s OFFSET %s", [*params, limit, offset])
            rows = cursor.fetchall()
        return self._with_low_cells([GrassrootsSummary(row[0], row[1], row[2], row[4], row[5], row[6]) for row in rows])

    def all(self) -> list[GrassrootsSummary]:
        """Every group, with its low cells: one grouped query, one query of the scope's low cells."""
        sql, params = self._grouped_sql()
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY g.name_folded, g.code", params)
            rows = cursor.fetchall()
        cells = Organization.objects.cells().within(self.organization).active_in(self.year)
        return self._with_low_cells([GrassrootsSummary(row[0], row[1], row[2], row[4], row[5], row[6]) for row in rows],
                                    cells)  # fmt: skip

    def _with_low_cells(self, page: list[GrassrootsSummary], cells=None) -> list[GrassrootsSummary]:
        """The low cells of the groups shown, in one query."""
        groups = {group.id: group for group in page}
        if not groups:
            return page
        if cells is None:
            ids = list(groups)
            # The page's cells through three indexed conditions (a cell sits at most two levels
            # below its grassroots organization), not the owner expression, which no index serves.
            cells = (
                Organization.objects.cells()
                .within(self.organization)
                .active_in(self.year)
                .filter(Q(pk__in=ids) | Q(parent_id__in=ids) | Q(parent__parent_id__in=ids))
            )
        low = (
            with_cell_figures(cells, self.year, self.today)
            .filter(meeting_count__gt=0, regular__lt=F("threshold"))
            .order_by("code")
            .values_list("owner", "code", "name", "regular")
        )
        for owner, code, name, regular in low:
            if owner in groups:
                groups[owner].low_cells.append(LowCell(code, name, regular))
        return page
