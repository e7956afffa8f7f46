"""Records that two people may edit at once carry a version (plans, tasks, meetings)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EditTracked(models.Model):
    """Who changed a row last and when, and the version that a save must match: the second of
    two concurrent edits is refused instead of silently overwriting the first (cells.versions)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
