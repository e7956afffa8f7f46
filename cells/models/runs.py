"""One record per background run: what it is, for whom, how far it got and what happened."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cells.models.organizations import Organization
from cells.models.tree import TreeQuerySet


class Run(models.Model):
    """One run of a background job (the candidate job, an import, a report).

    The row is written before the work is queued, so a run is never lost: if the queue cannot
    be reached it stays queued and the sweep (`cells.runs.runs_sweep`) sends it again; if the
    worker running it dies, its heartbeat stops and the sweep gives it to another worker. The
    page that started a run follows it here whether it runs in-process or on a worker.
    """

    class Kind(models.TextChoices):
        CANDIDATES = "candidates", _("Candidate job")
        IMPORT_ORGANIZATIONS = "import_organizations", _("Organization import")
        IMPORT_CLASSIFICATIONS = "import_classifications", _("Classification import")
        IMPORT_MEETINGS = "import_meetings", _("Meeting import")
        REPORT = "report", _("Report")
        HOME_SNAPSHOT = "home_snapshot", _("Home page figures")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        BUTTON = "button", _("Started from the page")
        SCHEDULE = "schedule", _("Scheduled")
        FINALIZED = "finalized", _("Results became final")
        COMMAND = "command", _("Command line")

    tree_organization = "scope"

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    scope = models.ForeignKey(
        Organization,
        verbose_name=_("scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: every organization."),
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    trigger = models.CharField(_("started by"), max_length=12, choices=Trigger.choices, default=Trigger.BUTTON)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=255, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    note = models.TextField(_("what happened"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent to the queue at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("background run")
        verbose_name_plural = _("background runs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="cells_run_state_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="%(app_label)s_%(class)s_progress_percent",
                violation_error_message=_("Progress is a percentage."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} · {self.get_state_display()} · {self.progress}%"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def waiting_for_queue(self) -> bool:
        """Recorded, but the queue could not be reached yet: the sweep sends it when it is back."""
        return self.state == self.State.QUEUED and self.sent_at is None
