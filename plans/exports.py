"""Excel workbooks of the plans app: the candidates of a year and the four reports, all written
through the shared writer (cells.workbooks): title row, widths, frozen header, filter."""

from django.utils.translation import gettext as _

from assessments.queries import percent
from assessments.rules import level_label
from cells.exports import (
    cell_compliance_columns,
    cell_compliance_rows,
    grassroots_compliance_columns,
    grassroots_compliance_rows,
)
from cells.models import Organization
from cells.workbooks import Column, WorkbookWriter


def candidates_workbook(*, candidates, history, year: int, scope, on_rows=None) -> bytes:
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
    writer = WorkbookWriter(on_rows=on_rows)
    writer.add_table(
        sheet=_("Candidates %(year)s") % {"year": year},
        title=_("Consolidation candidates for %(year)s: %(scope)s") % {"year": year, "scope": scope.name},
        columns=columns,
        rows=rows,
    )
    return writer.content()


# ---- The four reports of a scope and a year (plans.queries.reports) ----


def _title(name, report) -> str:
    return _("%(report)s in %(year)s: %(scope)s") % {"report": name, "year": report.year, "scope": report.scope.name}


def _figures_table(writer: WorkbookWriter, report, name, figures: list[tuple]):
    """A sheet of the report's headline figures: (what, number, share in percent or None)."""
    writer.add_table(
        sheet=_("Summary"),
        title=_title(name, report),
        columns=[Column(_("Figure"), 44), Column(_("Number"), 12), Column(_("Share"), 12, percent=True)],
        rows=figures,
    )


def classification_workbook(report, on_rows=None) -> bytes:
    name = _("Classification of grassroots party organizations")
    summary = report.summary
    writer = WorkbookWriter(on_rows=on_rows)
    figures = [(level["label"], level["count"], level["share"]) for level in report.levels]
    figures += [
        (_("Classified (final results)"), summary["total"], None),
        (_("Good or above"), summary["good_or_above"], summary["good_or_above_percent"]),
    ]
    _figures_table(writer, report, name, figures)
    writer.add_table(
        sheet=_("By sector"),
        title=_title(name, report),
        columns=[
            Column(_("Sector"), 24),
            *[Column(level["label"], 16) for level in report.levels],
            Column(_("Total"), 10),
            Column(_("Good or above"), 14),
            Column(_("Share"), 12, percent=True),
        ],
        rows=(
            [sector["label"], *sector["by_level"], sector["total"], sector["good_or_above"], sector["percent"]]
            for sector in report.sectors
        ),
    )
    sectors = dict(Organization.Sector.choices)
    writer.add_table(
        sheet=_("List"),
        title=_title(name, report),
        columns=[
            Column(_("Code"), 18),
            Column(_("Organization"), 40),
            Column(_("Under"), 30),
            Column(_("Sector"), 16),
            Column(_("Level"), 30),
            Column(_("Score"), 10),
        ],
        rows=(
            [
                row["code"],
                row["name"],
                row["parent__name"],
                sectors.get(row["sector"], ""),
                row["label"] or level_label(row["level"], report.year) or _("No final result"),
                row["score"],
            ]
            for row in report.rows.iterator()
        ),
    )
    return writer.content()


def consolidation_workbook(report, on_rows=None) -> bytes:
    name = _("Consolidation of grassroots party organizations")
    writer = WorkbookWriter(on_rows=on_rows)
    _figures_table(
        writer,
        report,
        name,
        [
            (_("Candidates"), report.candidates, None),
            (_("Selected for consolidation"), report.selected, None),
            (_("Not selected"), report.not_selected, None),
            (_("Not decided"), report.pending, None),
            (_("Plans"), report.plans, None),
            (_("Plans whose outcome is known"), report.measured, None),
            (_("Improved"), report.improved, report.improved_percent),
        ],
    )
    writer.add_table(
        sheet=_("Candidates"),
        title=_title(name, report),
        columns=[
            Column(_("Code"), 18),
            Column(_("Organization"), 36),
            Column(_("Level that triggered it"), 20),
            Column(_("Reasons"), 50, wrap=True),
            Column(_("Decision"), 24),
            Column(_("Decision number"), 18),
            Column(_("Decision date"), 14, date=True),
            Column(_("Plan"), 16),
            Column(_("Plan state"), 14),
            Column(_("Level in the year"), 20),
            Column(_("Outcome"), 14),
        ],
        rows=(
            [
                row.candidate.organization.code,
                row.candidate.organization.name,
                row.level_before_label,
                "\n".join(row.candidate.reasons),
                row.candidate.get_decision_display(),
                row.candidate.decision_number,
                row.candidate.decision_date,
                row.plan.number if row.plan else "",
                row.plan.get_state_display() if row.plan else "",
                row.level_after_label,
                row.outcome_label,
            ]
            for row in report.rows
        ),
    )
    return writer.content()


def meeting_workbook(report, on_rows=None) -> bytes:
    name = _("Cell meetings")
    summary = report.summary
    writer = WorkbookWriter(on_rows=on_rows)
    if report.per_cell:
        figures = [
            (_("Cells"), summary["units"], None),
            (_("Cells with meeting records"), summary["recorded"], None),
            (_("Cells that met regularly"), summary["regular"], percent(summary["regular"], summary["recorded"])),
            (_("Cells under 10"), summary["low"], None),
            (_("Meetings recorded"), summary["meetings"], None),
        ]
        columns, rows = cell_compliance_columns(), cell_compliance_rows(report.rows)
    else:
        figures = [
            (_("Grassroots organizations"), summary["units"], None),
            (_("Grassroots organizations with meeting records"), summary["recorded"], None),
            (_("Their cells"), summary["cells"], None),
            (_("Cells that met regularly"), summary["regular"], percent(summary["regular"], summary["cells"])),
            (_("Cells under 10"), summary["low"], None),
            (_("Meetings recorded"), summary["meetings"], None),
        ]
        columns, rows = grassroots_compliance_columns(), grassroots_compliance_rows(report.rows)
    _figures_table(writer, report, name, figures)
    writer.add_table(sheet=_("List"), title=_title(name, report), columns=columns, rows=rows)
    return writer.content()


def admission_workbook(report, on_rows=None) -> bytes:
    name = _("Party development")
    summary = report.summary
    writer = WorkbookWriter(on_rows=on_rows)
    _figures_table(
        writer,
        report,
        name,
        [
            (_("Units"), summary["units"], None),
            (_("Units with a quota"), summary["with_quota"], None),
            (_("Admission quota"), summary["quota_total"], None),
            (_("Members admitted"), summary["admitted_total"], summary["percent"]),
            (_("Units that met their quota"), summary["quota_met"], None),
            (_("Units without an admission"), summary["none_admitted"], None),
        ],
    )
    writer.add_table(
        sheet=_("List"),
        title=_title(name, report),
        columns=[
            Column(_("Code"), 18),
            Column(_("Unit"), 40),
            Column(_("Under"), 30),
            Column(_("Admission quota"), 12),
            Column(_("Members admitted"), 12),
            Column(_("Last admission"), 14, date=True),
        ],
        rows=(
            [row["code"], row["name"], row["parent__name"], row["quota"], row["admitted"], row["last_admission"]]
            for row in report.rows.iterator()
        ),
    )
    return writer.content()
