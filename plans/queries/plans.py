"""Reads of plans and tasks that views, reports and the command share, already scoped."""

import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, F, FilteredRelation, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf

from assessments.models import Classification
from assessments.rules import level_label
from cells.access import scope_filter
from cells.models import Organization
from plans.models import Plan, Task
from plans.outcomes import Outcome, outcome_of

SOON_DAYS = 7


def _results_of_the_unit(year, state=None) -> FilteredRelation:
    """The unit's result of `year` (an expression of the plan's year) as a join: one row per unit
    and year (a unique constraint), so no correlated subquery runs per plan."""
    condition = Q(organization__classifications__year=year)
    if state is not None:
        condition &= Q(organization__classifications__state=state)
    return FilteredRelation("organization__classifications", condition=condition)


def plans_with_levels(queryset: QuerySet) -> QuerySet:
    """Annotate `level_before` (the triggering level, else the year before's) and `level_after`, from
    final results only, and `draft_after`: whether the year of support has a result still a draft."""
    final, draft = Classification.State.FINAL, Classification.State.DRAFT
    return queryset.alias(
        result_before=_results_of_the_unit(F("year") - 1, final), result_after=_results_of_the_unit(F("year"))
    ).annotate(
        level_before=Coalesce(NullIf(F("candidate__level"), Value("")), F("result_before__level")),
        level_after=Case(When(result_after__state=final, then=F("result_after__level")), default=None),
        draft_after=Case(When(result_after__state=draft, then=True), default=False, output_field=BooleanField()),
    )


def plans_in(scope: Organization | None) -> QuerySet:
    queryset = Plan.objects.all() if scope is None else scope_filter(Plan.objects.all(), scope)
    return plans_with_levels(queryset).select_related("organization", "lead").order_by("year", "organization__code")


@dataclass
class ConsolidationRow:
    plan: Plan
    level_before: str | None
    level_after: str | None
    outcome: str | None

    @property
    def level_before_label(self):
        return level_label(self.level_before, self.plan.year - 1)

    @property
    def level_after_label(self):
        return level_label(self.level_after, self.plan.year)

    @property
    def outcome_label(self):
        return Outcome(self.outcome).label if self.outcome else ""


@dataclass
class Consolidation:
    rows: list[ConsolidationRow] = field(default_factory=list)
    improved: int = 0
    measured: int = 0
    drafts: int = 0  # plans whose year of support has a result still a draft: not counted
    plan_count: int = 0

    @property
    def improved_percent(self) -> float | None:
        return round(100 * self.improved / self.measured, 2) if self.measured else None


def consolidation(scope: Organization | None) -> Consolidation:
    """Every plan of the scope across years with its outcome; the improved share counts the plans
    not cancelled whose outcome is known."""
    result = Consolidation()
    result.rows = consolidation_rows(plans_in(scope))
    for row in result.rows:
        result.drafts += row.plan.draft_after
        if row.outcome and row.plan.state != Plan.State.CANCELLED:
            result.measured += 1
            result.improved += row.outcome == Outcome.IMPROVED
    return result


def consolidation_rows(plans) -> list[ConsolidationRow]:
    """Rows for plans annotated by `plans_with_levels`: give it a page, not the whole scope."""
    return [
        ConsolidationRow(plan, plan.level_before, plan.level_after, outcome_of(plan.level_before, plan.level_after))
        for plan in plans
    ]


def consolidation_share(scope: Organization | None) -> Consolidation:
    """`consolidation`'s share and number of plans (no `rows`), counted by the database: one query
    whose rows are the few (state, level before, level after) combinations, not the plans."""
    result = Consolidation()
    rows = (
        plans_in(scope)
        .order_by()
        .values_list("state", "level_before", "level_after")
        .annotate(n=Count("pk"), drafts=Count("pk", filter=Q(draft_after=True)))
    )
    for state, before, after, n, drafts in rows:
        result.plan_count += n
        result.drafts += drafts
        outcome = outcome_of(before, after)
        if outcome and state != Plan.State.CANCELLED:
            result.measured += n
            result.improved += n * (outcome == Outcome.IMPROVED)
    return result


def tasks_in_due_order(queryset: QuerySet) -> QuerySet:
    """Tasks by due date with what a task table shows of them; page it, then `mark_urgency` the page."""
    return queryset.select_related("plan__organization", "assignee").order_by("due", "pk")


def tasks_with_urgency(queryset: QuerySet, today: datetime.date) -> list[Task]:
    """Tasks with `urgency` set: "overdue", "soon" (within 7 days) or "" for open tasks."""
    return mark_urgency(list(tasks_in_due_order(queryset)), today)


def mark_urgency(tasks: list[Task], today: datetime.date) -> list[Task]:
    for task in tasks:
        task.urgency = ""
        task.days_left = (task.due - today).days
        task.overdue_days = -task.days_left
        if task.is_open:
            if task.days_left < 0:
                task.urgency = "overdue"
            elif task.days_left <= SOON_DAYS:
                task.urgency = "soon"
    return tasks
