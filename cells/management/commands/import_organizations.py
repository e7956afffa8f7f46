from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cells.audit import AuditedCommand
from cells.importing import organizations_import
from cells.models import Run
from cells.runs import run_command


class Command(AuditedCommand):
    help = (
        "Import organizations from a CSV (UTF-8) or XLSX file with the columns code, name, kind, parent_code "
        "and optionally sector. All or nothing: any invalid row rejects the whole file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, write nothing")

    def handle(self, *args, file, dry_run=False, **options):
        if dry_run:
            result = organizations_import(path=file, dry_run=True)
        else:
            _run, result = run_command(
                kind=Run.Kind.IMPORT_ORGANIZATIONS,
                params={"file": str(file)},
                call=lambda: organizations_import(path=file),
                counts=lambda result: {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
                errors=lambda result: result.errors,
            )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("The file was not imported: %(count)s problem(s) found. Nothing was changed.")
                % {"count": len(result.errors)}
            )
        counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        if dry_run:
            for change in result.changes:
                self.stdout.write(self._describe(change))
            hidden = result.created + result.updated - len(result.changes)
            if hidden > 0:
                self.stdout.write(_("… and %(count)s more changes.") % {"count": hidden})
            self.stdout.write(
                _(
                    "Dry run, nothing was written. Would create %(created)s, update %(updated)s and leave "
                    "%(unchanged)s unchanged."
                )
                % counts
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s.") % counts)
            )

    @staticmethod
    def _describe(change) -> str:
        if change.created:
            return _("Row %(row)s: create %(code)s (%(name)s)") % {
                "row": change.row,
                "code": change.code,
                "name": change.name,
            }
        fields = "; ".join(f"{column}: {before or '-'} → {after or '-'}" for column, before, after in change.fields)
        values = {"row": change.row, "code": change.code, "fields": fields}
        return _("Row %(row)s: update %(code)s: %(fields)s") % values
