"""The support plans of a unit, on its organization page (see VANLANG_ORGANIZATION_PANELS)."""

from plans.models import Plan
from plans.outcomes import Outcome, outcome_of
from plans.queries.plans import plans_with_levels


def support_plans_panel(*, request, organization, scope):
    """Only for a unit inside the viewer's scope that has plans: one query."""
    if not organization.is_within(scope):
        return None
    plans = list(plans_with_levels(Plan.objects.filter(organization=organization)).order_by("-year"))
    if not plans:
        return None
    for plan in plans:
        outcome = outcome_of(plan.level_before, plan.level_after)
        plan.outcome_label = Outcome(outcome).label if outcome else ""
        plan.outcome = outcome
    return {"template": "plans/_organization_panel.html", "plans": plans}
