from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Classification, Level, level_label
from cells.models import Organization
from cells.models.tree import TreeQuerySet


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
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
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


class JobRun(models.Model):
    """One run of the candidate job: for which year and scope, who or what started it, how far it got.

    Progress lives in the database, so the page that started a run can follow it whether the
    task runs in-process (the embedded default) or on a worker.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        BUTTON = "button", _("Started from the candidates page")
        SCHEDULE = "schedule", _("Scheduled")
        FINALIZED = "finalized", _("Results became final")
        COMMAND = "command", _("Command line")

    tree_organization = "scope"

    year = models.PositiveSmallIntegerField(_("classification year"))
    scope = models.ForeignKey(
        Organization,
        verbose_name=_("scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every organization."),
    )
    trigger = models.CharField(_("started by"), max_length=12, choices=Trigger.choices, default=Trigger.BUTTON)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=255, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate job run")
        verbose_name_plural = _("candidate job runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="%(app_label)s_%(class)s_progress_percent",
                violation_error_message=_("Progress is a percentage."),
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.get_state_display()} · {self.progress}%"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
