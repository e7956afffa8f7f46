from django.contrib import admin

from assessments.models import Classification, ClassificationChange
from cells.admin import AuditedAdmin


class ChangeInline(admin.TabularInline):
    model = ClassificationChange
    extra = 0
    fields = ["changed_at", "changed_by", "old_label", "new_label", "old_score", "new_score", "reason"]
    readonly_fields = fields
    can_delete = False


@admin.register(Classification)
class ClassificationAdmin(AuditedAdmin):
    list_display = ["organization", "year", "label", "level", "score", "state", "deciding_body", "decision_number"]
    list_filter = ["year", "level", "state", "rule_set"]
    search_fields = ["organization__code", "organization__name", "decision_number"]
    list_select_related = ["organization", "deciding_body"]
    raw_id_fields = ["organization", "deciding_body", "updated_by"]
    inlines = [ChangeInline]


@admin.register(ClassificationChange)
class ClassificationChangeAdmin(AuditedAdmin):
    list_display = ["classification", "old_label", "new_label", "reason", "changed_by", "changed_at"]
    list_select_related = ["classification__organization", "changed_by"]
    raw_id_fields = ["classification", "changed_by"]
