from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cells.models import tree
from cells.text import fold


class Organization(models.Model):
    """A party organization in the tree: an upper committee, a grassroots organization or a cell.

    The tree is stored as a materialized path of primary keys ("/1/7/42/"), so "everything
    under X" is one indexed prefix query at any depth. Organizations are never deleted: a
    dissolved or merged unit keeps its years, with `dissolved` set and, when merged, its
    `successor`.
    """

    class Kind(models.TextChoices):
        UPPER_COMMITTEE = "upper_committee", _("Upper-level committee")
        GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
        GRASSROOTS_CELL = "grassroots_cell", _("Grassroots party cell")
        SECTION_COMMITTEE = "section_committee", _("Section party committee")
        CELL = "cell", _("Subordinate party cell")

    class Sector(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        TOWN = "town", _("Town or ward")
        AGENCY = "agency", _("Agency")
        ENTERPRISE = "enterprise", _("Enterprise")
        PUBLIC_SERVICE = "public_service", _("Public service unit")
        MILITARY = "military", _("Military")
        POLICE = "police", _("Police")
        OTHER = "other", _("Other")

    GRASSROOTS_KINDS = (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL)
    CELL_KINDS = (Kind.CELL, Kind.GRASSROOTS_CELL)
    # Below these, units end with them (an upper committee's units are handed to another one).
    SUBTREE_ENDS_WITH_IT = (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL, Kind.SECTION_COMMITTEE)
    tree_organization = ""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(_("name for search"), max_length=255, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("place in the tree"), max_length=512, editable=False, default="")
    depth = models.PositiveSmallIntegerField(_("depth in the tree"), editable=False, default=0)
    founded = models.DateField(_("founded"), null=True, blank=True)
    dissolved = models.DateField(_("dissolved"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    objects = tree.OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]
        indexes = [
            # varchar_pattern_ops lets PostgreSQL use the index for LIKE 'prefix%' in any collation.
            models.Index(fields=["path"], name="cells_org_path_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["parent", "name_folded"], name="cells_org_parent_folded_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved__isnull=True) | Q(founded__isnull=True) | Q(dissolved__gte=models.F("founded")),
                name="%(app_label)s_%(class)s_dissolved_after_founded",
                violation_error_message=_("The dissolution date must not be before the founding date."),
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(dissolved__isnull=False),
                name="%(app_label)s_%(class)s_successor_only_when_dissolved",
                violation_error_message=_("Only a dissolved organization can have a successor."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Save, then place the unit (and its subtree, if it moved) in the tree. A loop is refused."""
        self.name_folded = fold(self.name)
        parent = self._fresh_parent() if self.parent_id else None
        tree.check_parent(self, parent)
        parent_path = parent.path if parent else None
        old_path = tree.place(self, parent_path=parent_path)
        if old_path is not None and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "path", "depth"}
        super().save(*args, **kwargs)
        tree.placed(self, old_path=old_path, parent_path=parent_path)
        if self.dissolved is not None and self.kind in self.SUBTREE_ENDS_WITH_IT:
            from cells.audit import subtree_end_audited  # the change log reads the models

            subtree_end_audited(organization=self)

    def clean(self):
        super().clean()
        if self.parent_id:
            tree.check_parent(self, self._fresh_parent())

    def _fresh_parent(self):
        """The parent as stored now: a parent moved since it was loaded has another path."""
        return type(self)._base_manager.only("pk", "path").get(pk=self.parent_id)

    def expected_path(self) -> str:
        return tree.child_path(self.parent.path if self.parent_id else None, self.pk)

    def move(self, parent: "Organization | None") -> None:
        """Put the unit under `parent`; its whole subtree follows in one UPDATE."""
        self.parent = parent
        self.save(update_fields=["parent"])

    @property
    def is_grassroots(self) -> bool:
        return self.kind in self.GRASSROOTS_KINDS

    @property
    def is_cell(self) -> bool:
        return self.kind in self.CELL_KINDS

    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to the parent, read from the path without a query."""
        return tree.path_ids(self.path)[:-1]

    def is_within(self, other: "Organization") -> bool:
        return self.path.startswith(other.path)

    def active_in(self, year: int) -> bool:
        """Whether the organization existed at some time in `year`."""
        return (self.founded is None or self.founded.year <= year) and (
            self.dissolved is None or self.dissolved.year >= year
        )

    @property
    def last_year(self) -> int | None:
        return self.dissolved.year if self.dissolved else None

    def years_around(self, year: int, *, before: int = 2, after: int = 2) -> list[int]:
        """The years near `year` in which the unit existed: what a year switch may offer."""
        return [y for y in range(year - before, year + after + 1) if self.active_in(y)]

    def active_on(self, day) -> bool:
        return (self.founded is None or self.founded <= day) and (self.dissolved is None or self.dissolved >= day)


class UserRole(models.Model):
    """What a user may do, and where: a role over one organization's subtree."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Organization committee staff")
        STANDING = "standing", _("Standing committee member")
        SECRETARY = "secretary", _("Party secretary")
        AUDITOR = "auditor", _("Auditor")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="vanlang_role"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="user_roles"
    )

    objects = tree.TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("user role")
        verbose_name_plural = _("user roles")

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organization}"
