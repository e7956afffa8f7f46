import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from cells.audit import AuditedCommand
from cells.models import Organization
from cells.runs import run_here
from plans.models import Candidate, JobRun
from plans.services.candidates import candidates_run_work


class Command(AuditedCommand):
    help = "Run the candidate job for YEAR now, in this process, and print the candidates for YEAR+1."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--json", action="store_true", help="Print a JSON list sorted by code.")

    def handle(self, *args, **options):
        year = options["year"]
        run = JobRun.objects.create(year=year, trigger=JobRun.Trigger.COMMAND)
        run = run_here(run=run, work=candidates_run_work)
        if run.state != JobRun.State.DONE:
            raise CommandError(_("The candidate job failed: %(error)s") % {"error": run.error})
        candidates = (
            Candidate.objects.filter(
                year=year + 1,
                status=Candidate.Status.PROPOSED,
                organization__kind__in=Organization.GRASSROOTS_KINDS,
            )
            .select_related("organization")
            .order_by("organization__code")
        )
        rows = [
            {"code": c.organization.code, "name": c.organization.name, "level": c.level, "reasons": c.reasons}
            for c in candidates
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("Candidates for %(year)s: %(count)s (%(created)s new, %(withdrawn)s withdrawn).")
            % {
                "year": year + 1,
                "count": len(rows),
                "created": run.counts["created"],
                "withdrawn": run.counts["withdrawn"],
            }
        )
        for row in rows:
            self.stdout.write(f"  {row['code']:<24} {row['name']}")
            for reason in row["reasons"]:
                self.stdout.write(f"      - {reason}")
