from pathlib import Path

from auditlog import admin as auditlog_admin
from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
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

    def has_delete_permission(self, request, obj=None):
        # Organizations are never deleted: a dissolved unit keeps its years (set `dissolved`).
        return False


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
    """Users are deactivated, never deleted: deleting one would blank the author of every
    history entry they made (the log keeps its actor with SET NULL)."""

    show_auditlog_history_link = True

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Group)
class AuditedGroupAdmin(AuditlogHistoryAdminMixin, GroupAdmin):
    show_auditlog_history_link = True


# Meetings and quotas for the auditors. Admissions and absentees' names are personal data that an
# auditor's work does not need (Nghị định 13/2023/NĐ-CP): they are not in the admin, and the audit
# log masks them (AUDITLOG_INCLUDE_TRACKING_MODELS in settings).
from cells.models import AdmissionQuota, Meeting, MeetingReminder  # noqa: E402


@admin.register(Meeting)
class MeetingAdmin(AuditedAdmin):
    list_display = ["organization", "date", "kind", "members_present", "members_total", "duration_minutes"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["organization__code", "organization__name"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]
    exclude = ["minutes_scan"]


@admin.register(AdmissionQuota)
class AdmissionQuotaAdmin(AuditedAdmin):
    list_display = ["organization", "year", "quota"]
    list_filter = ["year"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]


@admin.register(MeetingReminder)
class MeetingReminderAdmin(AuditedAdmin):
    list_display = ["organization", "month", "sent_at"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]


# The change history is read only for everyone, superusers included. django-auditlog's own
# admin refuses add and change, but grants delete to requests coming from another admin page
# (to satisfy cascades); here no path may delete an entry, and there are no bulk actions.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class ReadOnlyLogEntryAdmin(auditlog_admin.LogEntryAdmin):
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def project_app_configs():
    """The apps of this repository (cells, assessments, plans and any added later), not the
    installed packages."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and "site-packages" not in path.parts:
            yield config


# Personal data that an auditor's work does not need (Nghị định 13/2023/NĐ-CP): names of
# admission candidates and of absent members. Their changes are still logged, masked.
KEPT_OUT_OF_THE_ADMIN = {"cells.admission", "cells.absentee"}


def register_remaining_models(site=admin.site):
    """Give every project model without an admin of its own the audited read-only one.

    Called from `CellsConfig.ready()`. It runs the admin autodiscovery first (a no-op when
    already done), so the apps' own `admin.py` registrations always win, whatever the order
    of INSTALLED_APPS, and a model added later needs no admin code to be seen by auditors.
    """
    admin.autodiscover()
    registered = []
    for config in project_app_configs():
        for model in config.get_models():
            if not site.is_registered(model) and model._meta.label_lower not in KEPT_OUT_OF_THE_ADMIN:
                site.register(model, AuditedAdmin)
                registered.append(model)
    return registered


# The security log (sign-ins, refused accesses, exports), scoped to the auditor's subtree.
import cells.security.admin  # noqa: E402, F401
