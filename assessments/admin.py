from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from assessments.models import Classification, ClassificationChange
from assessments.rules import RULE_SETS
from cells.admin import AuditedAdmin, LargeTableAdmin, year_filter


class ChangeInline(admin.TabularInline):
    model = ClassificationChange
    extra = 0
    fields = ["changed_at", "changed_by", "old_label", "new_label", "old_score", "new_score", "reason"]
    readonly_fields = fields
    can_delete = False


class RuleSetFilter(admin.SimpleListFilter):
    """The rule sets from `assessments.rules`, not a DISTINCT over every classification."""

    title = _("rule set")
    parameter_name = "rule_set"

    def lookups(self, request, model_admin):
        return [(rule_set.code, rule_set.code) for rule_set in RULE_SETS]

    def queryset(self, request, queryset):
        return queryset.filter(rule_set=self.value()) if self.value() else queryset


@admin.register(Classification)
class ClassificationAdmin(LargeTableAdmin):
    list_display = ["organization", "year", "label", "level", "score", "state", "deciding_body", "decision_number"]
    list_filter = [year_filter(), "level", "state", RuleSetFilter]
    search_numbers = ["decision_number"]
    # Newest entries first on the primary key, not through the organization's path (Meta.ordering).
    ordering = ["-pk"]
    list_select_related = ["organization", "deciding_body"]
    raw_id_fields = ["organization", "deciding_body", "updated_by"]
    inlines = [ChangeInline]


@admin.register(ClassificationChange)
class ClassificationChangeAdmin(AuditedAdmin):
    list_display = ["classification", "old_label", "new_label", "reason", "changed_by", "changed_at"]
    list_select_related = ["classification__organization", "changed_by"]
    raw_id_fields = ["classification", "changed_by"]
