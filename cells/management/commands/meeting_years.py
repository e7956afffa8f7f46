from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cells.meeting_years import meeting_years_differences, meeting_years_rebuild


class Command(BaseCommand):
    help = (
        "Recount every cell's meetings of YEAR into the meeting summary (cells.MeetingYear), which the "
        "compliance page, its reports and the candidate job read. Every write of meetings keeps it up to date; "
        "this repairs it after a write outside the application (a COPY, a restore). --check only compares."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--check", action="store_true", help="compare the summary with the meetings, write nothing")

    def handle(self, *args, year, check=False, **options):
        if check:
            differences = meeting_years_differences(year=year)
            for cell, stored, recounted in differences[:50]:
                self.stdout.write(f"{cell}: {stored} ≠ {recounted}")
            if differences:
                raise CommandError(
                    _("%(n)s cells' meetings of %(year)s are not counted right: run meeting_years %(year)s.")
                    % {"n": len(differences), "year": year}
                )
            self.stdout.write(_("The meeting summary of %(year)s matches the meetings.") % {"year": year})
            return
        meeting_years_rebuild(year=year)
        self.stdout.write(_("The meetings of %(year)s were counted again.") % {"year": year})
