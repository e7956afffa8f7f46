"""A background run's progress as JSON, for the page that follows it (static/js/runs.js)."""

from django.http import JsonResponse
from django.views import View

from cells.access import Perm, ScopedMixin
from cells.models import Run
from cells.runs import run_status


class RunStatusView(ScopedMixin, View):
    """The runs in the user's subtree (the candidate job's scope-wide runs have their own view)."""

    permission = Perm.VIEW

    def get(self, request, run_id):
        return JsonResponse(run_status(self.get_scoped_or_404(Run.objects.all(), pk=run_id)))
