"""Reads of the organization tree that views and reports share."""

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from cells.models import Organization
from cells.text import fold


def with_child_counts(queryset: QuerySet) -> QuerySet:
    """Annotate `child_count` with one correlated subquery, not a query per row."""
    children = (
        Organization.objects.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(child_count=Coalesce(Subquery(children), 0))


def children_of(organization: Organization) -> QuerySet:
    # Active units first (NULL sorts first in SQLite but last in PostgreSQL: say it), then by
    # name without diacritics, so "Điện lực" sorts among the D's and not after "Z".
    return (
        with_child_counts(organization.children.all())
        .select_related("successor")
        .order_by(F("dissolved").asc(nulls_first=True), "name_folded", "code")
    )


def ancestors_within(organization: Organization, scope: Organization) -> list[Organization]:
    """The chain from the scope down to the organization's parent, in one query."""
    ids = [pk for pk in organization.ancestor_ids() if pk not in scope.ancestor_ids()]
    by_id = Organization.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def matching_organizations(text: str) -> Q | None:
    """The condition "name or code contains every word of `text`", ignoring case and diacritics.

    Written for the trigram indexes of migration 0013 on PostgreSQL: `name_folded LIKE` and
    `UPPER(code) LIKE` are the exact expressions they index. None when `text` has no word.
    """
    words = fold(text).split()
    if not words:
        return None
    condition = Q()
    for word in words:
        condition &= Q(name_folded__contains=word) | Q(code__icontains=word)
    return condition


def search_organizations(queryset: QuerySet, text: str) -> QuerySet:
    """Organizations whose name or code contains every word of `text`, ignoring case and diacritics."""
    condition = matching_organizations(text)
    if condition is None:
        return queryset.none()
    return (
        queryset.filter(condition)
        .select_related("parent")
        .order_by(search_rank(" ".join(fold(text).split())), "name_folded", "code")
    )


def search_rank(phrase: str) -> Case:
    """Grassroots organizations and committees whose name is the phrase ("tan my" → "Đảng bộ xã Tân Mỹ")
    come first, then those whose name has a word starting with it, then other units, then cells."""
    unit = ~Q(kind=Organization.Kind.CELL)
    exact = Q(name_folded=phrase) | Q(name_folded__endswith=f" {phrase}")
    prefix = Q(name_folded__startswith=phrase) | Q(name_folded__contains=f" {phrase}")
    return Case(
        When(unit & exact, then=Value(0)),
        When(unit & prefix, then=Value(1)),
        When(unit, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    ).asc()
