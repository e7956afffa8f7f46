"""Admin pages of plans, tasks, reports, reminders and committee mailboxes (read only for auditors).

Kept apart from `plans/admin.py` (candidates); registered by `PlansConfig.ready`.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from cells.admin import AuditedAdmin, LargeTableAdmin, year_filter
from plans.models import CommitteeMailbox, Plan, ProgressReport, ReminderLog, Target, Task
from plans.services.plans import PlanClosedError, refuse_if_closed


def _plan_of(obj) -> Plan | None:
    """The plan a plan, task or report belongs to (None for a row not saved yet)."""
    if isinstance(obj, Plan):
        return obj
    if isinstance(obj, Task):
        return obj.plan
    if isinstance(obj, ProgressReport):
        return obj.task.plan
    return None


class ClosedPlanReadOnly:
    """A completed or cancelled plan, its targets, tasks and reports are read only here too."""

    def _closed(self, obj) -> bool:
        plan = _plan_of(obj) if obj is not None and obj.pk else None
        return plan is not None and not plan.is_open

    def has_change_permission(self, request, obj=None):
        return not self._closed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._closed(obj) and super().has_delete_permission(request, obj)


class ClosedPlanForm(forms.ModelForm):
    """A task or report added from the admin to a closed plan is refused with the service's words."""

    def clean(self):
        cleaned = super().clean()
        plan = cleaned.get("plan") or getattr(cleaned.get("task"), "plan", None)
        if plan is not None:
            try:
                refuse_if_closed(plan)
            except PlanClosedError as error:
                raise ValidationError(str(error.args[0])) from error
        return cleaned


class TargetInline(ClosedPlanReadOnly, admin.TabularInline):
    model = Target
    extra = 0

    def has_add_permission(self, request, obj=None):
        return not self._closed(obj) and super().has_add_permission(request, obj)


@admin.register(Plan)
class PlanAdmin(ClosedPlanReadOnly, LargeTableAdmin):
    list_display = ["organization", "year", "number", "issued_on", "state", "lead"]
    list_filter = ["state", year_filter()]
    search_numbers = ["number", "candidate__decision_number"]
    list_select_related = ["organization", "lead"]
    raw_id_fields = ["candidate", "organization", "lead", "adopted_by", "updated_by"]
    inlines = [TargetInline]


@admin.register(Task)
class TaskAdmin(ClosedPlanReadOnly, AuditedAdmin):
    form = ClosedPlanForm
    list_display = ["title", "plan", "assignee", "committee", "due", "state"]
    list_filter = ["state", "committee"]
    list_select_related = ["plan__organization", "assignee"]
    raw_id_fields = ["plan", "assignee", "updated_by"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ClosedPlanReadOnly, AuditedAdmin):
    form = ClosedPlanForm
    list_display = ["task", "reported_on", "author"]
    list_select_related = ["task", "author"]
    raw_id_fields = ["task", "author"]


@admin.register(ReminderLog)
class ReminderLogAdmin(AuditedAdmin):
    list_display = ["task", "day", "recipient", "sent_at"]
    list_select_related = ["task"]
    raw_id_fields = ["task"]


@admin.register(CommitteeMailbox)
class CommitteeMailboxAdmin(AuditedAdmin):
    list_display = ["organization", "committee", "email"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]
