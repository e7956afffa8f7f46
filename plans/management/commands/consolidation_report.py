from django.core.management.base import BaseCommand, CommandError

from cells.json_lists import json_list_write
from cells.models import Organization
from plans.outcomes import outcome_of
from plans.queries.plans import consolidation, plans_in


class Command(BaseCommand):
    help = (
        "Every support plan in scope with the level that triggered it, the level of the year of support "
        "and the outcome (improved, unchanged, worse)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", metavar="CODE", help="only plans of units in this organization's subtree")
        parser.add_argument("--json", action="store_true", help="print a JSON list sorted by year then code")

    def handle(self, *args, **options):
        scope = None
        if options["org"]:
            scope = Organization.objects.filter(code=options["org"]).first()
            if scope is None:
                raise CommandError(f"Unknown organization code: {options['org']}")
        if options["json"]:
            # Three values per plan, not 12,000 plans as objects; sorted as the table is.
            rows = sorted(plans_in(scope).values_list("year", "organization__code", "level_before", "level_after"))
            json_list_write(
                self.stdout,
                (
                    {"code": code, "year": year, "level_before": before or None, "level_after": after or None,
                     "outcome": str(outcome_of(before, after) or "") or None}
                    for year, code, before, after in rows
                ),
            )  # fmt: skip
            return
        report = consolidation(scope)
        rows = sorted(report.rows, key=lambda row: (row.plan.year, row.plan.organization.code))
        for row in rows:
            self.stdout.write(
                f"{row.plan.year}  {row.plan.organization.code:<20} {row.level_before or '-':<11} → "
                f"{row.level_after or '-':<11} {row.outcome or '-':<10} {row.plan.get_state_display()}"
            )
        if report.measured:
            percent = f"{report.improved_percent:.2f}".replace(".", ",")
            self.stdout.write(f"Improved: {report.improved}/{report.measured} = {percent}%")
