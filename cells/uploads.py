"""Every uploaded file is checked here, by its size and its content, never by its name or the browser's word.

- Scans of minutes (`check_scan`): PDF, JPEG or PNG, recognized by their first bytes (their
  "magic number"): a PDF starts with "%PDF-", a JPEG with FF D8 FF, a PNG with its fixed
  8-byte signature.
- Attachments of progress reports (`check_attachment`): documents and photos, the type the
  browser declares confirmed by the first bytes.
- Tables to import (`check_table`): CSV or XLSX. A workbook is a zip archive whose parts
  openpyxl expands in memory: `check_workbook` reads the archive's directory first and
  refuses a part that would expand beyond a limit or too steeply (a "zip bomb": 290 KB that
  expand to 300 MB), too many parts, no worksheet or an empty first sheet, before openpyxl
  opens anything.

Every upload is bounded by `VANLANG_MAX_UPLOAD_MB` (the middleware refuses a larger request
before reading it); scans and attachments have smaller limits of their own.
"""

import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ScanKind:
    name: str
    extension: str
    content_type: str
    magic: bytes
    name_extensions: tuple[str, ...]


SCAN_KINDS = (
    ScanKind("PDF", "pdf", "application/pdf", b"%PDF-", ("pdf",)),
    ScanKind("JPEG", "jpg", "image/jpeg", b"\xff\xd8\xff", ("jpg", "jpeg", "jfif")),
    ScanKind("PNG", "png", "image/png", b"\x89PNG\r\n\x1a\n", ("png",)),
)
CONTENT_TYPES = {kind.extension: kind.content_type for kind in SCAN_KINDS}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MB = 1024 * 1024

# Progress report attachments: documents and photos, checked by their first bytes too.
ATTACHMENT_TYPES = {
    "application/pdf": (b"%PDF",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "application/msword": (b"\xd0\xcf\x11\xe0",),
}
ATTACHMENT_MAX_BYTES = 5 * MB
TABLE_SUFFIXES = (".csv", ".xlsx")

# A workbook's parts. Real ones compress 5 to 20 times; a national file of 336,000 rows has a
# sheet of about 110 MB and shared strings of about 15 MB.
WORKBOOK_MAX_PARTS = 500
WORKBOOK_MAX_RATIO = 100  # for parts over 1 MB once expanded
SHARED_STRINGS_MAX_BYTES = 48 * MB  # openpyxl keeps the whole table in memory
SMALL_PART_BYTES = 1 * MB


def max_upload_bytes() -> int:
    return int(getattr(settings, "VANLANG_MAX_UPLOAD_MB", 100)) * MB


def max_workbook_expanded_bytes() -> int:
    return int(getattr(settings, "VANLANG_MAX_WORKBOOK_EXPANDED_MB", 256)) * MB


def max_scan_bytes() -> int:
    return min(getattr(settings, "VANLANG_MINUTES_MAX_BYTES", DEFAULT_MAX_BYTES), max_upload_bytes())


def check_size(upload, limit: int, advice: str) -> None:
    """Refuse an upload over `limit` bytes, saying how large it is and what to do (`advice`)."""
    if upload.size > limit:
        too_large = _("The file is %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(upload.size),
            "limit": filesizeformat(limit),
        }
        raise ValidationError(f"{too_large} {advice}", code="too_large")


def sniff(head: bytes) -> ScanKind | None:
    return next((kind for kind in SCAN_KINDS if head.startswith(kind.magic)), None)


def check_scan(upload) -> ScanKind:
    """The kind of an uploaded scan, or a ValidationError saying what is wrong and what to do."""
    check_size(upload, max_scan_bytes(), _("Scan at a lower resolution or save a smaller PDF."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind is None:
        raise ValidationError(
            _(
                "The content of “%(name)s” is not a PDF, JPEG or PNG file. "
                "Scan or photograph the minutes and save them as PDF, JPEG or PNG."
            )
            % {"name": upload.name},
            code="bad_content",
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in kind.name_extensions:
        raise ValidationError(
            _(
                "The name “%(name)s” does not match its content, which is %(kind)s. "
                "Choose the right file, or save it again as .%(extension)s."
            )
            % {"name": upload.name, "kind": kind.name, "extension": kind.extension},
            code="name_mismatch",
        )
    return kind


def check_attachment(upload) -> str:
    """The content type of a progress report's attachment, or a ValidationError."""
    check_size(upload, min(ATTACHMENT_MAX_BYTES, max_upload_bytes()), _("Attach a smaller or compressed file."))
    declared = (upload.content_type or "").split(";")[0].strip().lower()
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    signatures = ATTACHMENT_TYPES.get(declared)
    if not signatures or not any(head.startswith(s) for s in signatures):
        raise ValidationError(
            _("This kind of file cannot be attached: use a PDF, Word, Excel, JPEG or PNG file."), code="bad_content"
        )
    if declared == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
        check_workbook(upload)
    return declared


def check_table(upload) -> None:
    """A CSV or XLSX file to import: its name, its size and, for a workbook, its parts."""
    name = upload.name.lower()
    if not name.endswith(TABLE_SUFFIXES):
        raise ValidationError(
            _(
                "Only .csv and .xlsx files can be imported. In Excel choose “Save as” › “CSV UTF-8” "
                "or “Excel Workbook”."
            ),
            code="bad_type",
        )
    check_size(upload, max_upload_bytes(), _("Split it into several files and import them one by one."))
    if name.endswith(".xlsx"):
        check_workbook(upload)


def _refused(message) -> ValidationError:
    return ValidationError(message, code="bad_workbook")


def check_workbook(source) -> None:
    """Refuse a workbook that openpyxl should not open: a zip bomb, no worksheet, an empty first sheet.

    `source` is a path or an open file (an upload). Only the archive's directory and a few
    small parts are read, so this takes milliseconds and little memory whatever the file claims.
    """
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            _check_parts(archive)
            _check_first_sheet(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError, ElementTree.ParseError) as exc:
        raise _refused(
            _("The file is not a readable Excel (.xlsx) workbook. Open it in Excel and save it again as .xlsx.")
        ) from exc
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def _check_parts(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    if len(parts) > WORKBOOK_MAX_PARTS:
        raise _refused(
            _("The workbook has %(count)s parts; at most %(limit)s are allowed. Save it again as a simple .xlsx file.")
            % {"count": len(parts), "limit": WORKBOOK_MAX_PARTS}
        )
    limit, total = max_workbook_expanded_bytes(), 0
    for part in parts:
        total += part.file_size
        steep = part.file_size > SMALL_PART_BYTES and part.file_size > WORKBOOK_MAX_RATIO * max(part.compress_size, 1)
        too_many_strings = part.filename.lower() == "xl/sharedstrings.xml" and part.file_size > SHARED_STRINGS_MAX_BYTES
        if part.file_size > limit or total > limit or steep or too_many_strings:
            raise _refused(
                _(
                    "The workbook would expand to more than the server accepts (%(part)s: %(size)s). "
                    "Save the table as CSV UTF-8, or split it into several files."
                )
                % {"part": part.filename, "size": filesizeformat(part.file_size)}
            )


def _small_part(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > SMALL_PART_BYTES:
        raise KeyError(name)
    return archive.read(info)


RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _first_sheet_part(archive: zipfile.ZipFile) -> str | None:
    """The archive part of the first worksheet, as openpyxl would take it; None without one."""
    workbook = ElementTree.fromstring(_small_part(archive, "xl/workbook.xml"))
    sheets = [element for element in workbook.iter() if element.tag.rsplit("}", 1)[-1] == "sheet"]
    if not sheets:
        return None
    relations = ElementTree.fromstring(_small_part(archive, "xl/_rels/workbook.xml.rels"))
    targets = {element.get("Id"): element.get("Target", "") for element in relations}
    target = targets.get(sheets[0].get(RELATIONSHIP), "")
    name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return name if name in archive.namelist() else None


def _check_first_sheet(archive: zipfile.ZipFile) -> None:
    """The first worksheet must exist and hold a cell."""
    name = _first_sheet_part(archive)
    if name is None:
        raise _refused(_("The workbook has no worksheet. Put the table on the first sheet and save it again."))
    with archive.open(name) as sheet:
        head = sheet.read(256 * 1024)
    if not re.search(rb"<(?:\w+:)?c[\s>/]", head):
        raise _refused(
            _(
                "The first sheet of the workbook is empty. Put the table on the first sheet, "
                "its first row naming the columns."
            )
        )


DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]+\d+(?::[A-Z]+(\d+))?\"")


def table_rows_estimate(path) -> int | None:
    """About how many rows a checked table file holds, read cheaply, for a progress bar.

    A CSV's line breaks are counted a megabyte at a time; a workbook says its extent in the
    first bytes of its sheet (`<dimension ref="A1:E336001">`). None when it cannot tell.
    """
    try:
        if str(path).lower().endswith(".xlsx"):
            with zipfile.ZipFile(path) as archive:
                name = _first_sheet_part(archive)
                if name is None:
                    return None
                with archive.open(name) as sheet:
                    match = DIMENSION.search(sheet.read(4096))
            return int(match.group(1) or 1) if match else None
        lines = 0
        with open(path, "rb") as handle:
            while block := handle.read(MB):
                lines += block.count(b"\n")
        return lines
    except (zipfile.BadZipFile, OSError, KeyError, ElementTree.ParseError):
        return None
