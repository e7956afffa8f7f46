from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from cells.models import Organization, UserRole


class AuditedAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    """Admin for auditors: every object links to its full change history.

    Auditors hold only view permissions, so the admin shows them everything read only.
    """

    show_auditlog_history_link = True


@admin.register(Organization)
class OrganizationAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "sector", "parent", "founded", "dissolved"]
    list_filter = ["kind", "sector"]
    search_fields = ["code", "name", "name_folded"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent", "successor"]


@admin.register(UserRole)
class UserRoleAdmin(AuditedAdmin):
    list_display = ["user", "role", "organization"]
    list_filter = ["role"]
    list_select_related = ["user", "organization"]
    raw_id_fields = ["user", "organization"]


# Users and groups get the same history view as the project's own models.
admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class AuditedUserAdmin(AuditlogHistoryAdminMixin, UserAdmin):
    show_auditlog_history_link = True


@admin.register(Group)
class AuditedGroupAdmin(AuditlogHistoryAdminMixin, GroupAdmin):
    show_auditlog_history_link = True
