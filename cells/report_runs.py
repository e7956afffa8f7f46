"""Reports and exports that grow with the data, written by a background run (kind `report`).

A page posts what it wants; `report_run_start` records the run (params: which report, its format,
what it needs, the reader's language) and queues it. The worker's task (`cells.tasks.report_run`)
calls `report_run_work`, which finds the report's builder in VANLANG_REPORT_BUILDERS (a name →
a dotted path, so `cells` imports no other app), writes the file under MEDIA_ROOT/reports and
records it as a `ReportFile` (an audited row). The run's page (`cells:report_run`) follows the
run and offers the file; the download (`cells:report_download`) is scoped like every view.
Old files go daily (`report_files_forget`, django-celery-beat, see migration 0015).
"""

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cells.models import ReportFile, Run
from cells.runs import RunFailed, run_progress, run_start

Progress = Callable[[int, str], None]
CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
}


@dataclass(frozen=True)
class ReportOutput:
    """What a builder wrote: the name the reader downloads it as, its bytes, how many rows it lists."""

    name: str
    content: bytes
    rows: int | None = None


def report_run_start(*, report: str, scope, user, title: str, back_url: str, year: int | None = None, **params) -> Run:
    """Record and queue a report run; `title` names it on its page, `back_url` leads back to where it was asked."""
    params = {
        "report": report,
        "title": str(title),
        "back_url": back_url,
        "language": translation.get_language() or settings.LANGUAGE_CODE,
        **params,
    }
    return run_start(kind=Run.Kind.REPORT, scope=scope, year=year, user=user, params=params)


def _builder(name: str) -> Callable[[Run, Progress], ReportOutput]:
    dotted = getattr(settings, "VANLANG_REPORT_BUILDERS", {}).get(name)
    if not dotted:
        raise RunFailed(_("This report does not exist any more. Ask for it again from its page."))
    return import_string(dotted)


def report_run_work(run: Run) -> dict:
    """Write the run's file; a run taken over after its file was saved keeps that file."""
    existing = ReportFile.objects.filter(run=run).first()
    if existing is not None:
        return {"rows": existing.rows, "bytes": existing.size}
    build = _builder(run.params.get("report", ""))
    with translation.override(run.params.get("language") or settings.LANGUAGE_CODE):
        output = build(run, lambda percent, step: run_progress(run=run, progress=percent, step=step))
        run_progress(run=run, progress=96, step=_("Saving the file"))
    suffix = PurePath(output.name).suffix.lower()
    report = ReportFile(run=run, organization=run.scope, name=output.name, size=len(output.content), rows=output.rows)
    # A random part: the stored name says nothing a guess could use (the download is scoped anyway).
    report.file.save(f"{run.pk}-{secrets.token_urlsafe(9)}{suffix}", ContentFile(output.content), save=False)
    report.save()
    return {"rows": output.rows, "bytes": report.size}


def rows_progress(progress: Progress, *, total: int, step: str, start: int = 10, end: int = 95):
    """A writer's `on_rows(n)` that moves the run's bar from `start` to `end` percent as rows are written."""

    def on_rows(written: int) -> None:
        progress(start + (end - start) * min(written, total) // max(total, 1), step)

    return on_rows


def content_type(report: ReportFile) -> str:
    return CONTENT_TYPES.get(PurePath(report.name).suffix.lower(), "application/octet-stream")


def report_files_forget(*, now: datetime.datetime | None = None) -> int:
    """Delete the files older than VANLANG_REPORT_FILES_KEEP_DAYS, each with its audited row; returns how many."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=int(getattr(settings, "VANLANG_REPORT_FILES_KEEP_DAYS", 7)))
    forgotten = 0
    for report in ReportFile.objects.filter(created_at__lt=before).select_related("organization"):
        report.file.storage.delete(report.file.name)
        report.delete()  # one at a time: each leaves its change-log entry (signals)
        forgotten += 1
    return forgotten
