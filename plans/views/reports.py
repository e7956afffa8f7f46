"""The four reports of a scope and a year, on screen, as an Excel workbook and as a party document.

`/bao-cao/<org_code>/<year>/<kind>/` shows one; a POST with `format=xlsx` or `format=pdf` asks for
its file, written by a background run (plans.report_files; a national list has 55,000 rows) and
followed on the run's page. The figures come from plans.queries.reports; the screen shows the
figures of the whole scope, counted by the database, and one page of its list (SQL LIMIT/OFFSET),
the files hold the list whole. Every view goes through ScopedMixin: a unit outside the
user's subtree answers 404.
"""

import datetime

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from assessments.queries import latest_year
from cells.access import Perm, ScopedMixin
from cells.once import SubmitOnceMixin
from cells.views.meetings import year_or_404
from cells.views.report_runs import ReportRunMixin
from plans.report_files import FORMATS, KINDS


class ReportIndexView(ScopedMixin, View):
    """The reports of the user's scope for its most recent year with results, or last year."""

    permission = Perm.VIEW

    def get(self, request):
        year = latest_year(root=self.scope) or datetime.date.today().year - 1
        return redirect("plans:report_list", org_code=self.scope.code, year=year)


class ReportListView(ScopedMixin, SubmitOnceMixin, TemplateView):
    """The four reports of a unit and a year, each on screen, in Excel and as a PDF."""

    permission = Perm.VIEW
    template_name = "plans/report_list.html"

    def get_context_data(self, **kwargs):
        organization = self.get_organization(self.kwargs["org_code"])
        year = year_or_404(self.kwargs["year"])
        return super().get_context_data(
            organization=organization,
            year=year,
            years=range(year - 3, year + 2),
            kinds=KINDS.values(),
        )


class ReportView(ScopedMixin, SubmitOnceMixin, ReportRunMixin, TemplateView):
    permission = Perm.VIEW

    def get(self, request, *args, **kwargs):
        kind = self.kind()
        organization = self.get_organization(self.kwargs["org_code"])
        year = year_or_404(self.kwargs["year"])
        report, page = kind.screen(scope=organization, year=year, page=request.GET.get("page"))
        context = self.get_context_data(
            kind=kind, kinds=KINDS.values(), report=report, organization=organization, year=year, page=page
        )
        return render(request, kind.template, context)

    def post(self, request, *args, **kwargs):
        """The report's file (format=xlsx or pdf), written by a background run."""
        kind = self.kind()
        organization = self.get_organization(self.kwargs["org_code"])
        year = year_or_404(self.kwargs["year"])
        output = request.POST.get("format", "")
        if output not in FORMATS:
            raise Http404
        title = _("%(report)s %(year)s: %(name)s (%(format)s)") % {
            "report": kind.title,
            "year": year,
            "name": organization.name,
            "format": "Excel" if output == "xlsx" else "PDF",
        }
        return self.report_start(
            report="report", scope=organization, year=year, title=title, kind=kind.slug, format=output
        )

    def kind(self):
        kind = KINDS.get(self.kwargs["kind"])
        if kind is None:
            raise Http404
        return kind
