"""Cell meeting records: list, entry and correction, the scan of the minutes, compliance."""

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.db import IntegrityError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from cells.access import ROLE_PERMISSIONS, Perm, ScopedMixin
from cells.compliance import GroupedCompliance, cell_compliance
from cells.forms.meetings import AbsenteeFormSet, MeetingForm
from cells.forms.organizations import MeetingImportForm
from cells.lifespan import ended_notice
from cells.meeting_services import meeting_save, meeting_warnings
from cells.models import Meeting, Organization, Run
from cells.once import SubmitOnceMixin
from cells.paging import NextPagePaginator
from cells.params import code_param, year_param
from cells.uploads import CONTENT_TYPES
from cells.versions import ConflictError
from cells.views.imports import ImportPages, ImportRunView, ImportView
from cells.views.report_runs import ReportRunMixin


class PersonalDataMixin:
    """Whether this user's work needs names: the unit's secretaries and staff (Perm.VIEW_PERSONAL_DATA)."""

    @property
    def may_see_names(self) -> bool:
        return Perm.VIEW_PERSONAL_DATA in ROLE_PERMISSIONS.get(self.role.role, set())


def year_or_404(year: int) -> int:
    """A year from the address; one no calendar date can hold answers 404, not a server error."""
    if not 1900 < year < 3000:
        raise Http404
    return year


def recent_cells(cells):
    """The cells a record may be entered for: those that existed at some time in the last year.

    A late record of a cell that ended recently can still be entered; its date is then checked
    against the cell's life span by the form.
    """
    today = timezone.localdate()
    return cells.active_between(today - datetime.timedelta(days=366), today)


class MeetingListView(ScopedMixin, TemplateView):
    """Meeting records in the user's scope, newest first, filtered by year and unit."""

    permission = Perm.VIEW
    template_name = "cells/meeting_list.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        meetings = self.scoped(Meeting.objects.select_related("organization"))
        year = year_param(self.request)
        if year:
            meetings = meetings.filter(date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31))
        unit = None
        if code := code_param(self.request):
            unit = self.get_organization(code)
            meetings = meetings.within(unit)
        # Newest first on the (date, id) index, and no count: over millions of meetings the
        # count and a sort on the cell's name cost more than the page itself.
        page = NextPagePaginator(meetings.order_by("-date", "-pk"), self.per_page).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            page=page,
            year=year,
            unit=unit,
            this_year=timezone.localdate().year,
            year_text=str(year or ""),
            unit_code=quote(unit.code) if unit else "",
            **kwargs,
        )


class MeetingEditView(PersonalDataMixin, ScopedMixin, SubmitOnceMixin, TemplateView):
    """Enter a new meeting record or correct one: errors block, warnings ask for a confirmation."""

    permission = Perm.ENTER_MEETINGS
    template_name = "cells/meeting_form.html"

    def get_meeting(self) -> Meeting:
        if "meeting_id" not in self.kwargs:
            return Meeting()
        return self.get_scoped_or_404(Meeting.objects.select_related("organization"), pk=self.kwargs["meeting_id"])

    def get_cells(self, meeting):
        cells = self.scoped(Organization.objects.cells())
        if meeting.pk:
            return cells.filter(pk=meeting.organization_id)
        if code := code_param(self.request):
            unit = self.get_organization(code)
            cells = cells.within(unit)
        return recent_cells(cells).order_by("name_folded")

    def dispatch_forms(self, data=None, files=None):
        self.meeting = self.get_meeting()
        cells = self.get_cells(self.meeting)
        form = MeetingForm(data, files, instance=self.meeting, cells=cells)
        absentees = AbsenteeFormSet(data, instance=self.meeting, prefix="absentees")
        return form, absentees

    def get(self, request, *args, **kwargs):
        form, absentees = self.dispatch_forms()
        if not self.meeting.pk:
            form.initial.setdefault("date", timezone.localdate())
        return self.render_to_response(self.get_context_data(form=form, absentees=absentees))

    def post(self, request, *args, **kwargs):
        form, absentees = self.dispatch_forms(request.POST, request.FILES)
        warnings = []
        if form.is_valid() and absentees.is_valid():
            data = form.cleaned_data
            listed = sum(1 for f in absentees.forms if f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE"))
            warnings = meeting_warnings(
                organization=data["organization"],
                date=data["date"],
                kind=data["kind"],
                duration_minutes=data.get("duration_minutes"),
                members_total=data["members_total"],
                members_present=data["members_present"],
                absentee_count=listed,
                exclude_pk=self.meeting.pk,
            )
            if not warnings or request.POST.get("confirm_warnings"):
                try:
                    meeting = meeting_save(
                        form=form, absentees=absentees, user=request.user, version=data.get("version")
                    )
                except ConflictError as conflict:
                    return self.refuse_stale(form, absentees, conflict)
                except IntegrityError:  # two posts crossed: the unique rule, checked by the form, in the database
                    form.add_error(None, _("This cell already has a meeting of this kind on this date."))
                else:
                    messages.success(request, _("The meeting record was saved."))
                    return redirect("cells:meeting_detail", meeting_id=meeting.pk)
        context = self.get_context_data(
            form=form, absentees=absentees, warnings=warnings, scan_dropped=bool(warnings and request.FILES)
        )
        return self.render_to_response(context)

    def refuse_stale(self, form, absentees, conflict):
        """Keep everything the user typed; the next save knowingly replaces the other version."""
        data = self.request.POST.copy()
        data["version"] = conflict.current.version
        form = MeetingForm(data, instance=self.meeting, cells=form.fields["organization"].queryset)
        form.is_valid()
        absentees = AbsenteeFormSet(data, instance=self.meeting, prefix="absentees")
        context = self.get_context_data(form=form, absentees=absentees, conflict=conflict)
        return self.render_to_response(context, status=409)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


class MeetingDetailView(PersonalDataMixin, ScopedMixin, TemplateView):
    permission = Perm.VIEW
    template_name = "cells/meeting_detail.html"

    def get_context_data(self, **kwargs):
        meeting = self.get_scoped_or_404(Meeting.objects.select_related("organization"), pk=self.kwargs["meeting_id"])
        absentees = list(meeting.absentees.all()) if self.may_see_names else None
        return super().get_context_data(
            meeting=meeting,
            absentees=absentees,
            may_edit=Perm.ENTER_MEETINGS in ROLE_PERMISSIONS.get(self.role.role, set()),
            **kwargs,
        )


class MeetingScanView(ScopedMixin, View):
    """The scan of the minutes, only through this scoped view: MEDIA_ROOT has no public URL."""

    permission = Perm.VIEW_PERSONAL_DATA

    def get(self, request, meeting_id):
        meeting = self.get_scoped_or_404(
            Meeting.objects.select_related("organization").exclude(minutes_scan=""), pk=meeting_id
        )
        extension = meeting.minutes_scan.name.rsplit(".", 1)[-1]
        if extension not in CONTENT_TYPES or not meeting.minutes_scan.storage.exists(meeting.minutes_scan.name):
            raise Http404
        response = FileResponse(
            meeting.minutes_scan.open("rb"),
            content_type=CONTENT_TYPES[extension],
            filename=f"bien-ban-{meeting.organization.code}-{meeting.date:%Y-%m-%d}.{extension}",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class ComplianceView(ScopedMixin, SubmitOnceMixin, ReportRunMixin, TemplateView):
    """A unit's meetings in a year: per cell for a grassroots organization, per grassroots organization above.

    Its Excel file is a background run (a national scope lists 55,000 organizations): the button posts.
    """

    permission = Perm.VIEW
    template_name = "cells/meeting_compliance.html"
    per_page = 100

    def post(self, request, org_code, year):
        organization = self.get_organization(org_code)
        year = year_or_404(year)
        title = _("Cell meetings in %(year)s: %(scope)s") % {"year": year, "scope": organization.name}
        return self.report_start(report="compliance", scope=organization, year=year, title=title)

    def get_context_data(self, **kwargs):
        organization = self.get_organization(self.kwargs["org_code"])
        year = year_or_404(self.kwargs["year"])
        notice = ended_notice(organization, self.scope, year=year, url_name="cells:meeting_compliance")
        context = {"organization": organization, "year": year, "years": organization.years_around(year)}
        if notice:
            context["notice"] = notice  # nothing to count in a year the unit did not exist
        elif organization.is_cell or organization.is_grassroots:
            cells = cell_compliance(organization=organization, year=year)
            context.update(
                cells=cells,
                regular_count=sum(1 for cell in cells if cell.met_regularly),
                recorded_count=sum(1 for cell in cells if cell.has_records),
                no_records_count=sum(1 for cell in cells if not cell.has_records),
                low_count=sum(1 for cell in cells if cell.low),
            )
        else:
            # Grouped, counted and paged by the database: a national scope has 55,000 groups.
            grouped = GroupedCompliance(organization=organization, year=year)
            context["page"] = grouped.page(self.request.GET.get("page"), self.per_page)
            totals = grouped.totals()
            context.update(
                with_records=totals.with_records, all_regular=totals.all_regular, group_count=totals.group_count
            )
        return super().get_context_data(**{**kwargs, **context})


IMPORT_TITLE, IMPORT_BACK = gettext_lazy("Import meetings"), gettext_lazy("Cell meetings")
MEETING_IMPORT = ImportPages(
    Run.Kind.IMPORT_MEETINGS, "cells:meeting_import", IMPORT_TITLE, "cells:meeting_list", IMPORT_BACK
)


class MeetingImportView(ImportView):
    """Staff upload the meeting records of the cells in their subtree."""

    pages = MEETING_IMPORT
    form_class = MeetingImportForm
    help_template = "cells/_meeting_import_help.html"


class MeetingImportRunView(ImportRunView):
    """A meeting file's check or import, followed to its end."""

    pages = MEETING_IMPORT
