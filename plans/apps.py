from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Consolidation")

    def ready(self):
        # Autodiscovery imports only `tasks` and `admin` modules; these live apart from the candidates'.
        from plans import plan_admin, reminders  # noqa: F401
