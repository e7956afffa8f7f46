"""The candidate job follows the results: when a year's results become final or a final result
is corrected, a run for that year is sent once the transaction commits."""

from django.db import transaction

from cells.models import Organization
from plans.models import JobRun
from plans.services.candidates import candidates_run_start


def on_results_finalized(sender, *, year: int, organization_ids: list[int], **kwargs):
    # Cells' results do not make candidates: no run when only cells were finalized.
    sample = organization_ids[:900]
    if not Organization.objects.filter(pk__in=sample, kind__in=Organization.GRASSROOTS_KINDS).exists():
        if len(organization_ids) <= len(sample):
            return
    # The whole year, not only these units: a run is set-based and cheap, and a national year
    # finalized by many committees converges whatever order their runs take.
    transaction.on_commit(lambda: candidates_run_start(year=year, scope=None, trigger=JobRun.Trigger.FINALIZED))
