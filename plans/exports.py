"""The candidates of a year as an Excel workbook, written as a stream (openpyxl write-only)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from cells.exports import append_row


def candidates_workbook(*, candidates, history, year: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Candidates %(year)s") % {"year": year})
    header = [
        _("Code"),
        _("Organization"),
        _("Sector"),
        _("Level"),
        _("Label as written"),
        _("Reasons"),
        _("Level history"),
        _("Status"),
        _("Reason for withdrawal"),
        _("Decision"),
    ]
    append_row(sheet, header)
    for candidate in candidates:
        organization = candidate.organization
        past = "; ".join(f"{result.year}: {result.label}" for result in history.get(organization.pk, []))
        append_row(
            sheet,
            [
                organization.code,
                organization.name,
                organization.get_sector_display(),
                candidate.get_level_display() if candidate.level else "",
                candidate.classification.label if candidate.classification_id else "",
                "\n".join(candidate.reasons),
                past,
                candidate.get_status_display(),
                candidate.withdrawn_reason,
                candidate.get_decision_display(),
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
