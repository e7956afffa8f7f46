"""Reading CSV and XLSX files row by row, for the import commands.

A file is read as a stream (XLSX in openpyxl's read-only mode, after `cells.uploads` checked
that its parts expand within limits), so a national file of hundreds of thousands of rows
never sits in memory whole. Problems are collected as `RowError`s, each naming the row as a
spreadsheet user sees it (the header is row 1), the column and what is wrong, so that one
run reports them all.

Files as offices really save them are accepted: CSV in UTF-8 with or without the byte-order
mark Excel writes, separated by commas or by semicolons (Excel in a Vietnamese locale), and
dates in the usual unambiguous spellings. A CSV in an old Vietnamese encoding (Windows-1258,
TCVN3, VNI) is recognized and refused with the way to save it as UTF-8. A cell that holds a
NUL or another control character, or an Excel error such as #REF!, is a row error: nothing
of such a file is written.
"""

import codecs
import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cells.params import FIRST_YEAR, LAST_YEAR


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


def outside_scope(code: str, scope) -> str:
    """A row naming an organization outside the importer's subtree: said as of an unknown code,
    so that a file cannot tell whether a unit outside the scope exists, let alone its name."""
    return _(
        "No organization with the code “%(code)s” lies under %(scope)s: you may import only your own "
        "units. Check the code, or remove the row."
    ) % {"code": code, "scope": scope.name}


# Control characters no table cell should hold (tab and line breaks may: a cell can wrap).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!"}
DELIMITERS = (",", ";", "\t")
SNIFF_BYTES = 64 * 1024


def _text(value) -> str:
    """A cell as text: whole numbers without ".0", Excel dates as yyyy-mm-dd."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _cell(number: int, column: str, value, errors: list[RowError]) -> str:
    text = _text(value)
    if CONTROL.search(text):
        character = CONTROL.search(text).group()
        errors.append(
            RowError(
                number,
                column,
                _(
                    "The cell holds a control character (code %(code)s, e.g. a NUL byte) that cannot be stored. "
                    "Retype the value in this cell."
                )
                % {"code": f"U+{ord(character):04X}"},
            )
        )
        return CONTROL.sub("", text)
    if text.upper() in EXCEL_ERRORS:
        errors.append(
            RowError(
                number,
                column,
                _("The cell shows the Excel error %(value)s instead of a value. Correct the formula or type the value.")
                % {"value": text},
            )
        )
        return ""
    return text


def _check_header(header: list, required: tuple[str, ...], optional: tuple[str, ...]) -> list[str]:
    names = [CONTROL.sub("", _text(name)).lstrip("\ufeff").strip().lower() for name in header]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise TabularFileError(
            _("The header row names the column(s) %(columns)s more than once. Keep one column of each name.")
            % {"columns": ", ".join(repeated)}
        )
    missing = [name for name in required if name not in names]
    if missing:
        raise TabularFileError(
            _("The header row lacks the column(s) %(missing)s. Expected columns: %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(required + optional)}
        )
    return names


def _rows(values_rows, names: list[str], errors: list[RowError]) -> Iterator[tuple[int, dict]]:
    for number, values in values_rows:
        if not values or not any(_text(value) for value in values):
            continue
        yield (
            number,
            {name: _cell(number, name, values[i] if i < len(values) else None, errors) for i, name in enumerate(names)},
        )


def _text_rows(values_rows, names: list[str], errors: list[RowError]) -> Iterator[tuple[int, dict]]:
    """`_rows` for a CSV file, whose cells are all text: a row is checked whole, and cell by cell
    only when it holds a control character or an Excel error (a national file has millions of cells)."""
    width = len(names)
    for number, values in values_rows:
        texts = [value.strip() for value in values[:width]]
        if not any(texts):
            if any(value.strip() for value in values[width:]):
                yield number, dict.fromkeys(names, "")  # the row's values lie beyond the named columns
            continue
        if len(texts) < width:
            texts += [""] * (width - len(texts))
        joined = "".join(texts)
        if "#" in joined or CONTROL.search(joined):
            yield number, {name: _cell(number, name, text, errors) for name, text in zip(names, texts, strict=True)}
        else:
            yield number, dict(zip(names, texts, strict=True))


def read_rows(
    path: str | Path, *, required: tuple[str, ...], optional: tuple[str, ...] = (), errors: list[RowError]
) -> Iterator[tuple[int, dict]]:
    """Yield `(row_number, {column: text})` for each non-empty data row of a CSV or XLSX file.

    A cell that cannot be read is reported in `errors` (the row is still yielded, the bad
    characters removed, so that its other problems are found too). Raises TabularFileError
    when the file cannot be read as the expected table.
    """
    path = Path(path)
    if not path.is_file():
        raise TabularFileError(_("File not found: %(path)s") % {"path": path})
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        yield from _read_xlsx(path, required, optional, errors)
    elif suffix in (".csv", ".txt"):
        yield from _read_csv(path, required, optional, errors)
    else:
        raise TabularFileError(
            _("Unsupported file type %(suffix)s: save the table as CSV (UTF-8) or Excel (.xlsx).") % {"suffix": suffix}
        )


# Old Vietnamese encodings. In Windows-1258 the bytes above 127 are letters (with combining
# tone marks); TCVN3 (ABC) puts its precomposed letters on bytes that Windows-1258 reads as
# symbols (©, ª, «, ®, ¸, ...).
def _legacy_encoding(head: bytes) -> str:
    high = "".join(character for character in head.decode("cp1258", errors="replace") if ord(character) > 127)
    letters = sum(1 for character in high if character.isalpha() or "\u0300" <= character <= "\u036f")
    return "Windows-1258" if letters >= 0.8 * len(high) else "TCVN3 (ABC)"


def _not_utf8(head: bytes) -> TabularFileError:
    return TabularFileError(
        _(
            "The file is not UTF-8 text: it looks saved in an old Vietnamese encoding (%(encoding)s). "
            "Open it in Excel and choose “Save as” › “CSV UTF-8 (Comma delimited)”, or upload the .xlsx file. "
            "For a TCVN3 or VNI file, first convert it to Unicode with Unikey's converter (Ctrl+Shift+F6)."
        )
        % {"encoding": _legacy_encoding(head)}
    )


def _delimiter(head: str) -> str:
    """The separator of the header line: Excel in a Vietnamese locale writes semicolons."""
    first_line = head.splitlines()[0] if head else ""
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[","] else ","


def _read_csv(path, required, optional, errors):
    with open(path, "rb") as raw:
        head = raw.read(SNIFF_BYTES)
        try:
            # A multi-byte character cut by the end of the sample is not an error.
            sample = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        except UnicodeDecodeError:
            raise _not_utf8(head) from None
        raw.seek(0)
        # utf-8-sig accepts the byte-order mark that Excel writes in front of "CSV UTF-8" files.
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            reader = csv.reader(text, delimiter=_delimiter(sample))
            header = next(reader, None)
            if not header or not any(name.strip() for name in header):
                raise TabularFileError(_("The file is empty: the first row must name the columns."))
            names = _check_header(header, required, optional)
            yield from _text_rows(enumerate(reader, start=2), names, errors)
        except UnicodeDecodeError:
            raise _not_utf8(head) from None
        except csv.Error as exc:
            raise TabularFileError(_("The file is not valid CSV: %(error)s") % {"error": exc}) from exc


def _read_xlsx(path, required, optional, errors):
    from openpyxl import load_workbook

    from cells.uploads import check_workbook

    try:
        check_workbook(path)
    except ValidationError as exc:
        raise TabularFileError(" ".join(exc.messages)) from exc
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or mislabelled file
        raise TabularFileError(_("The file is not a readable Excel (.xlsx) workbook.")) from exc
    try:
        if not workbook.worksheets:
            raise TabularFileError(
                _("The workbook has no worksheet. Put the table on the first sheet and save it again.")
            )
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header or not any(_text(name) for name in header):
            raise TabularFileError(_("The file is empty: the first row must name the columns."))
        names = _check_header(list(header), required, optional)
        yield from _rows(enumerate(rows, start=2), names, errors)
    except TabularFileError:
        raise
    except Exception as exc:  # a part damaged after the first rows
        raise TabularFileError(_("The file is not a readable Excel (.xlsx) workbook.")) from exc
    finally:
        workbook.close()


# Dates as people type them. Day before month, as Vietnamese write them; a year of four digits.
DATE_PATTERNS = (
    (re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})"), ("day", None, "month", "year")),
    (re.compile(r"([0-9]{4})([/.-])([0-9]{1,2})\2([0-9]{1,2})"), ("year", None, "month", "day")),
    # An Excel date cell read as text (midnight, or a time of day that the date ignores).
    (re.compile(r"([0-9]{4})(-)([0-9]{2})-([0-9]{2})[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"),
     ("year", None, "month", "day")),
    (re.compile(r"ngày\s*([0-9]{1,2})(\s+)tháng\s*([0-9]{1,2})\s+năm\s*([0-9]{4})", re.IGNORECASE),
     ("day", None, "month", "year")),
)  # fmt: skip


def parse_date(text: str) -> datetime.date | None:
    """A date written dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd, yyyy/mm/dd,
    "ngày 5 tháng 3 năm 2018", or an Excel date cell; None for anything else (two-digit
    years, month names, impossible days), which the importers report as a row error."""
    text = " ".join(str(text or "").split())
    for pattern, fields in DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = {name: int(value) for name, value in zip(fields, match.groups(), strict=True) if name}
        if not FIRST_YEAR <= parts["year"] <= LAST_YEAR:
            return None
        try:
            return datetime.date(parts["year"], parts["month"], parts["day"])
        except ValueError:
            return None
    return None


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
