"""Reports written by a background run: the run's page (progress, then the file) and the download.

The pages that offer a report post to themselves and call `ReportRunMixin.report_start`; both
views here read the run through ScopedMixin, so another unit's user gets 404 for a run or a file.
"""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView, View

from cells.access import Perm, ScopedMixin
from cells.models import ReportFile, Run
from cells.report_runs import content_type, report_run_start
from cells.runs import QUEUE_DOWN


def report_start(request, *, report: str, scope, title: str, year: int | None = None, back_url: str = "", **params):
    """Record the report run asked for by `request` and answer with its page; `back_url`: the page the
    run's page leads back to, by default the address posted to."""
    run = report_run_start(
        report=report,
        scope=scope,
        year=year,
        user=request.user,
        title=title,
        back_url=back_url or request.get_full_path(),
        **params,
    )
    run.refresh_from_db()
    if run.waiting_for_queue:
        messages.warning(request, QUEUE_DOWN)
    return redirect("cells:report_run", report_run_id=run.pk)


class ReportRunMixin:
    """For a ScopedMixin view whose POST asks for a report: record the run and follow it on its page."""

    def report_start(self, **kwargs):
        return report_start(self.request, **kwargs)


def _report_run(view, run_id) -> Run:
    return view.get_scoped_or_404(Run.objects.filter(kind=Run.Kind.REPORT).select_related("scope"), pk=run_id)


class ReportRunView(ScopedMixin, TemplateView):
    """A report being written: its progress bar, then its file; the page survives a reload."""

    permission = Perm.VIEW
    template_name = "cells/report_run.html"

    def get_context_data(self, **kwargs):
        run = _report_run(self, self.kwargs["report_run_id"])
        report = ReportFile.objects.filter(run=run).first() if run.state == Run.State.DONE else None
        back_url = run.params.get("back_url", "")
        if not url_has_allowed_host_and_scheme(back_url, allowed_hosts=None):
            back_url = ""
        return super().get_context_data(
            run=run,
            report=report,
            title=run.params.get("title", ""),
            back_url=back_url,
            keep_days=settings.VANLANG_REPORT_FILES_KEEP_DAYS,
            **kwargs,
        )


class ReportDownloadView(ScopedMixin, View):
    """The file a report run wrote, only through this scoped view (MEDIA_ROOT has no public address)."""

    permission = Perm.VIEW

    def get(self, request, report_run_id):
        report = self.get_scoped_or_404(ReportFile.objects.select_related("run"), run_id=report_run_id)
        if not report.file.storage.exists(report.file.name):
            raise Http404
        response = FileResponse(
            report.file.open("rb"), as_attachment=True, filename=report.name, content_type=content_type(report)
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
