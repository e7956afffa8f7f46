from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def refresh_auditors_group(using="default", **kwargs):
    """After every migrate, auditors can read the models it added, without a new grant_role."""
    from django.contrib.auth.models import Group

    from cells.auditors import AUDITORS_GROUP, auditors_group

    if Group.objects.using(using).filter(name=AUDITORS_GROUP).exists():
        auditors_group()


class CellsConfig(AppConfig):
    name = "cells"
    verbose_name = _("Organizations and cells")

    def ready(self):
        import cells.lookups  # noqa: F401  (field__any: IN as one array parameter on PostgreSQL)
        import cells.meeting_years  # noqa: F401  (a meeting's save or delete recounts its cell's year)
        from cells import arrays

        arrays.register()  # bulk inserts' arrays escaped without a regular expression per character
        import cells.security.events  # noqa: F401  (the security log's signal receivers)
        import cells.security.sessions  # noqa: F401  (a deactivated user's sessions end)
        from cells.admin import register_remaining_models
        from cells.auditors import audit_without_reverse_relations
        from cells.params import register_converters

        register_converters()  # <year:…>, <id:…>, <code:…> in every app's urls.py
        register_remaining_models()
        from cells import audit

        audit.connect()
        audit_without_reverse_relations()
        # Connected for every app's post_migrate: the last one sees every new view permission.
        post_migrate.connect(refresh_auditors_group, dispatch_uid="cells.refresh_auditors_group")
