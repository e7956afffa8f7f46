"""Reads of the candidates page, scoped to the user's subtree; each is one query."""

from django.db.models import Q, QuerySet

from assessments.models import Classification
from cells.models import Organization
from cells.text import fold
from plans.models import Candidate, JobRun

HISTORY_YEARS = 5


def candidates_in(*, scope: Organization, year: int, text: str = "", level: str = "", status: str = "") -> QuerySet:
    queryset = Candidate.objects.within(scope).filter(year=year)
    for word in fold(text).split():
        queryset = queryset.filter(Q(organization__name_folded__contains=word) | Q(organization__code__icontains=word))
    if level:
        queryset = queryset.filter(level=level)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.select_related("organization", "classification", "decided_by", "plan").order_by(
        "status", "organization__code"
    )


def level_history(*, scope: Organization, year: int, organization_ids=None) -> dict[int, list[Classification]]:
    """The candidates' final results from five years before the year of support to that year, by organization.

    Give `organization_ids` (the page's candidates) to read only the history of the rows shown.
    """
    results = Classification.objects.within(scope).filter(
        organization__candidacies__year=year,
        year__gte=year - HISTORY_YEARS,
        year__lte=year,
        state=Classification.State.FINAL,
    )
    if organization_ids is not None:
        results = results.filter(organization_id__in=list(organization_ids))
    history = {}
    for result in results.only("organization_id", "year", "level", "label", "state").order_by("year"):
        history.setdefault(result.organization_id, []).append(result)
    return history


def _runs_covering(*, scope: Organization, year: int):
    runs = JobRun.objects.filter(year=year - 1)
    return runs.within(scope) | runs.filter(scope__isnull=True)


def latest_run(*, scope: Organization, year: int) -> JobRun | None:
    """The last run that covered this scope for the year: its own, or one over everything."""
    return _runs_covering(scope=scope, year=year).order_by("-created_at", "-pk").first()


def shown_run(*, scope: Organization, year: int, run_id: int | None) -> JobRun | None:
    """The run the page follows: the one its address names (`?run=`, after the button), so a
    reload keeps showing it even when another run started since; else the latest."""
    if run_id is not None:
        run = _runs_covering(scope=scope, year=year).filter(pk=run_id).first()
        if run is not None:
            return run
    return latest_run(scope=scope, year=year)


def candidate_years(*, scope: Organization) -> list[int]:
    return list(Candidate.objects.within(scope).order_by("-year").values_list("year", flat=True).distinct())
