"""Excel exports of the compliance tables, through the shared writer (cells.workbooks).

The tables' columns and rows are shared with the meeting report (plans.exports).
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from cells.workbooks import Column, WorkbookWriter, xlsx_response


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


def cell_compliance_xlsx(*, organization, year, cells) -> HttpResponse:
    writer = WorkbookWriter()
    writer.add_table(
        sheet=str(year),
        title=_title(organization, year),
        columns=cell_compliance_columns(),
        rows=cell_compliance_rows(cells),
    )
    return xlsx_response(writer.content(), f"sinh-hoat-{organization.code}-{year}.xlsx")


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


def grassroots_compliance_xlsx(*, organization, year, groups) -> HttpResponse:
    writer = WorkbookWriter()
    writer.add_table(
        sheet=str(year),
        title=_title(organization, year),
        columns=grassroots_compliance_columns(),
        rows=grassroots_compliance_rows(groups),
    )
    return xlsx_response(writer.content(), f"sinh-hoat-{organization.code}-{year}.xlsx")
