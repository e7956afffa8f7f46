from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Classification, Level, level_label
from cells.models import Organization, Run
from cells.models.tree import TreeQuerySet
from cells.text import NOTE_MAX


class Candidate(models.Model):
    """A grassroots organization proposed for consolidation in `year`, and the decision on it.

    The flagging job proposes (source "job") from the previous year's classification; staff may
    add one by hand (source "manual"). The standing committee decides. A proposal that a later
    correction makes moot is withdrawn with its reason, never deleted once decided on.
    """

    class Source(models.TextChoices):
        JOB = "job", _("Flagged by the job")
        MANUAL = "manual", _("Added by staff")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not decided")
        SELECTED = "selected", _("Selected for consolidation")
        NOT_SELECTED = "not_selected", _("Not selected")

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="candidacies"
    )
    year = models.PositiveSmallIntegerField(_("year of support"))
    classification = models.ForeignKey(
        Classification,
        verbose_name=_("triggering classification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    level = models.CharField(_("triggering level"), max_length=16, choices=Level.choices, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.JOB)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True, max_length=NOTE_MAX)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField(_("reason for the decision"), blank=True, max_length=NOTE_MAX)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("consolidation candidate")
        verbose_name_plural = _("consolidation candidates")
        ordering = ["-year", "organization__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=_("This organization is already a candidate for this year."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.year}"

    def audit_display(self, name: str, value: str) -> str | None:
        """The triggering level as the rule set of the classified year writes it (cells.audit.readable)."""
        return level_label(self.year - 1, value) if name == "level" else None


class JobRunQuerySet(TreeQuerySet):
    pass


class JobRunManager(models.Manager.from_queryset(JobRunQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(kind=Run.Kind.CANDIDATES)


class JobRun(Run):
    """A run of the candidate job: the background-run record (`cells.Run`) of kind "candidates"."""

    objects = JobRunManager()

    class Meta:
        proxy = True
        verbose_name = _("candidate job run")
        verbose_name_plural = _("candidate job runs")

    def save(self, *args, **kwargs):
        self.kind = Run.Kind.CANDIDATES
        super().save(*args, **kwargs)
