"""Admin pages of plans, tasks, reports, reminders and committee mailboxes (read only for auditors).

Kept apart from `plans/admin.py` (candidates); registered by `PlansConfig.ready`.
"""

from django.contrib import admin

from cells.admin import AuditedAdmin, LargeTableAdmin, year_filter
from plans.models import CommitteeMailbox, Plan, ProgressReport, ReminderLog, Target, Task


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Plan)
class PlanAdmin(LargeTableAdmin):
    list_display = ["organization", "year", "number", "issued_on", "state", "lead"]
    list_filter = ["state", year_filter()]
    list_select_related = ["organization", "lead"]
    raw_id_fields = ["candidate", "organization", "lead", "adopted_by", "updated_by"]
    inlines = [TargetInline]


@admin.register(Task)
class TaskAdmin(AuditedAdmin):
    list_display = ["title", "plan", "assignee", "committee", "due", "state"]
    list_filter = ["state", "committee"]
    list_select_related = ["plan__organization", "assignee"]
    raw_id_fields = ["plan", "assignee", "updated_by"]


@admin.register(ProgressReport)
class ProgressReportAdmin(AuditedAdmin):
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
