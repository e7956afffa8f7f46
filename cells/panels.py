"""The meetings and party development panel of an organization's page (VANLANG_ORGANIZATION_PANELS)."""

from django.utils import timezone

from cells.access import ROLE_PERMISSIONS, Perm, role_of


def meetings_panel(*, request, organization, scope):
    """Links into the unit's meetings and admissions; no query, so the page stays as fast as it was."""
    if organization.kind == organization.Kind.SECTION_COMMITTEE:
        return None
    role = role_of(request.user)
    # The last two years of the unit's life: a unit that ended offers its own years, not today's.
    last_year = min(timezone.localdate().year, organization.last_year or 9999)
    years = organization.years_around(last_year, before=1, after=0)
    if not years:
        return None
    return {
        "template": "cells/_meetings_panel.html",
        "organization": organization,
        "years": years,
        "open_today": organization.active_on(timezone.localdate()),
        "may_enter": role is not None and Perm.ENTER_MEETINGS in ROLE_PERMISSIONS.get(role.role, set()),
    }
