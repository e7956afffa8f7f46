from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Consolidation")

    def ready(self):
        # The candidate job runs when a year's results become final (issue 3).
        from assessments.signals import results_finalized
        from plans.receivers import on_results_finalized

        results_finalized.connect(on_results_finalized, dispatch_uid="plans.services.candidates.results_finalized")
