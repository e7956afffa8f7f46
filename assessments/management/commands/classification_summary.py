import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.models import Level
from assessments.queries import draft_count, year_summary
from assessments.rules import rule_set_for
from cells.models import Organization


class Command(BaseCommand):
    help = "Count the grassroots organizations (TCCSĐ) classified in YEAR, by level, in --org's subtree or everywhere."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--org", help="Code of the organization whose subtree is counted.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        root = None
        if options["org"]:
            root = Organization.objects.filter(code=options["org"]).first()
            if root is None:
                raise CommandError(_("No organization has the code “%(code)s”.") % {"code": options["org"]})
        year = options["year"]
        summary = year_summary(year=year, root=root, kinds=Organization.GRASSROOTS_KINDS)
        percent = summary["good_or_above_percent"]
        if options["json"]:
            summary["good_or_above_percent"] = float(percent) if percent is not None else None
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        rule_set = rule_set_for(year)
        self.stdout.write(
            _("Classification %(year)s (%(rule_set)s), %(scope)s: %(total)s grassroots organizations")
            % {
                "year": year,
                "rule_set": rule_set.code,
                "scope": root.name if root else _("all"),
                "total": summary["total"],
            }
        )
        for level in Level:
            self.stdout.write(f"  {rule_set.label(level):<32} {summary['by_level'][level.value]:>6}")
        share = "—" if percent is None else f"{percent:.2f}%".replace(".", ",")
        self.stdout.write(
            _("Good or above: %(good)s/%(total)s = %(share)s")
            % {"good": summary["good_or_above"], "total": summary["total"], "share": share}
        )
        drafts = draft_count(year=year, root=root, kinds=Organization.GRASSROOTS_KINDS)
        if drafts:
            self.stdout.write(
                ngettext(
                    "%(count)s result is still a draft and is not counted.",
                    "%(count)s results are still drafts and are not counted.",
                    drafts,
                )
                % {"count": drafts}
            )
