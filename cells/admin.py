import re
from pathlib import Path

from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, QueryDict
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cells.access import ScopedAdminMixin, organizations_visible_to, scope_of
from cells.audit import (
    action_label,
    actor_text,
    change_log_workbook,
    change_rows,
    entries_within,
    entry_organization,
    entry_reason,
    model_label,
)
from cells.models import Organization, UserRole
from cells.paging import CappedCountPaginator
from cells.queries import matching_organizations
from cells.report_runs import ReportOutput, rows_progress
from cells.runs import RunFailed
from cells.text import document_number
from cells.views.report_runs import report_start

# A document number as stored: digits, then a dash or a slash ("45-KH/HU", "12/QĐ"). Organization codes
# start with letters ("VL-GM"), so a term is one or the other.
DOCUMENT_NUMBER = re.compile(r"^\d+[-/]")


class ChangeHistoryMixin(AuditlogHistoryAdminMixin):
    """Each object's "Nhật ký thay đổi" page: who, when, before, after and why, in Hà Nội time."""

    show_auditlog_history_link = True
    auditlog_history_template = "admin/vanlang_change_history.html"

    def auditlog_history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404  # outside the reader's scope, or no such object
        return super().auditlog_history_view(request, object_id, extra_context)

    @admin.display(description=_("Change log"))
    def auditlog_link(self, obj):
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_auditlog", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("View"))


class AuditedAdmin(ScopedAdminMixin, ChangeHistoryMixin, admin.ModelAdmin):
    """Admin for auditors: scoped to their subtree, every object linked to its full change history.

    Auditors hold only view permissions, so the admin shows them everything read only.
    """


class LargeTableAdmin(AuditedAdmin):
    """An admin list over millions of rows: no exact counts, search through the trigram indexes.

    `show_full_result_count = False` drops the admin's count of the whole table, the paginator
    counts at most 10,000 rows, and the search looks for the words in the organization's folded
    name or code ("tan my" finds "Tân Mỹ"), as the app's search does, instead of `UPPER(name)
    LIKE` over every row. `search_via` is the path to the organization ("" for organizations).
    A term shaped like a party document number ("45-KH/HU", "Số 35-QĐ", "12/QĐ") searches the
    `search_numbers` fields instead, from its start, as stored ("35-QĐ/HU"; an index on each).
    Filters must come from fixed choices: a filter on a plain field runs a DISTINCT over the table.
    """

    show_full_result_count = False
    paginator = CappedCountPaginator
    search_via = "organization"
    search_numbers: list[str] = []
    search_fields = ["organization__code"]  # shows the search box; get_search_results does the search

    def get_search_results(self, request, queryset, search_term):
        number = document_number(search_term)
        if self.search_numbers and DOCUMENT_NUMBER.match(number):
            condition = Q()
            for field in self.search_numbers:
                condition |= Q(**{f"{field}__startswith": number})
            return queryset.filter(condition), False
        condition = matching_organizations(search_term)
        if condition is None:
            return queryset, False
        if not self.search_via:
            return queryset.filter(condition), False
        organizations = Organization.objects.filter(condition).order_by().values("pk")
        return queryset.filter(**{f"{self.search_via}__in": organizations}), False


def year_filter(field_name: str = "year", *, past: int = 15):
    """A list filter of the last `past` years from fixed choices, where the admin's own runs a DISTINCT."""

    class YearFilter(admin.SimpleListFilter):
        title = _("year")
        parameter_name = field_name

        def lookups(self, request, model_admin):
            this_year = timezone.localdate().year
            return [(str(year), str(year)) for year in range(this_year + 1, this_year - past, -1)]

        def queryset(self, request, queryset):
            value = self.value()
            if not value or not value.isdigit():
                return queryset
            if field_name == "year":
                return queryset.filter(year=int(value))
            return queryset.filter(**{f"{field_name}__year": int(value)})

    return YearFilter


@admin.register(Organization)
class OrganizationAdmin(LargeTableAdmin):
    list_display = ["code", "name", "kind", "sector", "parent", "founded", "dissolved"]
    list_filter = ["kind", "sector"]
    search_fields = ["code"]
    search_via = ""
    ordering = ["pk"]
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
class AuditedUserAdmin(ScopedAdminMixin, ChangeHistoryMixin, UserAdmin):
    """Users are deactivated, never deleted: deleting one would blank the author of every
    history entry they made (the log keeps its actor with SET NULL)."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Group)
class AuditedGroupAdmin(ScopedAdminMixin, ChangeHistoryMixin, GroupAdmin):
    pass


# Meetings, absentees, quotas and admissions for the auditors: inspecting the admission procedure is
# their work, so they read the names here. The change log keeps the names masked
# (AUDITLOG_INCLUDE_TRACKING_MODELS in settings) and objects' texts carry no name.
from cells.models import Absentee, Admission, AdmissionQuota, Meeting, MeetingReminder  # noqa: E402


class AbsenteeInline(admin.TabularInline):
    model = Absentee
    extra = 0
    fields = ["name", "reason"]
    readonly_fields = fields
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(LargeTableAdmin):
    list_display = ["organization", "date", "kind", "members_present", "members_total", "duration_minutes"]
    # No date_hierarchy: it reads the distinct dates of every meeting to draw its links.
    list_filter = ["kind", year_filter("date")]
    ordering = ["-date", "-pk"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]
    exclude = ["minutes_scan"]
    readonly_fields = ["scan"]
    inlines = [AbsenteeInline]

    @admin.display(description=_("scan of the minutes"))
    def scan(self, obj):
        if not obj.minutes_scan:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("cells:meeting_scan", args=[obj.pk]), _("Open the scan"))


@admin.register(Admission)
class AdmissionAdmin(LargeTableAdmin):
    list_display = ["full_name", "organization", "decision_number", "decision_date", "ceremony_date"]
    # No date_hierarchy: it reads the distinct dates of every admission to draw its links.
    list_filter = [year_filter("decision_date")]
    search_numbers = ["decision_number"]
    ordering = ["-pk"]  # newest entry first, on the primary key
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]


@admin.register(AdmissionQuota)
class AdmissionQuotaAdmin(AuditedAdmin):
    list_display = ["organization", "year", "quota"]
    list_filter = ["year"]
    list_select_related = ["organization"]
    raw_id_fields = ["organization"]


@admin.register(MeetingReminder)
class MeetingReminderAdmin(AuditedAdmin):
    list_display = ["organization", "month", "user", "recipients", "sent_at"]
    list_select_related = ["organization", "user"]
    raw_id_fields = ["organization", "user"]


# The change log ("Nhật ký thay đổi") is read only for everyone, superusers included. django-auditlog's
# own admin grants delete to requests coming from another admin page (to satisfy cascades); here no
# path may delete an entry, and the only action is the Excel export.
admin.site.unregister(LogEntry)


class EntryOrganizationFilter(admin.SimpleListFilter):
    """The entries of an organization's subtree: the scope and the units right under it are offered;
    any unit of the scope can be given in the address (?to-chuc=<id>)."""

    title = _("organization")
    parameter_name = "to-chuc"

    def lookups(self, request, model_admin):
        scope = scope_of(request.user)
        units = Organization.objects.all() if scope is None else Organization.objects.within(scope)
        top = scope.depth + 1 if scope is not None else 1
        return [(str(o.pk), f"{o.code} · {o.name}") for o in units.filter(depth__lte=top).order_by("depth", "code")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        organization = organizations_visible_to(request.user).filter(pk=value).first() if value.isdigit() else None
        if organization is None and request.user.is_superuser and value.isdigit():
            organization = Organization.objects.filter(pk=value).first()
        return entries_within(queryset, organization) if organization is not None else queryset.none()


class EntryModelFilter(admin.SimpleListFilter):
    title = _("kind of record")
    parameter_name = "loai"

    def lookups(self, request, model_admin):
        types = ContentType.objects.filter(pk__in=model_admin.get_queryset(request).values("content_type_id"))
        named = [
            (str(t.pk), capfirst(str(t.model_class()._meta.verbose_name_plural))) for t in types if t.model_class()
        ]
        return sorted(named, key=lambda item: item[1])

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(content_type_id=value) if value.isdigit() else queryset.none()


class EntryActorFilter(admin.SimpleListFilter):
    title = _("made by")
    parameter_name = "nguoi"

    def lookups(self, request, model_admin):
        actors = model_admin.get_queryset(request).exclude(actor=None).values("actor_id")
        return [
            (str(u.pk), u.get_username()) for u in get_user_model().objects.filter(pk__in=actors).order_by("username")
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(actor_id=value) if value.isdigit() else queryset.none()


# The list's page and its error flag: the export writes every entry the filters keep.
NOT_FILTERS = {PAGE_VAR, ERROR_FLAG}


@admin.register(LogEntry)
class ChangeLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Who changed what, when, from what to what and why: scoped to the auditor's subtree."""

    date_hierarchy = "timestamp"
    list_display = ["when", "organization_code", "record", "what", "who", "changed_fields", "reason"]
    list_display_links = ["when"]
    list_filter = [EntryOrganizationFilter, EntryModelFilter, EntryActorFilter, "action"]
    list_select_related = ["content_type", "actor"]
    search_fields = ["object_repr", "object_pk"]
    fields = ["when", "who", "record", "organization_code", "what", "changes_table", "reason", "remote_addr"]
    readonly_fields = fields
    actions = None
    change_list_template = "admin/vanlang_change_log.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        export = path("xuat-excel/", self.admin_site.admin_view(self.export_view), name="auditlog_logentry_export")
        return [export, *super().get_urls()]

    def export_view(self, request):
        """Ask for the entries of the list as filtered (its address's filters and search) as an Excel file:
        a report run writes it (`change_log_file`) and its page offers it. A link that opens this address
        is shown the list with those filters, whose button posts here."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        filters = {key: values for key, values in request.GET.lists() if key not in NOT_FILTERS}
        back_url = reverse("admin:auditlog_logentry_changelist")
        back_url += f"?{urlencode(filters, doseq=True)}" if filters else ""
        if request.method != "POST":
            return redirect(back_url)
        scope = scope_of(request.user)
        if scope is None:  # a superuser without a role: the run's page is read through a unit
            messages.error(request, _("Exporting needs a role in a unit: give this account a role, then export again."))
            return redirect(back_url)
        return report_start(
            request, report="change_log", scope=scope, title=_("Change log"), back_url=back_url, filters=filters
        )

    @admin.display(description=_("time"), ordering="timestamp")
    def when(self, entry):
        return date_format(timezone.localtime(entry.timestamp), "d/m/Y H:i:s")

    @admin.display(description=_("organization"))
    def organization_code(self, entry):
        return entry_organization(entry) or "—"

    @admin.display(description=_("record"))
    def record(self, entry):
        text = f"{model_label(entry)}: {entry.object_repr}"
        opts = entry.content_type
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model}_change", args=[entry.object_pk])
        except NoReverseMatch:
            return text
        return format_html('<a href="{}">{}</a>', url, text)

    @admin.display(description=_("change"), ordering="action")
    def what(self, entry):
        return action_label(entry)

    @admin.display(description=_("made by"))
    def who(self, entry):
        return actor_text(entry)

    @admin.display(description=_("fields changed"))
    def changed_fields(self, entry):
        return ", ".join(label for label, _before, _after in change_rows(entry, resolve=False)) or "—"

    @admin.display(description=_("reason"))
    def reason(self, entry):
        return entry_reason(entry) or "—"

    @admin.display(description=_("values before and after"))
    def changes_table(self, entry):
        return render_to_string("admin/_vanlang_changes.html", {"rows": change_rows(entry)})


def project_app_configs():
    """The apps of this repository (cells, assessments, plans and any added later), not the
    installed packages."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and "site-packages" not in path.parts:
            yield config


# Part of the change log itself; absent members are read on their meeting's page.
# The change log's own rows; the meeting summary, derived from the meetings (which the admin shows)
# and never edited by hand.
KEPT_OUT_OF_THE_ADMIN = {"cells.entryorganization", "cells.meetingyear"}


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
    scope_every_admin(site)
    name_installed_apps()
    return registered


def name_installed_apps():
    """Installed packages' sections of the admin, named as an inspection officer does."""
    if apps.is_installed("axes"):
        apps.get_app_config("axes").verbose_name = _("Sign-in lockout")


def scope_every_admin(site=admin.site):
    """Give every admin of the site, those of installed packages too (sign-in records, schedules), the
    scope of the user reading it: re-registered as a subclass with `ScopedAdminMixin` in front."""
    for model, model_admin in list(site._registry.items()):
        cls = type(model_admin)
        if isinstance(model_admin, ScopedAdminMixin):
            continue
        site.unregister(model)
        site.register(model, type(cls.__name__, (ScopedAdminMixin, cls), {"__module__": cls.__module__}))


# The security log (sign-ins, refused accesses, exports), scoped to the auditor's subtree.
import cells.security.admin  # noqa: E402, F401


def change_log_file(run, progress) -> ReportOutput:
    """The change log's export (VANLANG_REPORT_BUILDERS["change_log"]): the entries the auditor's list
    showed, read again through this admin's own change list with the run's filters, as its user, within
    the run's scope."""
    progress(5, gettext("Reading the change log"))
    user = run.requested_by
    if user is None or scope_of(user) != run.scope:
        raise RunFailed(gettext("The account that asked for this export no longer reads this unit. Ask for it again."))
    request = HttpRequest()
    request.method, request.path = "GET", reverse("admin:auditlog_logentry_changelist")
    request.GET = QueryDict(urlencode(run.params.get("filters", {}), doseq=True))
    request.user = user
    try:
        entries = admin.site.get_model_admin(LogEntry).get_changelist_instance(request).queryset
    except IncorrectLookupParameters:
        unreadable = gettext("These filters cannot be read. Open the change log, filter it again, then export.")
        raise RunFailed(unreadable) from None
    entries = entries.order_by("timestamp", "pk")
    total = entries.count()
    step = gettext("Writing the workbook")
    content, rows = change_log_workbook(entries, on_entries=rows_progress(progress, total=total, step=step))
    return ReportOutput("nhat-ky-thay-doi.xlsx", content, rows)
