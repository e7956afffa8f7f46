"""The four reports of a scope and a year, read from the records in a fixed number of queries.

Reports are figures: they count FINAL classification results only, of units that existed in the
year. Each report gives a `summary` (a handful of numbers) and `rows` (a queryset or a list that
the workbook and the PDF write out whole, in a background run). The screen (`*_screen`) reads the
same figures over the whole scope as database aggregates and only one page of SCREEN_PAGE rows,
sliced in SQL: its work does not grow with the scope (a national list has 55,000 rows).
"""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from assessments import queries as assessments
from assessments.models import LEVEL_RANK, Classification, Level
from assessments.rules import level_label, rule_set_for
from cells.compliance import (
    GroupedCompliance,
    cell_compliance,
    cell_totals,
    cells_with_meetings,
    compliance_of,
    grassroots_compliance,
)
from cells.models import Admission, AdmissionQuota, Organization
from cells.models.tree import year_bounds
from cells.paging import KnownCountPaginator
from cells.params import parse_int
from plans.models import Candidate, Plan
from plans.outcomes import Outcome, outcome_of

# Rows of a report's list on one screen page; the files hold them all.
SCREEN_PAGE = 50


def report_units(*, scope: Organization, year: int) -> QuerySet:
    """The units a report of `scope` lists: its grassroots organizations (a grassroots scope: its
    cells) that existed in `year`, by parent then name."""
    kinds = assessments.unit_kinds_for(scope)
    units = Organization.objects.within(scope).of_kind(*kinds).active_in(year)
    return units.order_by("parent__name_folded", "name_folded", "code")


@dataclass
class ClassificationReport:
    scope: Organization
    year: int
    summary: dict
    levels: list[dict]
    sectors: list[dict]
    rows: QuerySet
    counts_cells: bool


def classification_report(*, scope: Organization, year: int) -> ClassificationReport:
    """Summary (1 query), by sector (1 query) and the units with their final result (a queryset)."""
    final = assessments.final_results_in(year=year, root=scope)
    summary = assessments.year_summary(year=year, results=final)
    rule_set = rule_set_for(year)
    levels = [
        {
            "code": level.value,
            "label": rule_set.label(level),
            "count": summary["by_level"][level.value],
            "share": assessments.percent(summary["by_level"][level.value], summary["total"]),
        }
        for level in Level
    ]
    rows = (
        report_units(scope=scope, year=year)
        .annotate(
            result=FilteredRelation(
                "classifications",
                condition=Q(classifications__year=year, classifications__state=Classification.State.FINAL),
            )
        )
        .values(
            "code",
            "name",
            "sector",
            "parent__name",
            level=F("result__level"),
            label=F("result__label"),
            score=F("result__score"),
        )
    )
    return ClassificationReport(
        scope=scope,
        year=year,
        summary=summary,
        levels=levels,
        sectors=assessments.by_sector(year=year, root=scope, results=final),
        rows=rows,
        counts_cells=scope.is_grassroots,
    )


def _final_level(year_expression) -> Subquery:
    return Subquery(
        Classification.objects.filter(
            organization=OuterRef("organization"), year=year_expression, state=Classification.State.FINAL
        ).values("level")[:1]
    )


@dataclass
class ConsolidationRow:
    candidate: Candidate
    plan: Plan | None
    level_before: str
    level_after: str | None
    outcome: str | None

    @property
    def level_before_label(self) -> str:
        return level_label(self.level_before, self.candidate.year - 1)

    @property
    def level_after_label(self) -> str:
        return level_label(self.level_after, self.candidate.year)

    @property
    def outcome_label(self) -> str:
        return Outcome(self.outcome).label if self.outcome else ""


@dataclass
class ConsolidationReport:
    scope: Organization
    year: int
    rows: list[ConsolidationRow] = field(default_factory=list)
    candidates: int = 0
    selected: int = 0
    not_selected: int = 0
    pending: int = 0
    plans: int = 0
    measured: int = 0
    improved: int = 0

    @property
    def improved_percent(self):
        return assessments.percent(self.improved, self.measured)


def _candidates(*, scope: Organization, year: int) -> QuerySet:
    """The year's proposed candidates in the scope with their organization, plan and final levels."""
    return (
        Candidate.objects.within(scope)
        .active_in(year)
        .filter(year=year, status=Candidate.Status.PROPOSED)
        .select_related("organization", "plan")
        .annotate(
            level_after=_final_level(year),
            level_previous=_final_level(year - 1),
        )
        .order_by("organization__name_folded", "organization__code")
    )


def _consolidation_row(candidate: Candidate) -> ConsolidationRow:
    plan = getattr(candidate, "plan", None)
    before = candidate.level or candidate.level_previous or ""
    outcome = outcome_of(before, candidate.level_after) if plan else None
    return ConsolidationRow(candidate, plan, before, candidate.level_after, outcome)


def consolidation_report(*, scope: Organization, year: int) -> ConsolidationReport:
    """The year's candidates in the scope, the decision on each, its plan and the outcome. One query.

    The outcome compares the final level of the support year with the level that triggered the
    candidacy; a cancelled plan is listed but not measured.
    """
    report = ConsolidationReport(scope=scope, year=year)
    for candidate in _candidates(scope=scope, year=year):
        row = _consolidation_row(candidate)
        report.rows.append(row)
        report.candidates += 1
        report.selected += candidate.decision == Candidate.Decision.SELECTED
        report.not_selected += candidate.decision == Candidate.Decision.NOT_SELECTED
        report.pending += candidate.decision == Candidate.Decision.PENDING
        if row.plan:
            report.plans += 1
            if row.outcome and row.plan.state != Plan.State.CANCELLED:
                report.measured += 1
                report.improved += row.outcome == Outcome.IMPROVED
    return report


def _rank(level: str) -> Case:
    """The rank (assessments.LEVEL_RANK) of the level in field `level`, in the database; NULL for no level."""
    whens = [When(Q(**{level: value}), then=Value(rank)) for value, rank in LEVEL_RANK.items()]
    return Case(*whens, default=None, output_field=IntegerField())


def consolidation_screen(*, scope: Organization, year: int, page) -> tuple[ConsolidationReport, Page]:
    """The consolidation report on screen: its figures over the whole scope counted by the
    database (one query, the rules of consolidation_report) and one page of candidates (one query)."""
    candidates = _candidates(scope=scope, year=year)
    measured = Q(plan__isnull=False, rank_before__isnull=False, rank_after__isnull=False) & ~Q(
        plan__state=Plan.State.CANCELLED
    )
    figures = (
        candidates.order_by()
        .annotate(level_before=Coalesce(NullIf("level", Value("")), "level_previous"))
        .annotate(rank_before=_rank("level_before"), rank_after=_rank("level_after"))
        .aggregate(
            candidates=Count("pk"),
            selected=Count("pk", filter=Q(decision=Candidate.Decision.SELECTED)),
            not_selected=Count("pk", filter=Q(decision=Candidate.Decision.NOT_SELECTED)),
            pending=Count("pk", filter=Q(decision=Candidate.Decision.PENDING)),
            plans=Count("plan"),
            measured=Count("pk", filter=measured),
            improved=Count("pk", filter=measured & Q(rank_after__gt=F("rank_before"))),
        )
    )
    report = ConsolidationReport(scope=scope, year=year, **figures)
    shown = screen_page(candidates, page, count=report.candidates)
    shown.object_list = [_consolidation_row(candidate) for candidate in shown.object_list]
    return report, shown


@dataclass
class MeetingReport:
    scope: Organization
    year: int
    per_cell: bool
    rows: list
    summary: dict


def meeting_report(*, scope: Organization, year: int) -> MeetingReport:
    """A grassroots scope: its cells, one row each (one query); above: its grassroots organizations
    with how many cells met regularly (two queries). A year without any record reads "no records"."""
    if scope.is_grassroots or scope.is_cell:
        cells = cell_compliance(organization=scope, year=year)
        recorded = [cell for cell in cells if cell.meeting_count]
        summary = {
            "units": len(cells),
            "recorded": len(recorded),
            "regular": sum(cell.met_regularly for cell in recorded),
            "low": sum(cell.low for cell in recorded),
            "meetings": sum(cell.meeting_count for cell in cells),
        }
        return MeetingReport(scope=scope, year=year, per_cell=True, rows=cells, summary=summary)
    groups = grassroots_compliance(organization=scope, year=year)
    recorded = [group for group in groups if group.meeting_count]
    summary = {
        "units": len(groups),
        "recorded": len(recorded),
        "cells": sum(group.cell_count for group in recorded),
        "regular": sum(group.regular_count for group in recorded),
        "low": sum(len(group.low_cells) for group in recorded),
        "meetings": sum(group.meeting_count for group in groups),
    }
    return MeetingReport(scope=scope, year=year, per_cell=False, rows=groups, summary=summary)


def meeting_screen(*, scope: Organization, year: int, page) -> tuple[MeetingReport, Page]:
    """The meeting report on screen: the figures of meeting_report counted by the database over the
    whole scope from the yearly meeting summary (one query) and one page of rows (a grassroots
    scope: its cells, one query; above: its grassroots organizations and their low cells, two)."""
    if scope.is_grassroots or scope.is_cell:
        summary = cell_totals(organization=scope, year=year)
        shown = screen_page(cells_with_meetings(organization=scope, year=year), page, count=summary["units"])
        today = timezone.localdate()
        shown.object_list = [compliance_of(row, year, today) for row in shown.object_list]
        return MeetingReport(scope=scope, year=year, per_cell=True, rows=[], summary=summary), shown
    grouped = GroupedCompliance(organization=scope, year=year)
    summary = grouped.summary()
    shown = screen_page(grouped, page, count=summary["units"])
    return MeetingReport(scope=scope, year=year, per_cell=False, rows=[], summary=summary), shown


@dataclass
class AdmissionReport:
    scope: Organization
    year: int
    rows: QuerySet
    summary: dict


def _under(unit_ref: str = "pk") -> Q:
    """Admissions of a unit: in the unit itself (a grassroots cell), its cells, or the cells of its
    section committees. A fixed depth, so no path pattern is needed."""
    ref = OuterRef(unit_ref)
    return Q(organization=ref) | Q(organization__parent=ref) | Q(organization__parent__parent=ref)


def admission_report(*, scope: Organization, year: int) -> AdmissionReport:
    """Per unit: its quota for the year, members admitted in the year, the last admission up to the
    year's end. The rows are one query with correlated subqueries; the totals one more."""
    first, last = year_bounds(year)
    quota = AdmissionQuota.objects.filter(organization=OuterRef("pk"), year=year).values("quota")[:1]
    admissions = Admission.objects.filter(_under()).order_by()
    admitted = (
        admissions.filter(decision_date__gte=first, decision_date__lte=last)
        .values(unit=Value(1))
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_admission = (
        admissions.filter(decision_date__lte=last).values(unit=Value(1)).annotate(at=Max("decision_date")).values("at")
    )
    units = report_units(scope=scope, year=year).annotate(
        quota=Subquery(quota, output_field=IntegerField()),
        admitted=Coalesce(Subquery(admitted, output_field=IntegerField()), 0),
        last_admission=Subquery(last_admission),
    )
    summary = units.order_by().aggregate(
        units=Count("pk"),
        with_quota=Count("quota"),
        quota_total=Coalesce(Sum("quota"), 0),
        admitted_total=Coalesce(Sum("admitted"), 0),
        quota_met=Count("pk", filter=Q(admitted__gte=F("quota"))),
        none_admitted=Count("pk", filter=Q(admitted=0)),
    )
    summary["percent"] = assessments.percent(summary["admitted_total"], summary["quota_total"])
    rows = units.values("code", "name", "parent__name", "quota", "admitted", "last_admission")
    return AdmissionReport(scope=scope, year=year, rows=rows, summary=summary)


def classification_screen(*, scope: Organization, year: int, page) -> tuple[ClassificationReport, Page]:
    """The classification report on screen: its figures (two queries) and a page of units (a count, a page)."""
    report = classification_report(scope=scope, year=year)
    return report, screen_page(report.rows, page)


def admission_screen(*, scope: Organization, year: int, page) -> tuple[AdmissionReport, Page]:
    """The admission report on screen: its totals (one query, which counts the units) and a page of units."""
    report = admission_report(scope=scope, year=year)
    return report, screen_page(report.rows, page, count=report.summary["units"])


def screen_page(rows, page, *, count: int | None = None) -> Page:
    """Page `page` (as typed; a bad or missing number is the first, past the end the last) of
    SCREEN_PAGE rows, sliced by the database. `count`, when a summary query already counted the
    rows, saves counting them again."""
    number = parse_int(page, minimum=1, maximum=999_999) or 1
    if count is None:
        return Paginator(rows, SCREEN_PAGE).get_page(number)
    return KnownCountPaginator(rows, SCREEN_PAGE, count=count).get_page(number)
