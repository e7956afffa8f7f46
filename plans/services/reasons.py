"""Reason providers of the candidate job: early-warning signals attached to each candidate.

A provider is a callable `(year, organization_ids) -> {organization_id: [sentence, ...]}`:
`year` is the classification year, `organization_ids` the grassroots organizations the job
flags from it. It must be set-based (a fixed number of queries whatever the number of ids)
and answer only for units it has something to say about. The sentences are stored on the
candidate as written, in the language active during the run (Vietnamese).

To add a signal, append a provider to REASON_PROVIDERS; the job calls them in order.
"""

from collections.abc import Callable

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.models import LEVEL_RANK, WEAK_LEVELS, Classification
from cells.compliance import grassroots_of
from cells.signals import admission_signals, meeting_signals

ReasonProvider = Callable[[int, list[int]], dict[int, list[str]]]

HISTORY_YEARS = 10


def weak_years_reasons(year: int, organization_ids: list[int]) -> dict[int, list[str]]:
    """“Complete or worse N years running” and “down from … the year before”, in one query."""
    streak_needed = int(getattr(settings, "VANLANG_WEAK_STREAK_YEARS", 3))
    history = {}
    # Only what the sentences read: the weak years (a streak stops at the first year missing) and
    # this year and the one before, whatever their level; not ten years of every unit.
    for organization_id, result_year, level, label in (
        Classification.objects.filter(
            Q(level__in=WEAK_LEVELS) | Q(year__in=(year - 1, year)),
            organization_id__in=organization_ids,
            year__gte=year - HISTORY_YEARS,
            year__lte=year,
            state=Classification.State.FINAL,
        )
        .order_by()
        .values_list("organization_id", "year", "level", "label")
    ):
        history.setdefault(organization_id, {})[result_year] = (level, label)
    reasons = {}
    for organization_id in organization_ids:
        years = history.get(organization_id, {})
        if year not in years:
            continue
        sentences = []
        streak = 0
        while years.get(year - streak, (None,))[0] in WEAK_LEVELS:
            streak += 1
        if streak >= streak_needed:
            sentences.append(
                _("Rated complete or worse %(count)s years running (%(first)s–%(last)s).")
                % {"count": streak, "first": year - streak + 1, "last": year}
            )
        previous = years.get(year - 1)
        if previous and LEVEL_RANK[previous[0]] > LEVEL_RANK[years[year][0]]:
            sentences.append(_("Down from “%(label)s” in %(year)s.") % {"label": previous[1], "year": year - 1})
        if sentences:
            reasons[organization_id] = sentences
    return reasons


def weak_cell_reasons(year: int, organization_ids: list[int]) -> dict[int, list[str]]:
    """Cells rated complete or worse in the year (final results), named, in one query.

    A cell sits at most two levels below its grassroots organization (under a section
    committee); its owner is read from its path.
    """
    ids = set(organization_ids)
    rows = (
        Classification.objects.cells()
        .active_in(year)
        .filter(year=year, state=Classification.State.FINAL, level__in=WEAK_LEVELS)
        .filter(Q(organization__parent_id__in=ids) | Q(organization__parent__parent_id__in=ids))
        .order_by("organization__name_folded", "organization__code")
        .values_list("organization__name", "organization__path", "label")
    )
    reasons = {}
    for name, path, label in rows:
        owner = grassroots_of(path, ids)
        if owner is not None:
            reasons.setdefault(owner, []).append(
                _("%(cell)s rated %(label)s in %(year)s") % {"cell": name, "label": label, "year": year}
            )
    return reasons


def meeting_reasons(year: int, organization_ids: list[int]) -> dict[int, list[str]]:
    """Cells that met fewer than 10 times in the year (cells.signals, one query)."""
    return meeting_signals(year=year, organization_ids=organization_ids)


def admission_reasons(year: int, organization_ids: list[int]) -> dict[int, list[str]]:
    """Cells that went years without admitting a member (cells.signals, one query)."""
    return admission_signals(year=year, organization_ids=organization_ids)


REASON_PROVIDERS: list[ReasonProvider] = [
    weak_years_reasons,
    weak_cell_reasons,
    meeting_reasons,
    admission_reasons,
]
