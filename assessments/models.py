from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cells.models import Organization
from cells.models.tree import TreeQuerySet
from cells.text import NOTE_MAX


class Level(models.TextChoices):
    """The normalized classification scale, best first, comparable across rule sets."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    COMPLETE = "complete", _("Complete")
    INCOMPLETE = "incomplete", _("Incomplete")


# Higher is better; used to compare a unit's level between years.
LEVEL_RANK = {Level.EXCELLENT: 4, Level.GOOD: 3, Level.COMPLETE: 2, Level.INCOMPLETE: 1}
WEAK_LEVELS = (Level.COMPLETE, Level.INCOMPLETE)
GOOD_OR_ABOVE = (Level.EXCELLENT, Level.GOOD)


class Classification(models.Model):
    """One organization's yearly quality classification (xếp loại chất lượng).

    The label is stored as written under the rule set of its year, beside the normalized
    level used for comparisons. A final result changes only with a reason, kept in history.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="classifications"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    label = models.CharField(_("label as written"), max_length=128, blank=True)
    rule_set = models.CharField(_("rule set"), max_length=32, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    deciding_body = models.ForeignKey(
        Organization,
        verbose_name=_("deciding body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=NOTE_MAX)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.DRAFT)
    change_reason = models.TextField(_("reason for the last change"), blank=True, max_length=NOTE_MAX)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=_("This organization already has a classification for this year."),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="%(app_label)s_%(class)s_score_range",
                violation_error_message=_("The score must be between 0 and 100."),
            ),
        ]
        indexes = [
            models.Index(fields=["year", "level"], name="assessments_year_level_idx"),
            # The admin finds a decision by its number, typed from its start (LIKE '35-QĐ%').
            models.Index(fields=["decision_number"], name="assessments_number_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return f"{self.organization} · {self.year} · {self.get_level_display()}"

    def audit_display(self, name: str, value: str) -> str | None:
        """The change log shows a level as the year's rule set writes it (cells.audit.readable)."""
        return level_label(self.year, value) if name == "level" else None


class ClassificationChange(models.Model):
    """A correction of a final result: what it was, what it became, who changed it and why.

    Kept for good, so the history of a result stays visible after every correction.
    """

    tree_organization = "classification__organization"

    classification = models.ForeignKey(
        Classification, verbose_name=_("classification"), on_delete=models.CASCADE, related_name="changes"
    )
    old_level = models.CharField(_("previous level"), max_length=16, choices=Level.choices)
    old_label = models.CharField(_("previous label"), max_length=128, blank=True)
    old_score = models.DecimalField(_("previous score"), max_digits=5, decimal_places=2, null=True, blank=True)
    new_level = models.CharField(_("new level"), max_length=16, choices=Level.choices)
    new_label = models.CharField(_("new label"), max_length=128, blank=True)
    new_score = models.DecimalField(_("new score"), max_digits=5, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=NOTE_MAX)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction of a classification")
        verbose_name_plural = _("corrections of classifications")
        ordering = ["classification", "changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="%(app_label)s_%(class)s_has_reason",
                violation_error_message=_("A correction of a final result needs a reason."),
            ),
        ]

    def __str__(self):
        return f"{self.classification} · {self.old_label or self.old_level} → {self.new_label or self.new_level}"

    def audit_display(self, name: str, value: str) -> str | None:
        return level_label(self.classification.year, value) if name in ("old_level", "new_level") else None


def level_label(year: int, level: str) -> str | None:
    """`level` as the rule set of `year` writes it, for the change log (None for a value that is not a level).

    The words come from `assessments.rules.level_label`, the one source of pages and documents.
    """
    from assessments.rules import level_label as words

    return words(level, year) if level in Level.values else None
