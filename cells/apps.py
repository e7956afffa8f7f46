from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CellsConfig(AppConfig):
    name = "cells"
    verbose_name = _("Organizations and cells")

    def ready(self):
        from cells.admin import register_remaining_models

        register_remaining_models()
