from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Consolidation")

    def ready(self):
        # Celery's autodiscovery only imports `tasks` modules; the reminder job lives apart.
        from plans import reminders  # noqa: F401
