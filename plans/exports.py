"""The candidates of a year as an Excel workbook, through the shared writer (cells.workbooks)."""

from django.utils.translation import gettext as _

from cells.workbooks import Column, WorkbookWriter


def candidates_workbook(*, candidates, history, year: int, scope) -> bytes:
    columns = [
        Column(_("Code"), 16),
        Column(_("Organization"), 36),
        Column(_("Sector"), 16),
        Column(_("Level"), 20),
        Column(_("Label as written"), 28),
        Column(_("Reasons"), 60, wrap=True),
        Column(_("Level history"), 40, wrap=True),
        Column(_("Status"), 14),
        Column(_("Reason for withdrawal"), 30, wrap=True),
        Column(_("Decision"), 22),
    ]
    rows = (
        [
            candidate.organization.code,
            candidate.organization.name,
            candidate.organization.get_sector_display(),
            candidate.get_level_display() if candidate.level else "",
            candidate.classification.label if candidate.classification_id else "",
            "\n".join(candidate.reasons),
            "; ".join(f"{result.year}: {result.label}" for result in history.get(candidate.organization_id, [])),
            candidate.get_status_display(),
            candidate.withdrawn_reason,
            candidate.get_decision_display(),
        ]
        for candidate in candidates
    )
    writer = WorkbookWriter()
    writer.add_table(
        sheet=_("Candidates %(year)s") % {"year": year},
        title=_("Consolidation candidates for %(year)s: %(scope)s") % {"year": year, "scope": scope.name},
        columns=columns,
        rows=rows,
    )
    return writer.content()
