"""The plans app's files written by a background run (cells.report_runs): the four reports of a
scope and a year (Excel or PDF), the candidates workbook and a long plan's PDF.

Each builder takes the run and a `progress(percent, step)` and returns a `ReportOutput`; settings'
VANLANG_REPORT_BUILDERS names them. A national report lists 55,000 organizations: Excel holds
any number of rows; a PDF of more than PDF_MAX_ROWS is refused with a message that says what to do
(WeasyPrint lays out every page in memory: a 1,400-page document would outlast the run's limit).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce, Length
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cells.models import Organization
from cells.report_runs import ReportOutput, rows_progress
from cells.runs import RunFailed
from plans import exports
from plans.models import Plan, Task
from plans.pdf import PdfUnavailable, document_pdf, plan_pdf, report_document_context
from plans.queries import candidates as candidate_queries
from plans.queries import reports as queries

# About 60 printed pages of a report's list.
PDF_MAX_ROWS = 2500
# A plan whose text (sections, recipients, tasks) is longer than this many characters, about ten
# printed pages and a second or two of WeasyPrint, is printed by a background run.
PLAN_PDF_INLINE_MAX = 30_000


@dataclass(frozen=True)
class ReportKind:
    slug: str
    title: str
    build: Callable
    # The report on screen: (report, page) with its figures over the whole scope and one page of rows.
    screen: Callable
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
            gettext_lazy("Classification"),
            queries.classification_report,
            queries.classification_screen,
            exports.classification_workbook,
            "Kết quả đánh giá, xếp loại chất lượng tổ chức cơ sở đảng năm {year}",
            "classification",
        ),
        ReportKind(
            "cung-co",
            gettext_lazy("Consolidation"),
            queries.consolidation_report,
            queries.consolidation_screen,
            exports.consolidation_workbook,
            "Kết quả củng cố, kiện toàn tổ chức cơ sở đảng năm {year}",
            "consolidation",
        ),
        ReportKind(
            "sinh-hoat",
            gettext_lazy("Cell meetings"),
            queries.meeting_report,
            queries.meeting_screen,
            exports.meeting_workbook,
            "Tình hình sinh hoạt chi bộ năm {year}",
            "meetings",
        ),
        ReportKind(
            "phat-trien-dang",
            gettext_lazy("Party development"),
            queries.admission_report,
            queries.admission_screen,
            exports.admission_workbook,
            "Kết quả kết nạp đảng viên năm {year}",
            "admissions",
        ),
    ]
}
FORMATS = ("xlsx", "pdf")


def report_filename(kind: ReportKind, organization: Organization, year: int, extension: str) -> str:
    return f"bao-cao-{kind.slug}-{organization.code}-{year}.{extension}"


def _row_count(rows) -> int:
    return len(rows) if isinstance(rows, list) else rows.count()


def _pdf(render: Callable[[], bytes]) -> bytes:
    try:
        return render()
    except PdfUnavailable as error:
        detail = _("PDF files cannot be made on this server (%(detail)s).") % {"detail": error}
        raise RunFailed(
            f"{detail} "
            + _(
                "Ask the administrator to run: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
                "fonts-liberation2, then restart the application."
            )
        ) from error


def report_file(run, progress) -> ReportOutput:
    """One of the four reports of the run's unit and year, as `params["format"]` says (xlsx or pdf)."""
    kind = KINDS.get(run.params.get("kind", ""))
    output = run.params.get("format", "")
    if kind is None or output not in FORMATS:
        raise RunFailed(_("This report does not exist any more. Ask for it again from its page."))
    organization = Organization.objects.select_related("parent").get(pk=run.scope_id)
    progress(5, _("Reading the figures"))
    report = kind.build(scope=organization, year=run.year)
    total = _row_count(report.rows)
    name = report_filename(kind, organization, run.year, output)
    if output == "xlsx":
        on_rows = rows_progress(progress, total=total, step=_("Writing the workbook"))
        return ReportOutput(name, kind.workbook(report, on_rows=on_rows), total)
    if total > PDF_MAX_ROWS:
        raise RunFailed(
            _(
                "The list has %(rows)s rows, too many to print (at most %(limit)s). Download it as Excel, "
                "or print the report of each unit under this one."
            )
            % {"rows": total, "limit": PDF_MAX_ROWS}
        )
    progress(30, _("Laying out the pages"))
    context = report_document_context(organization, summary_line=kind.document_summary.format(year=run.year))
    content = _pdf(lambda: document_pdf(kind.pdf_template, {**context, "report": report, "year": run.year}))
    return ReportOutput(name, content, total)


def candidates_file(run, progress) -> ReportOutput:
    """The candidates of a support year in the run's scope, filtered as the page was."""
    filters = run.params.get("filters", {})
    candidates = candidate_queries.candidates_in(
        scope=run.scope,
        year=run.year,
        text=filters.get("q", ""),
        level=filters.get("level", ""),
        status=filters.get("status", ""),
    )
    progress(5, _("Reading the candidates"))
    total = candidates.count()
    content = exports.candidates_workbook(
        candidates=candidates.iterator(chunk_size=2000),
        history=candidate_queries.level_history(scope=run.scope, year=run.year),
        year=run.year,
        scope=run.scope,
        on_rows=rows_progress(progress, total=total, step=_("Writing the workbook")),
    )
    return ReportOutput(f"ung-vien-cung-co-{run.year}.xlsx", content, total)


def plan_text_size(plan_id: int) -> int:
    """The characters a plan's document prints (its sections, recipients and tasks), counted by the database."""
    tasks = (
        Task.objects.filter(plan=OuterRef("pk"))
        .exclude(state=Task.State.CANCELLED)
        .order_by()
        .values("plan")
        .annotate(size=Sum(Length("title") + Length("description")))
        .values("size")
    )
    sizes = Plan.objects.filter(pk=plan_id).annotate(
        size=Length("weaknesses")
        + Length("causes")
        + Length("recipients")
        + Coalesce(Subquery(tasks, output_field=IntegerField()), 0)
    )
    return sizes.values_list("size", flat=True).get()


def plan_pdf_name(plan: Plan) -> str:
    return f"ke-hoach-{plan.organization.code}-{plan.year}.pdf"


def plan_pdf_file(run, progress) -> ReportOutput:
    """A long plan's printable document (the page prints a short one at once)."""
    plan = Plan.objects.select_related("organization__parent", "candidate__classification", "lead").filter(
        pk=run.params.get("plan_id"), organization_id=run.scope_id
    )
    plan = plan.first()
    if plan is None:
        raise RunFailed(_("This plan does not exist any more."))
    progress(10, _("Laying out the pages"))
    return ReportOutput(plan_pdf_name(plan), _pdf(lambda: plan_pdf(plan)))
