"""The classification import of the web page, as a background run over the uploaded file
(its preview and its import share `cells.import_uploads.upload_import_work`)."""

from django.utils.translation import gettext as _

from assessments.imports import classifications_import
from cells.import_uploads import Outcome, rows_progress, upload_import_work
from cells.models import Run
from cells.tabular import RowError


def _classifications(*, path, dry_run, scope, actor, remote_addr, progress) -> Outcome:
    report = classifications_import(
        path=path, dry_run=dry_run, user=actor, scope=scope, progress=rows_progress(path, progress)
    )
    if report.errors:
        return Outcome(errors=report.errors)
    if report.written is None:
        return Outcome(
            errors=[RowError(0, "", _("The file has a header row but no results. Add one row per unit and year."))]
        )
    written = report.written
    counts = {"rows": report.rows, "created": written.created, "updated": written.updated}
    return Outcome(counts={**counts, "unchanged": written.unchanged, "warnings": len(report.warnings)})


def classifications_import_work(run: Run) -> dict:
    """A classification file previewed or confirmed on the import page; results become final."""
    return upload_import_work(run, _classifications)
