"""Support plans (kế hoạch củng cố), their targets, tasks and progress reports."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Level
from assessments.rules import level_label
from cells.models import Organization
from cells.models.edits import EditTracked
from cells.models.tree import TreeQuerySet
from cells.text import NOTE_MAX, SECTION_MAX
from plans.people import person_name

__all__ = ["Committee", "CommitteeMailbox", "Plan", "ProgressReport", "ReminderLog", "Target", "Task"]


class Committee(models.TextChoices):
    """The party-building committees of an upper committee that tasks can be assigned to."""

    ORGANIZATION = "organization", _("Organization Committee")
    PROPAGANDA = "propaganda", _("Propaganda and Mass Mobilization Committee")
    INSPECTION = "inspection", _("Inspection Commission")
    OFFICE = "office", _("Party Committee Office")


class Plan(EditTracked):
    """The plan to strengthen one selected unit in one year, as the standing committee issues it.

    `version` goes up by one on every save through the services, which only update the row
    whose version the editor started from: the second of two concurrent saves is refused.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    candidate = models.OneToOneField(
        "plans.Candidate", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="plan"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="support_plans"
    )
    year = models.PositiveSmallIntegerField(_("year of support"))
    number = models.CharField(_("document number"), max_length=64, blank=True, help_text=_("For example 45-KH/HU."))
    issued_on = models.DateField(_("document date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=64, blank=True, help_text=_("Printed before the date."))
    weaknesses = models.TextField(_("weaknesses"), max_length=SECTION_MAX)
    causes = models.TextField(_("causes"), blank=True, max_length=SECTION_MAX)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead standing committee member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_plans",
    )
    signer_title = models.CharField(_("signer's title"), max_length=64, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, max_length=NOTE_MAX, help_text=_("One per line."))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        ordering = ["-year", "organization__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=_("This organization already has a support plan for this year."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.year}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.ADOPTED, self.State.IN_PROGRESS)


class Target(models.Model):
    """A measurable target of a plan. Counts and levels are compared with what the records say."""

    tree_organization = "plan__organization"

    class Kind(models.TextChoices):
        REGULAR_MEETINGS = "regular_meetings", _("Regular meetings per cell")
        THEMED_MEETINGS = "themed_meetings", _("Themed meetings per cell")
        ADMISSIONS = "admissions", _("New members admitted")
        LEVEL = "level", _("The unit's level")
        TEXT = "text", _("Other (free text)")

    COUNT_KINDS = (Kind.REGULAR_MEETINGS, Kind.THEMED_MEETINGS, Kind.ADMISSIONS)

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("kind of target"), max_length=20, choices=Kind.choices)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, blank=True)
    text = models.CharField(_("description"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["regular_meetings", "themed_meetings", "admissions"], number__isnull=False)
                    | (Q(kind="level") & ~Q(level=""))
                    | (Q(kind="text") & ~Q(text=""))
                ),
                name="%(app_label)s_%(class)s_value_for_kind",
                violation_error_message=_(
                    "A target needs a number for counts, a level for the unit's level, a description for free text."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value_display}"

    @property
    def value_display(self) -> str:
        if self.kind == self.Kind.LEVEL:
            # In the words of the plan's year; a target not attached yet reads in today's.
            return level_label(self.level, self.plan.year if self.plan_id else timezone.localdate().year)
        if self.kind == self.Kind.TEXT:
            return self.text
        return str(self.number)


class Task(EditTracked):
    """A piece of the plan's work, owned by a standing committee member or by a committee."""

    tree_organization = "plan__organization"

    class State(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATES = (State.OPEN, State.IN_PROGRESS)

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=255)
    description = models.TextField(_("details"), blank=True, max_length=SECTION_MAX)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("standing committee member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_tasks",
    )
    committee = models.CharField(_("committee"), max_length=16, choices=Committee.choices, blank=True)
    due = models.DateField(_("due date"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["state", "due"], name="plans_task_state_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(assignee__isnull=False) & Q(committee="")) | (Q(assignee__isnull=True) & ~Q(committee="")),
                name="%(app_label)s_%(class)s_one_assignee",
                violation_error_message=_("Assign the task to either a standing committee member or a committee."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def assignee_display(self) -> str:
        if self.assignee_id:
            return person_name(self.assignee)
        return str(self.get_committee_display())

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


def report_upload_to(report, filename):
    # The stored name never comes from the user: the original name is kept in a field.
    return f"plans/reports/{report.task_id}/{uuid.uuid4().hex}"


class ProgressReport(models.Model):
    """A dated account of work done on a task, with an optional attachment."""

    tree_organization = "task__plan__organization"

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("date"))
    text = models.TextField(_("progress"), max_length=SECTION_MAX)
    attachment = models.FileField(_("attachment"), upload_to=report_upload_to, blank=True, max_length=255)
    attachment_name = models.CharField(_("attachment's file name"), max_length=255, blank=True, editable=False)
    attachment_type = models.CharField(_("attachment's file type"), max_length=100, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-reported_on", "-pk"]

    def __str__(self):
        return f"{self.task} · {self.reported_on:%d/%m/%Y}"


class ReminderLog(models.Model):
    """One row per task per day a reminder went out: the database keeps the once-a-day promise."""

    tree_organization = "task__plan__organization"

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField(_("day"))
    recipient = models.EmailField(_("recipient"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "day"],
                name="%(app_label)s_%(class)s_once_a_day",
                violation_error_message=_("A reminder for this task was already sent today."),
            ),
        ]

    def __str__(self):
        return f"{self.task} · {self.day:%d/%m/%Y} · {self.recipient}"


class CommitteeMailbox(models.Model):
    """Where reminders for a committee's tasks go: an address per committee of an upper committee.

    The nearest upper committee above the plan's unit that has an address for the committee wins,
    so a province can set defaults and a district its own.
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("upper committee"), on_delete=models.PROTECT, related_name="committee_mailboxes"
    )
    committee = models.CharField(_("committee"), max_length=16, choices=Committee.choices)
    email = models.EmailField(_("email"))

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee mailbox")
        verbose_name_plural = _("committee mailboxes")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "committee"],
                name="%(app_label)s_%(class)s_one_per_committee",
                violation_error_message=_("This committee already has an address here."),
            ),
        ]

    def __str__(self):
        return f"{self.get_committee_display()} · {self.organization} · {self.email}"
