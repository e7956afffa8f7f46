from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from assessments.imports import classifications_import
from cells.audit import AuditedCommand
from cells.models import Run
from cells.runs import run_command
from cells.tabular import TabularFileError


class Command(AuditedCommand):
    help = (
        "Import yearly classifications from a CSV or XLSX file with the columns code, year, level and optional "
        "score, note, reason. Any invalid row rejects the whole file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report, writing nothing.")

    def handle(self, *args, **options):
        try:
            if options["dry_run"]:
                report = classifications_import(path=options["file"], dry_run=True)
            else:
                # Final results queue the candidate job: with the queue down its run stays queued
                # (the sweep sends it when the queue is back) and the import still succeeds.
                _run, report = run_command(
                    kind=Run.Kind.IMPORT_CLASSIFICATIONS,
                    params={"file": str(options["file"])},
                    call=lambda: classifications_import(path=options["file"]),
                    counts=lambda report: {
                        "rows": report.rows,
                        "created": report.written.created,
                        "updated": report.written.updated,
                        "unchanged": report.written.unchanged,
                    },
                    errors=lambda report: report.errors,
                )
        except TabularFileError as exc:
            raise CommandError(str(exc)) from exc
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(_("Warning: %(problem)s") % {"problem": warning}))
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(count)s problem(s) found; nothing was imported. Correct the file and run the command again.")
                % {"count": len(report.errors)}
            )
        written = report.written
        summary = _("%(rows)s row(s): %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % {
            "rows": report.rows,
            "created": written.created,
            "updated": written.updated,
            "unchanged": written.unchanged,
        }
        if options["dry_run"]:
            summary = _("Dry run, nothing written. %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
