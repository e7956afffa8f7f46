"""The security log in the admin: read only, for auditors scoped to their subtree."""

from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cells.access import scope_filter, scope_of
from cells.models import SecurityEvent

# Authenticator secrets and recovery codes are nobody's reading, auditors' included: a lost
# phone is reset with `manage.py reset_two_factor USERNAME`.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(SecurityEvent)
class SecurityEventAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    """Like every admin of the project it has a history view; the events themselves are never
    changed, so it stays empty (the log is not tracked by django-auditlog)."""

    list_display = ["time", "kind", "username", "organization", "ip", "path", "detail"]
    list_filter = ["kind", "time"]
    search_fields = ["username", "ip", "path", "detail"]
    date_hierarchy = "time"
    list_select_related = ["organization"]
    actions = None

    def get_queryset(self, request):
        """Events of the users of the auditor's subtree. Failed sign-ins under names that are
        nobody's belong to no unit: only an auditor of a whole tree (a root) reads them."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        scope = scope_of(request.user)
        if scope is None:
            return queryset.none()
        scoped = scope_filter(queryset, scope)
        if scope.parent_id is None:
            scoped = scoped | queryset.filter(organization__isnull=True)
        return scoped

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
