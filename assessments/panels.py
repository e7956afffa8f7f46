"""The classification part of an organization's page (see VANLANG_ORGANIZATION_PANELS)."""

from assessments.queries import latest_year, organization_history
from cells.models import Organization


def classification_panel(*, request, organization: Organization, scope: Organization) -> dict | None:
    """A unit's results by year with their corrections; for a grassroots organization, its cells
    rated "complete" or worse; for a committee, a link to its year page."""
    classified = organization.is_grassroots or organization.kind == Organization.Kind.CELL
    results, weak_cells = organization_history(organization) if classified else ([], [])
    return {
        "template": "assessments/_classification_panel.html",
        "results": results,
        "weak_cells": weak_cells,
        "classified": classified,
        "latest_year": None if organization.kind == Organization.Kind.CELL else latest_year(root=organization),
    }
