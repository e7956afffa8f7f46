"""What the records say about a plan's targets, as the year goes on.

The one place in `plans` that reads the cells' meeting and admission records, through the
contract `cells.compliance` offers: `meeting_counts(*, organization, year)` gives
`{cell_id: {"regular": n, "themed": n}}` and `admissions_count(*, organization, year)` an int.
The unit's level comes from its final classification for the plan's year (a draft does not count).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.models import LEVEL_RANK, Classification, Level
from assessments.rules import level_label
from cells import compliance
from cells.models import Organization
from plans.models import Plan, Target


@dataclass(frozen=True)
class Actual:
    shown: str
    met: bool | None  # None: the records cannot tell (yet)


def cells_of(organization: Organization, year: int) -> list[Organization]:
    """The cells whose meetings count for the unit in `year`: itself when it is a grassroots cell."""
    if organization.kind == Organization.Kind.GRASSROOTS_CELL:
        return [organization]
    return list(
        Organization.objects.within(organization).of_kind(Organization.Kind.CELL).active_in(year).only("pk", "name")
    )


def _meeting_actual(target: Target, counts: dict, cells: list[Organization], key: str) -> Actual:
    if not cells:
        return Actual(_("no cells on record"), None)
    per_cell = [counts.get(cell.pk, {}).get(key, 0) for cell in cells]
    reached = sum(1 for n in per_cell if n >= target.number)
    shown = _("%(reached)d/%(total)d cells reached it (fewest: %(fewest)d)") % {
        "reached": reached,
        "total": len(cells),
        "fewest": min(per_cell),
    }
    return Actual(shown, reached == len(cells))


def plan_actuals(plan: Plan, targets: list[Target]) -> dict[int, Actual]:
    """The actual value of each target, computed from the records; one call per source at most."""
    kinds = {t.kind for t in targets}
    result: dict[int, Actual] = {}
    counts, cells = {}, []
    if kinds & {Target.Kind.REGULAR_MEETINGS, Target.Kind.THEMED_MEETINGS}:
        counts = compliance.meeting_counts(organization=plan.organization, year=plan.year)
        cells = cells_of(plan.organization, plan.year)
    admissions = None
    if Target.Kind.ADMISSIONS in kinds:
        admissions = compliance.admissions_count(organization=plan.organization, year=plan.year)
    level = None
    if Target.Kind.LEVEL in kinds:
        level = (
            Classification.objects.filter(
                organization=plan.organization, year=plan.year, state=Classification.State.FINAL
            )
            .values_list("level", flat=True)
            .first()
        )
    for target in targets:
        if target.kind == Target.Kind.REGULAR_MEETINGS:
            result[target.pk] = _meeting_actual(target, counts, cells, "regular")
        elif target.kind == Target.Kind.THEMED_MEETINGS:
            result[target.pk] = _meeting_actual(target, counts, cells, "themed")
        elif target.kind == Target.Kind.ADMISSIONS:
            result[target.pk] = Actual(str(admissions), admissions >= target.number)
        elif target.kind == Target.Kind.LEVEL:
            if level is None:
                result[target.pk] = Actual(_("not classified yet"), None)
            else:
                met = LEVEL_RANK[Level(level)] >= LEVEL_RANK[Level(target.level)]
                result[target.pk] = Actual(level_label(level, plan.year), met)
        else:
            result[target.pk] = Actual("", None)
    return result
