"""What a page says about a unit outside its life span: when it ended and where its work went."""

import datetime

from django.utils import timezone

from cells.models import Organization


def ended_notice(
    organization: Organization, scope: Organization, *, year: int | None = None, url_name: str | None = None
) -> dict | None:
    """None while the unit exists (in `year`, or today); else when it began or ended and who took over.

    The successor is linked only when it lies in the user's scope (elsewhere it is named). For a
    unit without a successor of its own, the units that took over its subordinate units the same
    day are listed: the 2025 reform handed a district's communes to new commune committees. Two
    queries at most, only on the pages of an ended unit.
    """
    if year is not None:
        if organization.active_in(year):
            return None
        not_yet = organization.founded is not None and organization.founded.year > year
    else:
        today = timezone.localdate()
        if organization.active_on(today):
            return None
        not_yet = organization.founded is not None and organization.founded > today
    if not_yet:
        return {"organization": organization, "year": year, "not_yet": True}
    successor = organization.successor if organization.successor_id else None
    heirs = []
    if successor is None and organization.dissolved:
        heirs = list(
            Organization.objects.filter(
                predecessors__parent=organization, predecessors__dissolved=organization.dissolved
            )
            .distinct()
            .order_by("name_folded")
        )
    return {
        "organization": organization,
        "year": year,
        "url_name": url_name,
        "not_yet": False,
        "successor": successor,
        "successor_in_scope": successor is not None and successor.is_within(scope),
        "heirs": [(heir, heir.is_within(scope)) for heir in heirs],
        "last_year": organization.last_year,
        "day_after": organization.dissolved + datetime.timedelta(days=1) if organization.dissolved else None,
    }
