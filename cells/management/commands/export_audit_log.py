import datetime
import json

from auditlog.models import LogEntry
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from cells.audit import entries_within, entry_record, with_related_names
from cells.models import Organization


class Command(BaseCommand):
    help = (
        "Print the change log in time order. --org CODE keeps that organization's subtree, --since YYYY-MM-DD "
        'the entries from that day on (Hà Nội time). --json prints a list of {"time", "actor", "action", '
        '"model", "object", "organization", "changes", "reason"}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", help="the code of the organization whose subtree to export (default: all)")
        parser.add_argument("--since", help="the first day to export, YYYY-MM-DD (default: from the start)")
        parser.add_argument("--json", action="store_true", help="print JSON instead of lines of text")

    def handle(self, *args, org=None, since=None, **options):
        entries = LogEntry.objects.select_related("content_type", "actor").order_by("timestamp", "pk")
        if org is not None:
            organization = Organization.objects.filter(code=org.strip()).first()
            if organization is None:
                raise CommandError(_("No organization has the code “%(code)s”.") % {"code": org})
            entries = entries_within(entries, organization)
        if since is not None:
            try:
                day = datetime.date.fromisoformat(since.strip())
            except ValueError:
                raise CommandError(_("“%(value)s” is not a date: write YYYY-MM-DD.") % {"value": since}) from None
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
            entries = entries.filter(timestamp__gte=start)
        # A reference (a unit's parent, a plan's lead) is printed with the name of what it points at.
        records = (entry_record(entry, names) for entry, names in with_related_names(entries.iterator(chunk_size=2000)))
        if options["json"]:
            self._write_json(records)
            return
        for record in records:
            changes = "; ".join(f"{name}: {before} → {after}" for name, (before, after) in record["changes"].items())
            line = "  ".join(
                str(part)
                for part in (record["time"], record["actor"], record["action"], record["model"], record["object"],
                             record["organization"] or "-", changes)
            )  # fmt: skip
            if record["reason"]:
                line += "  " + _("reason: %(reason)s") % {"reason": record["reason"]}
            self.stdout.write(line)

    def _write_json(self, records):
        """A JSON list written entry by entry: a national log never sits in memory at once."""
        self.stdout.write("[", ending="")
        for number, record in enumerate(records):
            self.stdout.write(("," if number else "") + "\n  " + json.dumps(record, ensure_ascii=False), ending="")
        self.stdout.write("\n]")
