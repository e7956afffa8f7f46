"""The classification part of an organization's page (see VANLANG_ORGANIZATION_PANELS)."""

from assessments.queries import latest_year, organization_history
from cells.models import Organization


def classification_panel(*, request, organization: Organization, scope: Organization) -> dict | None:
    """A unit's results by year with their corrections; for a committee, a link to its year page."""
    classified = organization.is_grassroots or organization.kind == Organization.Kind.CELL
    return {
        "template": "assessments/_classification_panel.html",
        "results": organization_history(organization) if classified else [],
        "classified": classified,
        "latest_year": None if organization.kind == Organization.Kind.CELL else latest_year(root=organization),
    }
