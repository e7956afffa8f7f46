"""Excel exports of the compliance tables (openpyxl, write-only so a large scope streams).

Every export of the project writes its rows through `append_row`: a text is always stored as
text, so an organization named `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` is shown, never run.
"""

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def append_row(sheet, values) -> None:
    """Append `values` to a write-only sheet; texts as plain text, never as a formula.

    openpyxl would store a text starting with "=" as a formula: its cell type is forced to
    text. Control characters, which the file format cannot hold, are dropped.
    """
    row = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    sheet.append(row)


def _response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def cell_compliance_xlsx(*, organization, year, cells) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(year))
    append_row(sheet, [_("Code"), _("Cell"), _("Regular"), _("Expected"), _("Themed"), _("Attendance"),
                  _("With a higher-level member")])  # fmt: skip
    for cell in cells:
        attendance = round(cell.attendance_percent, 2) if cell.attendance_percent is not None else None
        append_row(sheet, [cell.code, cell.name, cell.regular, cell.expected_regular, cell.themed, attendance,
                      cell.with_guest])  # fmt: skip
    return _response(workbook, f"sinh-hoat-{organization.code}-{year}.xlsx")


def grassroots_compliance_xlsx(*, organization, year, groups) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(year))
    append_row(sheet, [_("Code"), _("Grassroots organization"), _("Cells that met regularly"), _("Cells"),
                  _("Cells under 10")])  # fmt: skip
    for group in groups:
        low = ", ".join(f"{cell.name} ({cell.regular})" for cell in group.low_cells) if group.meeting_count else ""
        regular = group.regular_count if group.meeting_count else None
        append_row(sheet, [group.code, group.name, regular, group.cell_count, low])
    return _response(workbook, f"sinh-hoat-{organization.code}-{year}.xlsx")
