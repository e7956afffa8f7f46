"""The meetings and party development panel of an organization's page (VANLANG_ORGANIZATION_PANELS)."""

from django.utils import timezone

from cells.access import ROLE_PERMISSIONS, Perm, role_of


def meetings_panel(*, request, organization, scope):
    """Links into the unit's meetings and admissions; no query, so the page stays as fast as it was."""
    if organization.kind == organization.Kind.SECTION_COMMITTEE:
        return None
    role = role_of(request.user)
    this_year = timezone.localdate().year
    return {
        "template": "cells/_meetings_panel.html",
        "organization": organization,
        "years": [this_year - 1, this_year],
        "may_enter": role is not None and Perm.ENTER_MEETINGS in ROLE_PERMISSIONS.get(role.role, set()),
    }
