"""Excel exports of the compliance tables, through the shared writer (cells.workbooks).

A national scope lists 55,000 grassroots organizations and their 280,000 cells: the export is a
background run (`compliance_file`, see cells.report_runs). The tables' columns and rows are shared
with the meeting report (plans.exports).
"""

from django.utils.translation import gettext as _

from cells.compliance import cell_compliance, grassroots_compliance
from cells.report_runs import ReportOutput, rows_progress
from cells.workbooks import Column, WorkbookWriter


def _title(organization, year) -> str:
    return _("Cell meetings in %(year)s: %(scope)s") % {"year": year, "scope": organization.name}


def cell_compliance_columns() -> list[Column]:
    return [
        Column(_("Code"), 18),
        Column(_("Cell"), 36),
        Column(_("Regular"), 10),
        Column(_("Expected"), 10),
        Column(_("Themed"), 10),
        Column(_("Attendance"), 12, percent=True),
        Column(_("With a higher-level member"), 14),
    ]


def cell_compliance_rows(cells):
    for cell in cells:
        yield [cell.code, cell.name, cell.regular, cell.expected_regular, cell.themed, cell.attendance_percent,
               cell.with_guest]  # fmt: skip


def grassroots_compliance_columns() -> list[Column]:
    return [
        Column(_("Code"), 18),
        Column(_("Grassroots organization"), 36),
        Column(_("Cells that met regularly"), 14),
        Column(_("Cells"), 10),
        Column(_("Cells under 10"), 50, wrap=True),
    ]


def grassroots_compliance_rows(groups):
    """A year without any meeting record leaves the counts empty: "no records", not "none met"."""
    for group in groups:
        low = ", ".join(f"{cell.name} ({cell.regular})" for cell in group.low_cells) if group.meeting_count else ""
        regular = group.regular_count if group.meeting_count else None
        yield [group.code, group.name, regular, group.cell_count, low]


def compliance_file(run, progress) -> ReportOutput:
    """The compliance table of the run's unit and year as a workbook: per cell for a grassroots
    organization (or a cell), per grassroots organization above."""
    organization, year = run.scope, run.year
    progress(5, _("Counting the meetings"))
    if organization.is_cell or organization.is_grassroots:
        units = cell_compliance(organization=organization, year=year)
        columns, rows = cell_compliance_columns(), cell_compliance_rows(units)
    else:
        units = grassroots_compliance(organization=organization, year=year)
        columns, rows = grassroots_compliance_columns(), grassroots_compliance_rows(units)
    writer = WorkbookWriter(on_rows=rows_progress(progress, total=len(units), step=_("Writing the workbook")))
    written = writer.add_table(sheet=str(year), title=_title(organization, year), columns=columns, rows=rows)
    return ReportOutput(f"sinh-hoat-{organization.code}-{year}.xlsx", writer.content(), written)
