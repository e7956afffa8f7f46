"""The organization tree as a queryset API: the one module that reads `path` and the life span.

Every model that belongs to an organization uses `TreeQuerySet` as its manager and names its
way to that organization in `tree_organization` ("" for `Organization` itself). Then scoping
and life spans read the same everywhere:

    Organization.objects.within(district).active_in(2020).grassroots()
    Meeting.objects.within(commune).active_on(day)
    Classification.objects.within(scope).active_in(year)

No other module filters on `path`, `founded` or `dissolved` (tests/test_tree_api_only.py).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext_lazy as _

PATH_SEPARATOR = "/"


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class TreeQuerySet(models.QuerySet):
    """Scope (the subtree of an organization) and life span, for any model with an organization."""

    def _field(self, name: str) -> str:
        via = getattr(self.model, "tree_organization", "organization")
        return f"{via}__{name}" if via else name

    def within(self, organization) -> "TreeQuerySet":
        """The rows of `organization` and of everything below it: one indexed prefix match."""
        return self.filter(**{self._field("path__startswith"): organization.path})

    def active_between(self, first: datetime.date, last: datetime.date) -> "TreeQuerySet":
        """Organizations whose life span meets the days from `first` to `last`, both included."""
        return self.filter(
            Q(**{self._field("founded__isnull"): True}) | Q(**{self._field("founded__lte"): last}),
            Q(**{self._field("dissolved__isnull"): True}) | Q(**{self._field("dissolved__gte"): first}),
        )

    def active_in(self, year: int) -> "TreeQuerySet":
        """Organizations that existed at some time in `year`: counted, listed and offered forms for it."""
        return self.active_between(*year_bounds(year))

    def active_on(self, day: datetime.date) -> "TreeQuerySet":
        return self.active_between(day, day)

    def grassroots(self) -> "TreeQuerySet":
        """Grassroots party organizations (TCCSĐ): grassroots committees and grassroots cells."""
        from cells.models.organizations import Organization

        return self.filter(**{self._field("kind__in"): Organization.GRASSROOTS_KINDS})

    def cells(self) -> "TreeQuerySet":
        """Cells that hold meetings: subordinate cells and grassroots cells."""
        from cells.models.organizations import Organization

        return self.filter(**{self._field("kind__in"): Organization.CELL_KINDS})

    def of_kind(self, *kinds) -> "TreeQuerySet":
        return self.filter(**{self._field("kind__in"): kinds})


class OrganizationQuerySet(TreeQuerySet):
    def below(self, organization) -> "OrganizationQuerySet":
        """The subtree of `organization` without it."""
        return self.within(organization).exclude(pk=organization.pk)


def path_ids(path: str) -> list[int]:
    """The primary keys along a path, from the root down to the node itself."""
    return [int(part) for part in path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]


def nearest_on_path(path: str, candidates) -> int | None:
    """The nearest of `candidates` (primary keys) on `path`, the node itself first, then up."""
    for pk in reversed(path_ids(path)):
        if pk in candidates:
            return pk
    return None


def child_path(parent_path: str | None, pk: int) -> str:
    return f"{parent_path or PATH_SEPARATOR}{pk}{PATH_SEPARATOR}"


def would_loop(organization, parent) -> bool:
    """Whether making `parent` the parent of `organization` would put it under itself."""
    if parent is None or organization.pk is None:
        return False
    return parent.pk == organization.pk or parent.path.startswith(organization.path or "\0")


LOOP_MESSAGE = _(
    "An organization cannot be placed under itself or under one of its own units: choose a parent outside its subtree."
)


def subtree_rewrite(model, *, old_path: str, new_path: str) -> int:
    """Rewrite the paths and depths under a node that moved from `old_path` to `new_path`: one UPDATE."""
    depth_change = new_path.count(PATH_SEPARATOR) - old_path.count(PATH_SEPARATOR)
    return (
        model._base_manager.filter(path__startswith=old_path)
        .exclude(path=old_path)
        .update(
            path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1)),
            depth=F("depth") + depth_change,
        )
    )


def place(organization, *, parent_path: str | None) -> str | None:
    """Set `organization`'s path and depth under the parent's path as stored, before it is saved.

    Returns the path it had when it moves (None when it stays). A new unit's path needs its
    primary key: `placed()` writes it after the insert.
    """
    if organization.pk is None:
        return None
    expected = child_path(parent_path, organization.pk)
    if expected == organization.path:
        return None
    old_path = organization.path
    organization.path, organization.depth = expected, expected.count(PATH_SEPARATOR) - 2
    return old_path


def placed(organization, *, old_path: str | None, parent_path: str | None) -> None:
    """After a save: write a new unit's path, and carry a moved unit's subtree along in one UPDATE."""
    model = type(organization)
    if not organization.path:
        organization.path = child_path(parent_path, organization.pk)
        organization.depth = organization.path.count(PATH_SEPARATOR) - 2
        model._base_manager.filter(pk=organization.pk).update(path=organization.path, depth=organization.depth)
    elif old_path:
        subtree_rewrite(model, old_path=old_path, new_path=organization.path)


def subtree_outliving(model, *, path: str, dissolved: datetime.date):
    """The units below `path` still open after `dissolved` (and founded by then)."""
    return (
        model._base_manager.filter(path__startswith=path)
        .exclude(path=path)
        .filter(Q(dissolved__isnull=True) | Q(dissolved__gt=dissolved))
        .exclude(founded__gt=dissolved)
    )


def subtree_end(model, *, path: str, dissolved: datetime.date) -> int:
    """End everything below `path` that outlives `dissolved` with it, in one UPDATE.

    Cells end with their grassroots organization unless they were moved to its successor first
    (a moved cell is no longer below the path). A unit founded after that day is left alone:
    it cannot end before it began.
    """
    return subtree_outliving(model, path=path, dissolved=dissolved).update(dissolved=dissolved)


def check_parent(organization, parent) -> None:
    if would_loop(organization, parent):
        raise ValidationError({"parent": LOOP_MESSAGE}, code="loop")
