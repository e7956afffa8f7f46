"""The four reports of a scope and a year, on screen, as an Excel workbook and as a party document.

`/bao-cao/<org_code>/<year>/<kind>/` shows one; `?format=xlsx` or `?format=pdf` downloads it. The
figures come from plans.queries.reports; the screen pages through long lists, the files hold them
whole. Every view goes through ScopedMixin: a unit outside the user's subtree answers 404.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from assessments.queries import latest_year
from cells.access import Perm, ScopedMixin
from cells.models import Organization
from cells.views.meetings import year_or_404
from cells.workbooks import xlsx_response
from plans import exports
from plans.pdf import PdfUnavailable, document_pdf, report_document_context
from plans.queries import reports as queries


@dataclass(frozen=True)
class ReportKind:
    slug: str
    title: str
    build: Callable
    workbook: Callable
    # The PDF's summary line, in Vietnamese whatever the screen's language (a party document).
    document_summary: str
    filename: str

    @property
    def template(self) -> str:
        return f"plans/report_{self.filename}.html"

    @property
    def pdf_template(self) -> str:
        return f"plans/report_{self.filename}_pdf.html"


KINDS = {
    kind.slug: kind
    for kind in [
        ReportKind(
            "xep-loai",
            _("Classification"),
            queries.classification_report,
            exports.classification_workbook,
            "Kết quả đánh giá, xếp loại chất lượng tổ chức cơ sở đảng năm {year}",
            "classification",
        ),
        ReportKind(
            "cung-co",
            _("Consolidation"),
            queries.consolidation_report,
            exports.consolidation_workbook,
            "Kết quả củng cố, kiện toàn tổ chức cơ sở đảng năm {year}",
            "consolidation",
        ),
        ReportKind(
            "sinh-hoat",
            _("Cell meetings"),
            queries.meeting_report,
            exports.meeting_workbook,
            "Tình hình sinh hoạt chi bộ năm {year}",
            "meetings",
        ),
        ReportKind(
            "phat-trien-dang",
            _("Party development"),
            queries.admission_report,
            exports.admission_workbook,
            "Kết quả kết nạp đảng viên năm {year}",
            "admissions",
        ),
    ]
}


class ReportIndexView(ScopedMixin, View):
    """The reports of the user's scope for its most recent year with results, or last year."""

    permission = Perm.VIEW

    def get(self, request):
        year = latest_year(root=self.scope) or datetime.date.today().year - 1
        return redirect("plans:report_list", org_code=self.scope.code, year=year)


class ReportListView(ScopedMixin, TemplateView):
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


class ReportView(ScopedMixin, TemplateView):
    permission = Perm.VIEW
    per_page = 100

    def get(self, request, *args, **kwargs):
        kind = KINDS.get(self.kwargs["kind"])
        if kind is None:
            raise Http404
        # The parent heads the printed document ("ĐẢNG BỘ TỈNH …" above the issuer): read with the unit.
        organization = self.get_scoped_or_404(
            Organization.objects.select_related("parent"), code=self.kwargs["org_code"]
        )
        year = year_or_404(self.kwargs["year"])
        report = kind.build(scope=organization, year=year)
        output = request.GET.get("format", "")
        filename = f"bao-cao-{kind.slug}-{organization.code}-{year}"
        if output == "xlsx":
            return xlsx_response(kind.workbook(report), f"{filename}.xlsx")
        if output == "pdf":
            return self.pdf(kind, report, filename)
        page = Paginator(report.rows, self.per_page).get_page(request.GET.get("page"))
        context = self.get_context_data(
            kind=kind, kinds=KINDS.values(), report=report, organization=organization, year=year, page=page
        )
        return render(request, kind.template, context)

    def pdf(self, kind: ReportKind, report, filename: str) -> HttpResponse:
        context = report_document_context(report.scope, summary_line=kind.document_summary.format(year=report.year))
        try:
            content = document_pdf(kind.pdf_template, {**context, "report": report, "year": report.year})
        except PdfUnavailable as error:
            context = {"detail": str(error), "back_url": self.request.path}
            return render(self.request, "plans/plan_pdf_unavailable.html", context, status=503)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
        return response
