"""Reads of classifications shared by the pages and the commands; each is one query.

Every figure counts final results only (`results_in`); a draft shows on the entry page and in
the unit's history, and the pages say how many drafts are left out (`draft_count`).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, FilteredRelation, Q, QuerySet

from assessments.models import GOOD_OR_ABOVE, WEAK_LEVELS, Classification, ClassificationChange, Level
from assessments.rules import excellent_over_guideline
from cells.models import Organization


def unit_kinds_for(root: Organization | None) -> tuple[str, ...]:
    """What a scope's year counts: the cells of a grassroots organization, the TCCSĐ of anything else."""
    if root is not None and root.is_grassroots:
        return (Organization.Kind.CELL,)
    return tuple(Organization.GRASSROOTS_KINDS)


def results_in(*, year: int | None, root: Organization | None, kinds=None, final: bool = True) -> QuerySet:
    """The results a scope's figures count: final ones (unless `final=False`) of units alive that year."""
    queryset = Classification.objects.filter(organization__kind__in=kinds or unit_kinds_for(root))
    if final:
        queryset = queryset.filter(state=Classification.State.FINAL)
    if year is not None:
        queryset = queryset.filter(year=year).active_in(year)
    if root is not None:
        queryset = queryset.within(root)
    return queryset


def final_results_in(*, year: int, root: Organization | None) -> QuerySet:
    """The year's final results of the units that existed that year: what reports count."""
    return results_in(year=year, root=root).active_in(year).filter(state=Classification.State.FINAL)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def year_summary(*, year: int, root: Organization | None = None, kinds=None, results: QuerySet | None = None) -> dict:
    """Counts by level and the good-or-above share, in one query; `results` narrows what is counted."""
    if results is None:
        results = results_in(year=year, root=root, kinds=kinds)
    return _summary_of(year, dict(results.order_by().values_list("level").annotate(n=Count("pk"))))


def _summary_of(year: int, counts: dict) -> dict:
    by_level = {level.value: counts.get(level.value, 0) for level in Level}
    total = sum(by_level.values())
    good = sum(by_level[level] for level in GOOD_OR_ABOVE)
    return {
        "year": year,
        "total": total,
        "by_level": by_level,
        "good_or_above": good,
        "good_or_above_percent": percent(good, total),
    }


def draft_count(*, year: int | None, root: Organization | None, kinds=None) -> int:
    """Results still drafts, which the figures leave out (one query)."""
    return results_in(year=year, root=root, kinds=kinds, final=False).filter(state=Classification.State.DRAFT).count()


def by_sector(*, year: int, root: Organization | None, results: QuerySet | None = None) -> list[dict]:
    """Per sector: counts by level, total and the good-or-above share (one query)."""
    if results is None:
        results = results_in(year=year, root=root)
    return _sectors_of(results.order_by().values_list("organization__sector", "level").annotate(n=Count("pk")))


def _sectors_of(rows) -> list[dict]:
    """`by_sector` from `(sector, level, n)` rows."""
    sectors = {}
    for sector, level, n in rows:
        sectors.setdefault(sector, {level.value: 0 for level in Level})[level] = n
    labels = dict(Organization.Sector.choices)
    result = []
    for sector in [*Organization.Sector.values, ""]:
        if sector not in sectors:
            continue
        counts = sectors[sector]
        total = sum(counts.values())
        good = sum(counts[level] for level in GOOD_OR_ABOVE)
        result.append(
            {
                "sector": sector,
                "label": labels.get(sector, "—"),
                "by_level": [counts[level.value] for level in Level],
                "total": total,
                "good_or_above": good,
                "percent": percent(good, total),
            }
        )
    return result


def trend(*, root: Organization | None) -> list[dict]:
    """Every year's counts by level and good-or-above share, oldest first (one query)."""
    years = {}
    for year, level, n in (
        results_in(year=None, root=root).order_by().values_list("year", "level").annotate(n=Count("pk"))
    ):
        years.setdefault(year, {level.value: 0 for level in Level})[level] = n
    result = []
    for year in sorted(years):
        counts = years[year]
        total = sum(counts.values())
        good = sum(counts[level] for level in GOOD_OR_ABOVE)
        result.append({"year": year, "by_level": counts, "total": total, "percent": percent(good, total)})
    return result


def changed_since_last_year(*, year: int, root: Organization | None) -> QuerySet:
    """This year's results whose level differs from the unit's result the year before, both final (one query).

    The year before is a join (one row per unit and year: a unique constraint), not a correlated
    subquery per row: a national year is 55,000 results, each of which a subquery would visit
    four times (two columns, two conditions).
    """
    before = FilteredRelation(
        "organization__classifications",
        condition=Q(
            organization__classifications__year=year - 1,
            organization__classifications__state=Classification.State.FINAL,
        ),
    )
    return (
        results_in(year=year, root=root)
        .alias(before=before)
        .annotate(previous_level=F("before__level"), previous_label=F("before__label"))
        .filter(previous_level__isnull=False)
        .exclude(level=F("previous_level"))
        .select_related("organization")
        .order_by("organization__name_folded")
    )


def weak_results(*, year: int, root: Organization | None) -> QuerySet:
    """This year's results of "complete" or worse: the units to strengthen next year (one query)."""
    return (
        results_in(year=year, root=root)
        .filter(level__in=WEAK_LEVELS)
        .select_related("organization")
        .order_by("level", "organization__name_folded")
    )


def guideline_warnings(*, year: int, root: Organization | None, final: bool = True) -> list[dict]:
    """Deciding committees whose excellent units exceed the guideline share of good ones (one query).

    The entry page asks with `final=False`: the warning is for the drafts being saved."""
    rows = (
        results_in(year=year, root=root, final=final)
        .filter(level__in=GOOD_OR_ABOVE)
        .order_by()
        .values_list("deciding_body_id", "deciding_body__name", "level")
        .annotate(n=Count("pk"))
    )
    return _guideline_of(year, rows)


def _guideline_of(year: int, rows) -> list[dict]:
    """`guideline_warnings` from `(deciding body, its name, level, n)` rows of good-or-above results."""
    bodies = {}
    for body_id, name, level, n in rows:
        bodies.setdefault(body_id, {"name": name, Level.EXCELLENT.value: 0, Level.GOOD.value: 0})[level] = n
    warnings = []
    for body in bodies.values():
        excellent, good = body[Level.EXCELLENT.value], body[Level.GOOD.value]
        if excellent_over_guideline(year=year, excellent=excellent, good=good):
            warnings.append(
                {"name": body["name"], "excellent": excellent, "good": good, "percent": percent(excellent, good)}
            )
    return warnings


def year_figures(*, year: int, root: Organization | None) -> dict:
    """The year page's counts in one pass over the year's results: `summary` (`year_summary`),
    `sectors` (`by_sector`), `guideline` (`guideline_warnings`) and `drafts` (`draft_count`), each
    as its own function computes it, from one grouped query instead of four scans of the year."""
    rows = list(
        results_in(year=year, root=root, final=False)
        .order_by()
        .values_list("state", "organization__sector", "deciding_body_id", "deciding_body__name", "level")
        .annotate(n=Count("pk"))
    )
    final = [row for row in rows if row[0] == Classification.State.FINAL]
    levels, sectors, bodies = {}, {}, {}
    for _state, sector, body, name, level, n in final:
        levels[level] = levels.get(level, 0) + n
        sectors[(sector, level)] = sectors.get((sector, level), 0) + n
        if level in GOOD_OR_ABOVE:
            bodies[(body, name, level)] = bodies.get((body, name, level), 0) + n
    return {
        "summary": _summary_of(year, levels),
        "sectors": _sectors_of((*key, n) for key, n in sectors.items()),
        "guideline": _guideline_of(year, [(*key, n) for key, n in bodies.items()]),
        "drafts": sum(row[-1] for row in rows if row[0] == Classification.State.DRAFT),
    }


def entry_units(*, organization: Organization, year: int) -> QuerySet:
    """The units `organization` classifies for `year`: its grassroots organizations, or a grassroots
    committee's cells (also those under its section committees), that existed that year."""
    if organization.is_grassroots:
        units = Organization.objects.within(organization).of_kind(Organization.Kind.CELL)
    else:
        units = Organization.objects.grassroots().filter(parent=organization)
    return units.active_in(year).order_by("kind", "name_folded", "code")


def entry_results(*, organization: Organization, year: int) -> dict[int, Classification]:
    """Stored results of `year` for the units of `organization`, by organization id (one query)."""
    units = entry_units(organization=organization, year=year).values("pk")
    return {c.organization_id: c for c in Classification.objects.filter(year=year, organization__in=units)}


def entry_corrections(*, organization: Organization, year: int) -> dict[int, list[ClassificationChange]]:
    units = entry_units(organization=organization, year=year).values("pk")
    changes = {}
    for change in (
        ClassificationChange.objects.filter(classification__year=year, classification__organization__in=units)
        .select_related("classification", "changed_by")
        .order_by("changed_at", "pk")
    ):
        changes.setdefault(change.classification.organization_id, []).append(change)
    return changes


def organization_history(organization: Organization) -> tuple[list[Classification], list[Classification]]:
    """A unit's results with their corrections, newest first, and, for a grassroots organization,
    its cells' final results of "complete" or worse (two queries together)."""
    mine = Q(organization=organization)
    if organization.is_grassroots:
        mine |= Q(organization__kind=Organization.Kind.CELL, state=Classification.State.FINAL, level__in=WEAK_LEVELS)
    rows = (
        Classification.objects.within(organization)
        .filter(mine)
        .select_related("deciding_body", "organization")
        .prefetch_related("changes__changed_by")
        .order_by("-year", "organization__name_folded")
    )
    history, weak_cells = [], []
    for result in rows:
        (history if result.organization_id == organization.pk else weak_cells).append(result)
    return history, weak_cells


def latest_year(*, root: Organization | None) -> int | None:
    """The latest year with results, drafts included: the year being worked on."""
    return results_in(year=None, root=root, final=False).order_by("-year").values_list("year", flat=True).first()


def rated_good_or_above(year: int) -> QuerySet:
    """The final results rated good or above in `year`, as `organization_id` and `label` values,
    for the watch list in `cells` (settings.VANLANG_WATCH_LIST_RATINGS), which uses it as a
    subquery for its page and reads the labels of the page's units only."""
    return Classification.objects.filter(year=year, level__in=GOOD_OR_ABOVE, state=Classification.State.FINAL).values(
        "organization_id", "label"
    )
