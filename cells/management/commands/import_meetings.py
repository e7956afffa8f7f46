from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cells.audit import AuditedCommand
from cells.meeting_import import meetings_import
from cells.models import Run
from cells.runs import run_command
from cells.tabular import TabularFileError


class Command(AuditedCommand):
    help = (
        "Import cell meeting records from a CSV or XLSX file with the columns "
        "cell_code,date,kind,members_total,members_present[,duration_minutes,topic]. "
        "All or nothing: any invalid row rejects the file (exit status 1). "
        "Importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report; write nothing")

    def handle(self, *args, file, dry_run=False, **options):
        try:
            if dry_run:
                result = meetings_import(path=file, dry_run=True)
            else:
                _run, result = run_command(
                    kind=Run.Kind.IMPORT_MEETINGS,
                    params={"file": str(file)},
                    call=lambda: meetings_import(path=file),
                    counts=lambda result: {
                        "created": result.created,
                        "updated": result.updated,
                        "unchanged": result.unchanged,
                    },
                    errors=lambda result: result.errors,
                )
        except TabularFileError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(count)s problem(s) found; nothing was imported. Correct the file and run the command again.")
                % {"count": len(result.errors)},
                returncode=1,
            )
        summary = _("%(created)s meeting(s) added, %(updated)s updated, %(unchanged)s unchanged.") % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if dry_run:
            summary = _("Dry run, nothing written: %(summary)s") % {"summary": summary}
        self.stdout.write(summary)
