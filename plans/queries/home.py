"""Reads of the home pages: what each role has to do today, scoped to the user.

Each reader costs a fixed number of queries whatever the size of the scope: lists are cut to
their first rows and counted by the database, figures are aggregates.
"""

import datetime
from dataclasses import asdict, dataclass, field

from auditlog.models import LogEntry
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.utils import timezone

from assessments.models import Classification
from assessments.queries import results_in
from cells.admission_rules import ceremony_due, full_membership_due
from cells.meeting_services import previous_month
from cells.models import Admission, AdmissionQuota, Meeting, Organization
from cells.models.tree import year_bounds
from cells.signals import owned_by
from plans.models import Candidate, Plan, Task

LIST_LIMIT = 10
AUDIT_ENTRIES = 20
ADMISSION_HORIZON_DAYS = 30


@dataclass
class Head:
    """The first rows of a list and how many there are in all."""

    items: list
    count: int

    @property
    def more(self) -> int:
        # A snapshot's count may be older than the rows read now.
        return max(0, self.count - len(self.items))


def head(queryset: QuerySet, limit: int = LIST_LIMIT) -> Head:
    """Two queries: the first `limit` rows, and the count."""
    return Head(list(queryset[:limit]), queryset.count())


def cycle_year(scope: Organization, today: datetime.date) -> tuple[int, bool]:
    """The year of the cycle: the latest year with classifications in the scope (True), else the
    current year (False). One query."""
    results = Classification.objects.within(scope)
    if scope.parent_id is None:
        # A root holds every result: the newest row, read from the top of the (year, level) index,
        # is in scope at once, where MAX would join the country's 3.3 million results to the tree.
        latest = results.order_by("-year").values_list("year", flat=True).first()
    else:
        # Below the root the same walk may pass every newer result of the country before meeting
        # one of the scope's (1.6 s for a district): the scope's own rows through the path index.
        latest = results.aggregate(y=Max("year"))["y"]
    return (latest, True) if latest else (today.year, False)


def pending_candidates(scope: Organization) -> QuerySet:
    return (
        Candidate.objects.within(scope)
        .filter(status=Candidate.Status.PROPOSED, decision=Candidate.Decision.PENDING)
        .select_related("organization")
        .order_by("-year", "organization__name_folded", "pk")
    )


def selected_without_plan(scope: Organization) -> QuerySet:
    """Units the standing committee selected whose plan is not written yet: the staff's next job."""
    return (
        Candidate.objects.within(scope)
        .filter(status=Candidate.Status.PROPOSED, decision=Candidate.Decision.SELECTED, plan__isnull=True)
        .select_related("organization")
        .order_by("-year", "organization__name_folded", "pk")
    )


def _overdue(today: datetime.date) -> Q:
    return Q(state__in=Task.OPEN_STATES, due__lt=today)


@dataclass
class PlanCounts:
    on_track: int = 0
    late: int = 0
    done: int = 0

    @property
    def total(self) -> int:
        return self.on_track + self.late + self.done


def plan_counts(scope: Organization, today: datetime.date) -> PlanCounts:
    """Plans not cancelled: done (completed), late (open with an overdue task), on track. One query."""
    late = Exists(Task.objects.filter(_overdue(today), plan=OuterRef("pk")))
    rows = (
        Plan.objects.within(scope)
        .exclude(state=Plan.State.CANCELLED)
        .annotate(late=late)
        .order_by()
        .values_list("state", "late")
        .annotate(n=Count("pk"))
    )
    counts = PlanCounts()
    for state, is_late, n in rows:
        if state == Plan.State.COMPLETED:
            counts.done += n
        elif is_late:
            counts.late += n
        else:
            counts.on_track += n
    return counts


def overdue_tasks(scope: Organization, today: datetime.date) -> QuerySet:
    return (
        Task.objects.within(scope)
        .filter(_overdue(today))
        .exclude(plan__state__in=(Plan.State.COMPLETED, Plan.State.CANCELLED))
        .select_related("plan__organization", "assignee")
        .order_by("due", "pk")
    )


@dataclass
class MeetingMonth:
    """Cells that existed in a month, and how many recorded a regular meeting in it."""

    month: datetime.date
    cells: int
    met: int

    @property
    def behind(self) -> int:
        return self.cells - self.met

    @property
    def has_records(self) -> bool:
        """A month with no record at all is "no records", not every cell missing its meeting."""
        return self.met > 0


def _month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    return month, next_month - datetime.timedelta(days=1)


def _cells_in_month(scope: Organization, month: datetime.date) -> QuerySet:
    return Organization.objects.within(scope).cells().active_between(*_month_bounds(month))


def _met_in(month: datetime.date) -> Q:
    first, last = _month_bounds(month)
    return Q(meetings__date__gte=first, meetings__date__lte=last, meetings__kind__in=Meeting.REGULAR_KINDS)


def meeting_month(scope: Organization, month: datetime.date) -> MeetingMonth:
    """Two queries: the cells of the month, and the cells among them with a regular meeting in it,
    read from the month's meetings (the date index) rather than from every meeting of every cell."""
    first, last = _month_bounds(month)
    met = (
        Meeting.objects.within(scope)
        .active_between(first, last)
        .filter(
            date__gte=first,
            date__lte=last,
            kind__in=Meeting.REGULAR_KINDS,
            organization__kind__in=Organization.CELL_KINDS,
        )
        .order_by()
        .values("organization_id")
        .distinct()
        .count()
    )
    return MeetingMonth(month=month, cells=_cells_in_month(scope, month).count(), met=met)


@dataclass
class QuotaRow:
    id: int
    name: str
    quota: int
    admitted: int = 0


@dataclass
class Admissions:
    """The year's admissions of the scope against the grassroots units' quotas: both totals, and the
    units with the largest quotas (a chart of a few bars; the full list is the admissions overview)."""

    year: int
    admitted: int = 0
    quota: int = 0
    unit_count: int = 0
    rows: list[QuotaRow] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.unit_count - len(self.rows)


def admissions_against_quota(scope: Organization, year: int, limit: int = LIST_LIMIT) -> Admissions:
    """Four queries: the quotas' total and number, the largest quotas, the year's admissions of the
    scope counted, and those of the units shown grouped per unit."""
    quotas = AdmissionQuota.objects.within(scope).filter(year=year).grassroots()
    totals = quotas.aggregate(quota=Sum("quota"), units=Count("pk"))
    largest = quotas.order_by("-quota", "organization__name_folded", "pk").values_list(
        "organization_id", "organization__name", "quota"
    )[:limit]
    result = Admissions(year=year, quota=totals["quota"] or 0, unit_count=totals["units"])
    result.rows = [QuotaRow(pk, name, quota) for pk, name, quota in largest]
    first, last = year_bounds(year)
    admissions = Admission.objects.within(scope).filter(decision_date__gte=first, decision_date__lte=last)
    result.admitted = admissions.count()
    by_id = {row.id: row for row in result.rows}
    for owner, n in admitted_per_unit(admissions, list(by_id)):
        by_id[owner].admitted += n
    return result


def admitted_per_unit(admissions: QuerySet, ids: list[int]) -> list[tuple[int, int]]:
    """(unit, admissions) for the grassroots units `ids`: their cells are the unit itself, its
    children and, under a section committee, its grandchildren. One query on those cells only."""
    owner = Case(
        When(organization_id__in=ids, then=F("organization_id")),
        When(organization__parent_id__in=ids, then=F("organization__parent_id")),
        default=F("organization__parent__parent_id"),
        output_field=IntegerField(),
    )
    rows = admissions.filter(organization__in=owned_by(ids)).annotate(owner=owner).order_by().values("owner")
    return list(rows.annotate(n=Count("pk")).values_list("owner", "n")) if ids else []


@dataclass
class StaffHome:
    year: int
    year_from_results: bool
    units: int
    final: int
    draft: int
    pending: Head
    without_plan: Head
    plans: PlanCounts
    overdue: Head
    meetings: MeetingMonth
    admissions: Admissions

    @property
    def unclassified(self) -> int:
        return max(0, self.units - self.final - self.draft)


def staff_home(scope: Organization, today: datetime.date | None = None, progress=None) -> StaffHome:
    """Sixteen queries whatever the scope's size, each a count, an aggregate or a first few rows.

    `progress(percent)`, if given, is called between the parts (a background run reports it)."""
    today = today or timezone.localdate()
    progress = progress or (lambda percent: None)
    year, from_results = cycle_year(scope, today)  # 1: the latest year with results
    states = dict(  # 2: the year's results by state
        results_in(year=year, root=scope, final=False).order_by().values_list("state").annotate(n=Count("pk"))
    )
    units = Organization.objects.within(scope).grassroots().active_in(year).count()  # 3: the units of the year
    progress(20)
    pending = head(pending_candidates(scope))  # 4, 5
    without_plan = head(selected_without_plan(scope))  # 6, 7
    progress(40)
    plans = plan_counts(scope, today)  # 8
    overdue = head(overdue_tasks(scope, today))  # 9, 10
    progress(60)
    meetings = meeting_month(scope, previous_month(today))  # 11, 12
    progress(75)
    return StaffHome(
        year=year,
        year_from_results=from_results,
        units=units,
        final=states.get(Classification.State.FINAL, 0),
        draft=states.get(Classification.State.DRAFT, 0),
        pending=pending,
        without_plan=without_plan,
        plans=plans,
        overdue=overdue,
        meetings=meetings,
        admissions=admissions_against_quota(scope, year),  # 13-16
    )


# The lists of the staff home: a snapshot keeps their counts and the keys of their first rows.
SNAPSHOT_LISTS = ("pending", "without_plan", "overdue")


def staff_figures(home: StaffHome) -> dict:
    """The whole-scope figures of a staff home as JSON (a stored snapshot): every count and total,
    the largest quotas, and the keys of each list's first rows (the page reads those rows by key)."""
    figures = asdict(home)
    for name in SNAPSHOT_LISTS:
        listed = getattr(home, name)
        figures[name] = {"count": listed.count, "ids": [item.pk for item in listed.items]}
    figures["meetings"]["month"] = home.meetings.month.isoformat()
    return figures


def staff_home_from(figures: dict, scope: Organization, today: datetime.date) -> StaffHome:
    """A staff home from a snapshot's figures. Three queries read the lists' stored rows by key, each
    through its list's own conditions, so a row settled since (a candidate decided, a task done)
    drops out; rows new since then appear with the next snapshot."""
    lists = {
        "pending": pending_candidates(scope),
        "without_plan": selected_without_plan(scope),
        "overdue": overdue_tasks(scope, today),
    }
    admissions = dict(figures["admissions"])
    admissions["rows"] = [QuotaRow(**row) for row in admissions["rows"]]
    meetings = dict(figures["meetings"], month=datetime.date.fromisoformat(figures["meetings"]["month"]))
    heads = {
        name: Head(list(lists[name].filter(pk__in=figures[name].get("ids", []))[:LIST_LIMIT]), figures[name]["count"])
        for name in SNAPSHOT_LISTS
    }
    return StaffHome(
        **{key: figures[key] for key in ("year", "year_from_results", "units", "final", "draft")},
        **heads,
        plans=PlanCounts(**figures["plans"]),
        meetings=MeetingMonth(**meetings),
        admissions=Admissions(**admissions),
    )


@dataclass
class StandingHome:
    tasks: list
    plans: list
    pending: Head


def standing_home(scope: Organization, user, today: datetime.date | None = None) -> StandingHome:
    """Four queries: the member's open tasks, the plans they lead, the candidates awaiting a decision."""
    today = today or timezone.localdate()
    tasks = list(
        Task.objects.within(scope)
        .filter(assignee=user, state__in=Task.OPEN_STATES)
        .exclude(plan__state__in=(Plan.State.COMPLETED, Plan.State.CANCELLED))
        .select_related("plan__organization")
        .order_by("due", "pk")[:50]
    )
    for task in tasks:
        task.days_left = (task.due - today).days
        task.overdue_days = -task.days_left
    plans = list(
        Plan.objects.within(scope)
        .filter(lead=user)
        .exclude(state=Plan.State.CANCELLED)
        .select_related("organization")
        .annotate(open_tasks=Count("tasks", filter=Q(tasks__state__in=Task.OPEN_STATES)))
        .order_by("-year", "organization__name_folded")[:20]
    )
    return StandingHome(tasks=tasks, plans=plans, pending=head(pending_candidates(scope)))


@dataclass
class AdmissionDeadline:
    admission: Admission
    step: str
    due: datetime.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass
class SecretaryHome:
    month: datetime.date
    cells: list
    deadlines: list[AdmissionDeadline]

    @property
    def missing(self) -> int:
        return sum(1 for cell in self.cells if not cell.met_last_month)


def secretary_home(scope: Organization, today: datetime.date | None = None) -> SecretaryHome:
    """Two queries: the cells with last month's meetings, the admissions under way."""
    today = today or timezone.localdate()
    month = previous_month(today)
    cells = list(
        _cells_in_month(scope, month)
        .active_on(today)
        .annotate(met_last_month=Count("meetings", filter=_met_in(month)), last_meeting=Max("meetings__date"))
        .order_by("name_folded", "code")[:200]
    )
    under_way = (
        Admission.objects.within(scope)
        .filter(
            Q(decision_date__isnull=False, ceremony_date__isnull=True)
            | Q(ceremony_date__isnull=False, full_membership_date__isnull=True)
        )
        .select_related("organization")
        .order_by("decision_date", "pk")[:200]
    )
    horizon = today + datetime.timedelta(days=ADMISSION_HORIZON_DAYS)
    deadlines = []
    for admission in under_way:
        if admission.ceremony_date is None:
            step, due = "ceremony", ceremony_due(admission)
        else:
            step, due = "full_membership", full_membership_due(admission)
        if due is not None and due <= horizon:
            deadlines.append(AdmissionDeadline(admission, step, due, (due - today).days))
    deadlines.sort(key=lambda d: d.due)
    return SecretaryHome(month=month, cells=cells, deadlines=deadlines)


# What an auditor's home lists: the records of the scope (each model knows its way to its organization).
AUDITED = [Organization, Meeting, AdmissionQuota, Admission, Classification, Candidate, Plan, Task]


def latest_changes(scope: Organization, limit: int = AUDIT_ENTRIES) -> list:
    """The latest audit log entries of records in the scope. One query."""
    condition = Q()
    for model in AUDITED:
        ids = model.objects.within(scope).values("pk")
        condition |= Q(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
            object_id__in=Subquery(ids),
        )
    return list(
        LogEntry.objects.filter(condition).select_related("actor", "content_type").order_by("-timestamp", "-pk")[:limit]
    )
