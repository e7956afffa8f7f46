from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Consolidation")

    def ready(self):
        # The candidate job runs when a year's results become final (issue 3).
        from assessments.signals import results_finalized
        from plans.candidates_signals import on_results_finalized

        results_finalized.connect(on_results_finalized, dispatch_uid="plans.candidates.results_finalized")
        # Autodiscovery imports only `tasks` and `admin` modules; these live apart from the candidates'.
        from plans import plan_admin, reminders  # noqa: F401
