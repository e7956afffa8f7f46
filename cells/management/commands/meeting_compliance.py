from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cells.compliance import cell_compliance, with_meeting_counts
from cells.json_lists import json_list_write
from cells.models import PATH_SEPARATOR, Organization


class Command(BaseCommand):
    help = (
        "Regular and themed meetings of every cell in scope for YEAR (combined meetings count in both), "
        "cells without a meeting included. --json prints a list sorted by code of "
        '{"code", "regular_meetings", "themed_meetings"}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--org", help="the code of the organization whose subtree to report (default: all)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args, year, org=None, **options):
        if org:
            organization = Organization.objects.filter(code=org).first()
            if organization is None:
                raise CommandError(_("No organization has the code “%(code)s”.") % {"code": org})
        else:
            organization = Organization(path=PATH_SEPARATOR)  # the root of every tree
        if options["json"]:
            self._json(organization, year)
            return
        cells = cell_compliance(organization=organization, year=year)
        for cell in cells:
            self.stdout.write(
                f"{cell.code:<28} {cell.regular:>3}/{cell.expected_regular:<3} {cell.themed:>3}  {cell.name}"
            )
        regular = sum(1 for cell in cells if cell.met_regularly)
        self.stdout.write(_("%(n)s/%(total)s cells met regularly") % {"n": regular, "total": len(cells)})

    def _json(self, organization, year):
        """Three values per cell, not a CellCompliance object each: a national year is 290,000 cells."""
        cells = with_meeting_counts(Organization.objects.cells().within(organization).active_in(year), year)
        rows = cells.order_by("code").values_list("code", "regular", "themed")
        json_list_write(
            self.stdout,
            ({"code": code, "regular_meetings": regular, "themed_meetings": themed} for code, regular, themed in rows),
        )
