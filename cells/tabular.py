"""Reading CSV and XLSX files row by row, for the import commands.

A file is read as a stream (XLSX in openpyxl's read-only mode), so a national file of
hundreds of thousands of rows never sits in memory whole. Problems are collected as
`RowError`s, each naming the row as a spreadsheet user sees it (the header is row 1), the
column and what is wrong, so that one run reports them all.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _


class TabularFileError(Exception):
    """The file as a whole cannot be read: wrong format, no header, missing columns."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        if self.row:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column or "-",
                "message": self.message,
            }
        return str(self.message)


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _check_header(header: list[str], required: tuple[str, ...], optional: tuple[str, ...]) -> list[str]:
    names = [_clean(name).lower() for name in header]
    missing = [name for name in required if name not in names]
    if missing:
        raise TabularFileError(
            _("The header row lacks the column(s) %(missing)s. Expected columns: %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(required + optional)}
        )
    return names


def read_rows(
    path: str | Path, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict]]:
    """Yield `(row_number, {column: text})` for each non-empty data row of a CSV or XLSX file.

    Raises TabularFileError when the file cannot be read as the expected table.
    """
    path = Path(path)
    if not path.is_file():
        raise TabularFileError(_("File not found: %(path)s") % {"path": path})
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        yield from _read_xlsx(path, required, optional)
    elif suffix in (".csv", ".txt"):
        yield from _read_csv(path, required, optional)
    else:
        raise TabularFileError(
            _("Unsupported file type %(suffix)s: save the table as CSV (UTF-8) or Excel (.xlsx).") % {"suffix": suffix}
        )


def _read_csv(path, required, optional):
    with open(path, "rb") as raw:
        # utf-8-sig accepts the byte-order mark that Excel writes in front of "CSV UTF-8" files.
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            reader = csv.reader(text)
            header = next(reader, None)
            if not header:
                raise TabularFileError(_("The file is empty: the first row must name the columns."))
            names = _check_header(header, required, optional)
            for number, values in enumerate(reader, start=2):
                if not any(v.strip() for v in values):
                    continue
                yield number, {name: _clean(values[i]) if i < len(values) else "" for i, name in enumerate(names)}
        except UnicodeDecodeError as exc:
            raise TabularFileError(
                _("The file is not UTF-8 text. In Excel choose “Save as” › “CSV UTF-8”, or upload the .xlsx file.")
            ) from exc
        except csv.Error as exc:
            raise TabularFileError(_("The file is not valid CSV: %(error)s") % {"error": exc}) from exc


def _read_xlsx(path, required, optional):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or mislabelled file
        raise TabularFileError(_("The file is not a readable Excel (.xlsx) workbook.")) from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header or not any(header):
            raise TabularFileError(_("The file is empty: the first row must name the columns."))
        names = _check_header(list(header), required, optional)
        for number, values in enumerate(rows, start=2):
            if not values or not any(_clean(v) for v in values):
                continue
            yield number, {name: _clean(values[i]) if i < len(values) else "" for i, name in enumerate(names)}
    finally:
        workbook.close()


def match_choice(value: str, choices) -> str | None:
    """The code of a TextChoices member typed as its code or its Vietnamese label, any case.

    `choices` is a TextChoices class. Vietnamese labels come from the catalog, so this works
    whatever language the command runs in.
    """
    from django.utils import translation

    from cells.text import fold

    wanted = fold(value)
    if not wanted:
        return None
    for code in choices.values:
        if fold(code) == wanted:
            return code
    with translation.override("vi"):
        for code, label in choices.choices:
            if fold(str(label)) == wanted:
                return code
    return None


class RepeatFinder:
    """Which keys a streamed file already had, in a fixed bitmap (16 MiB) instead of a set of every key.

    `add` marks a key's bit; a key whose bit was already set is a suspect (a true repeat, or
    another key on the same bit). Suspects are few (tens of thousands for a national year) and
    must wait: `repeats` is given the file's keys once more and tells a repeat, with the row it
    repeats, from a collision. Memory does not grow with the file.
    """

    BITS = 27  # at most: 16 MiB

    def __init__(self, path=None):
        # A small file gets a small map (64 bits a row of ~20 bytes), a large one at most 2**BITS bits.
        rows = Path(path).stat().st_size // 20 if path is not None and Path(path).is_file() else 1 << self.BITS
        self.bits = min(self.BITS, max(16, (rows * 64).bit_length()))
        self.bitmap = bytearray(1 << max(self.bits - 3, 0))
        self.suspects: list[tuple] = []

    def add(self, key, number: int) -> bool:
        """Mark the key; True when it is a suspect, to be written only after `repeats`."""
        bit = ((hash(key) * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF) >> (64 - self.bits)
        byte, mask = bit >> 3, 1 << (bit & 7)
        if self.bitmap[byte] & mask:
            self.suspects.append((key, number))
            return True
        self.bitmap[byte] |= mask
        return False

    def repeats(self, keys) -> list[tuple[int, int, object]]:
        """`(row, first row, key)` for each suspect that repeats an earlier row; `keys` yields `(key, row)`."""
        if not self.suspects:
            return []
        suspects = {key for key, _number in self.suspects}
        first = {}
        for key, number in keys:
            if key in suspects:
                first.setdefault(key, number)
        return [(number, first[key], key) for key, number in self.suspects if first.get(key, number) < number]
