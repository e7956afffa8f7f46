import json

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from cells.models import Run
from cells.runs import run_record


class Command(BaseCommand):
    help = "List the recorded background runs (the candidate job, imports, reports), newest first."

    def add_arguments(self, parser):
        parser.add_argument("--state", choices=Run.State.values, help="only the runs in this state")
        parser.add_argument("--limit", type=int, default=0, help="at most this many runs (default: all)")
        parser.add_argument("--json", action="store_true", help="print a JSON list")

    def handle(self, *args, **options):
        state, limit = options["state"], options["limit"]
        runs = Run.objects.select_related("scope").order_by("-created_at", "-pk")
        if state:
            runs = runs.filter(state=state)
        if limit > 0:
            runs = runs[:limit]
        if options["json"]:
            self.stdout.write(json.dumps([run_record(run) for run in runs], ensure_ascii=False, indent=2))
            return
        for run in runs:
            record = run_record(run)
            created = timezone.localtime(run.created_at).strftime("%Y-%m-%d %H:%M:%S")
            counts = ", ".join(f"{name}={value}" for name, value in record["counts"].items())
            line = f"{run.pk:>6}  {created}  {run.kind:<24} {run.state:<8} {run.progress:>3}%"
            line += f"  {record['scope'] or '*'}  {record['year'] or '-'}  {counts}"
            self.stdout.write(line)
            for text in (run.error, run.note):
                for part in (text or "").splitlines()[:5]:
                    self.stdout.write(f"        {part}")
        if not runs:
            self.stdout.write(_("No runs recorded."))
