import json

from django.core.management.base import BaseCommand, CommandError

from cells.models import Organization
from plans.queries.plans import consolidation


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
        report = consolidation(scope)
        rows = sorted(report.rows, key=lambda row: (row.plan.year, row.plan.organization.code))
        if options["json"]:
            data = [
                {
                    "code": row.plan.organization.code,
                    "year": row.plan.year,
                    "level_before": row.level_before or None,
                    "level_after": row.level_after or None,
                    "outcome": str(row.outcome) if row.outcome else None,
                }
                for row in rows
            ]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row.plan.year}  {row.plan.organization.code:<20} {row.level_before or '-':<11} → "
                f"{row.level_after or '-':<11} {row.outcome or '-':<10} {row.plan.get_state_display()}"
            )
        if report.measured:
            percent = f"{report.improved_percent:.2f}".replace(".", ",")
            self.stdout.write(f"Improved: {report.improved}/{report.measured} = {percent}%")
