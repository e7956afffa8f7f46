"""Checking an uploaded scan by its content, never by its name or the browser's word.

Three kinds are accepted, each recognized by its first bytes (its "magic number"): a PDF
starts with "%PDF-", a JPEG with FF D8 FF, a PNG with its fixed 8-byte signature.
"""

from dataclasses import dataclass

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


def max_scan_bytes() -> int:
    return getattr(settings, "VANLANG_MINUTES_MAX_BYTES", DEFAULT_MAX_BYTES)


def sniff(head: bytes) -> ScanKind | None:
    return next((kind for kind in SCAN_KINDS if head.startswith(kind.magic)), None)


def check_scan(upload) -> ScanKind:
    """The kind of an uploaded scan, or a ValidationError saying what is wrong and what to do."""
    limit = max_scan_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Scan at a lower resolution or save a smaller PDF.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
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
