"""Excel workbooks written one way everywhere: a title row, a header frozen under it with a filter,
column widths, numbers as numbers. openpyxl in write-only mode, so a large scope streams.

Every value goes through `cell_value()`, the one place that decides what a cell may hold.
"""

import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE_ROW, HEADER_ROW = 1, 2
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class Column:
    """A column's header and width (in characters). A `percent` column takes 92.45 and shows 92.45%."""

    title: str
    width: int = 14
    percent: bool = False
    date: bool = False
    wrap: bool = False


def cell_value(value):
    """What a cell holds: numbers and dates as themselves, everything else as text; None stays empty.

    Characters the file format cannot hold are dropped; the cell's type is forced to text by
    `text_cell`, so a name like `=HYPERLINK(...)` is shown, never run.
    """
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))  # lazy translations included


def text_cell(worksheet, value) -> WriteOnlyCell:
    """A write-only cell of `value` in which a text is always a text (never a formula)."""
    cell = WriteOnlyCell(worksheet, value=cell_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # openpyxl would store a text starting with "=" as a formula
    return cell


class WorkbookWriter:
    """One workbook of one or more tables, each on its own sheet."""

    def __init__(self, *, on_rows: Callable[[int], None] | None = None):
        """`on_rows(n)` is told every PROGRESS_EVERY rows how many rows the workbook holds so far."""
        self.workbook = Workbook(write_only=True)
        self.on_rows = on_rows
        self.written = 0
        self.title_font = Font(bold=True, size=13)
        self.header_font = Font(bold=True)

    def add_table(self, *, sheet: str, title: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> int:
        """Write `rows` under `title` and the header; returns how many rows were written."""
        worksheet = self.workbook.create_sheet(title=sheet[:31])
        for index, column in enumerate(columns, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = column.width
        # Set before the first row: write-only sheets write their views ahead of the data.
        worksheet.freeze_panes = f"A{HEADER_ROW + 1}"
        worksheet.append([self._cell(worksheet, title, font=self.title_font)])
        worksheet.append([self._cell(worksheet, column.title, font=self.header_font) for column in columns])
        count = 0
        for row in rows:
            cells = [self._data_cell(worksheet, column, value) for column, value in zip(columns, row, strict=True)]
            worksheet.append(cells)
            count += 1
            self.written += 1
            if self.on_rows is not None and self.written % PROGRESS_EVERY == 0:
                self.on_rows(self.written)
        last = get_column_letter(len(columns))
        worksheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(count, 1)}"
        return count

    def _cell(self, worksheet, value, font=None, number_format=None, wrap=False) -> WriteOnlyCell:
        cell = text_cell(worksheet, value)
        if font is not None:
            cell.font = font
        if number_format:
            cell.number_format = number_format
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        return cell

    def _data_cell(self, worksheet, column: Column, value) -> WriteOnlyCell:
        if column.percent and value is not None:
            return self._cell(worksheet, round(Decimal(str(value)) / 100, 6), number_format="0.00%")
        if column.date and value is not None:
            return self._cell(worksheet, value, number_format="DD/MM/YYYY")
        return self._cell(worksheet, value, wrap=column.wrap)

    def content(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
