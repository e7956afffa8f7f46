"""Early-warning signals for grassroots organizations, for the candidate job and the watch list.

Both functions take a set of grassroots organizations and answer, in one query whatever their
number, `{organization_id: [reason sentence, ...]}` for those that carry the signal. Sentences
are translated in the active language; wrap the call in `translation.override("vi")` to store
them in Vietnamese.

An organization whose cells have no record at all for the question (no meeting entered that
year, no admission ever entered) gets no signal: the software cannot tell "none held" from
"not recorded", and a false alarm on every unit would hide the real ones.
"""

import datetime
import math

from django.db.models import Exists, F, Func, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cells.compliance import (
    LOW_SHARE,
    expected_months,
    expected_months_expression,
    grassroots_of,
    with_meeting_counts,
)
from cells.models import Admission, Meeting, Organization
from cells.models.tree import year_bounds

# A cell is flagged after this many years in a row without admitting a member (the story's
# Pò Cại went four years).
ADMISSION_GAP_YEARS = 2


def owned_by(organization_ids) -> QuerySet:
    """The primary keys of the organizations at most two levels below (or equal to) the given ones:
    the cells of a set of grassroots organizations. One indexed lookup per level (a UNION), not one
    OR over the table: an OR through the parent's join made PostgreSQL scan every organization of
    the country for 50 units."""
    ids = list(organization_ids)
    rows = Organization.objects.order_by()
    return (
        rows.filter(pk__in=ids)
        .values("pk")
        .union(rows.filter(parent_id__in=ids).values("pk"), rows.filter(parent__parent_id__in=ids).values("pk"))
    )


def _cells_of(organization_ids, year: int):
    """Cells active in `year` that are, or sit under, one of the organizations (a cell is at most
    two levels below its grassroots organization, under a section committee)."""
    return Organization.objects.cells().active_in(year).filter(pk__in=owned_by(organization_ids))


def meeting_signals(*, year: int, organization_ids) -> dict[int, list[str]]:
    """Cells that held fewer than 10 of their 12 regular meetings in `year`. One query."""
    ids = set(organization_ids)
    if not ids:
        return {}
    today = timezone.localdate()
    rows = (
        with_meeting_counts(_cells_of(ids, year), year)
        .order_by("name_folded", "code")
        .values("id", "name", "path", "founded", "dissolved", "regular", "meeting_count")
    )
    low, recorded = {}, set()
    for row in rows:
        owner = grassroots_of(row["path"], ids)
        if owner is None:
            continue
        if not row["meeting_count"]:
            continue  # no records for the year: nothing is known, nothing was missed
        recorded.add(owner)
        expected = expected_months(row["founded"], row["dissolved"], year, today)
        if row["regular"] < math.ceil(expected * LOW_SHARE):
            sentence = _("%(cell)s held %(count)s/%(expected)s regular meetings in %(year)s") % {
                "cell": row["name"],
                "count": row["regular"],
                "expected": expected,
                "year": year,
            }
            low.setdefault(owner, []).append(sentence)
    return {owner: reasons for owner, reasons in low.items() if owner in recorded}


def admission_signals(*, year: int, organization_ids) -> dict[int, list[str]]:
    """Cells that admitted no member for `ADMISSION_GAP_YEARS` or more years up to `year`. One query.

    The gap of a cell that never admitted anyone is counted from the first admission recorded
    in its organization: that is where the records start.
    """
    ids = set(organization_ids)
    if not ids:
        return {}
    last_day = datetime.date(year, 12, 31)
    decided = Q(admissions__decision_date__lte=last_day)
    rows = (
        _cells_of(ids, year)
        .annotate(last_admission=Max("admissions__decision_date", filter=decided))
        .annotate(first_admission=Min("admissions__decision_date", filter=decided))
        .order_by("name_folded", "code")
        .values("id", "name", "path", "last_admission", "first_admission")
    )
    rows = list(rows)
    first_record = {}
    for row in rows:
        row["owner"] = grassroots_of(row["path"], ids)
        if row["first_admission"] and row["owner"] is not None:
            year_first = row["first_admission"].year
            first_record[row["owner"]] = min(first_record.get(row["owner"], year_first), year_first)
    signals = {}
    for row in rows:
        owner = row["owner"]
        if owner not in first_record:
            continue
        since = row["last_admission"].year + 1 if row["last_admission"] else first_record[owner]
        gap = year - since + 1
        if gap >= ADMISSION_GAP_YEARS:
            sentence = _("%(cell)s admitted no new member for %(years)s years (%(first)s–%(last)s)") % {
                "cell": row["name"],
                "years": gap,
                "first": since,
                "last": year,
            }
            signals.setdefault(owner, []).append(sentence)
    return signals


def _a_cell_of_outer(cells: QuerySet) -> Coalesce:
    """The first cell of `cells` that belongs to the outer grassroots organization, or NULL: the unit
    itself, a child or, under a section committee, a grandchild. Scalar subqueries with LIMIT 1 on
    indexed equalities (the primary key, the parent): the database runs them for each unit it
    reads and stops at the first cell found (COALESCE evaluates its arguments in order), where
    EXISTS would let the planner hash the signals of every cell in the table first."""
    sections = Organization.objects.of_kind(Organization.Kind.SECTION_COMMITTEE)
    under_a_section = cells.filter(parent_id__in=sections.filter(parent_id=OuterRef(OuterRef("pk"))).values("pk"))
    return Coalesce(
        Subquery(cells.filter(pk=OuterRef("pk")).order_by().values("pk")[:1]),
        Subquery(cells.filter(parent_id=OuterRef("pk")).order_by().values("pk")[:1]),
        Subquery(under_a_section.order_by().values("pk")[:1]),
    )


def with_signals(units: QuerySet, *, year: int, today: datetime.date | None = None) -> QuerySet:
    """The grassroots organizations of `units` that carry a meeting or an admission signal in
    `year`, decided by the database with the rules of `meeting_signals` and `admission_signals`:
    ordered and sliced, it reads only as many units as the page needs (no signal is computed
    for the whole scope)."""
    today = today or timezone.localdate()
    active = Organization.objects.cells().active_in(year)
    # meeting_signals: a cell with records that year and fewer regular meetings than its threshold.
    # Two correlated reads of the (organization, date) index per cell, no GROUP BY: the lightest
    # plan for the few cells of each unit read, and few expressions for Django to build.
    first, last = year_bounds(year)
    year_meetings = Meeting.objects.filter(organization=OuterRef("pk"), date__gte=first, date__lte=last).order_by()
    regular = year_meetings.filter(kind__in=Meeting.REGULAR_KINDS).values("organization")
    low = (
        active.filter(Exists(year_meetings))
        .annotate(
            regular=Coalesce(Subquery(regular.annotate(n=Func("pk", function="COUNT")).values("n")), 0),
            expected=expected_months_expression(year, today),
        )
        # ceil(expected × LOW_SHARE) in integers: the rule of CellCompliance.low.
        .filter(regular__lt=(F("expected") * 10 + 11) / 12)
    )
    # admission_signals: a gap of ADMISSION_GAP_YEARS or more is a cell with no admission decided in
    # the last ADMISSION_GAP_YEARS years up to `year`, in a unit whose first recorded admission (the
    # start of a never-admitting cell's gap) is at least that many years back, `year` included.
    window_start = datetime.date(year - ADMISSION_GAP_YEARS + 1, 1, 1)
    recent = Admission.objects.filter(
        organization=OuterRef("pk"), decision_date__gte=window_start, decision_date__lte=datetime.date(year, 12, 31)
    )
    quiet = active.filter(~Exists(recent))
    records_start = datetime.date(year - ADMISSION_GAP_YEARS + 2, 1, 1)
    earlier = Admission.objects.filter(organization=OuterRef("pk"), decision_date__lt=records_start)
    with_earlier_records = active.filter(Exists(earlier))
    return units.alias(
        low_cell=_a_cell_of_outer(low),
        quiet_cell=_a_cell_of_outer(quiet),
        earlier_record=_a_cell_of_outer(with_earlier_records),
    ).filter(Q(low_cell__isnull=False) | Q(quiet_cell__isnull=False, earlier_record__isnull=False))
