"""Stored figures of the staff home for large scopes (above a district): see plans.services.home."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cells.models import Organization, Run
from cells.models.tree import TreeQuerySet


class HomeSnapshot(models.Model):
    """The whole-scope figures of one scope's staff home, computed by a background run.

    Derived from the records like a cache (not tracked by the change log): a run recomputes it
    from scratch, and the page says when it was computed.
    """

    tree_organization = "scope"

    scope = models.OneToOneField(
        Organization, verbose_name=_("scope"), on_delete=models.CASCADE, related_name="home_snapshot"
    )
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    viewed_at = models.DateTimeField(_("last viewed at"), null=True, blank=True)
    run = models.ForeignKey(
        Run, verbose_name=_("latest run"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("home page figures")
        verbose_name_plural = _("home page figures")

    def __str__(self):
        return f"{self.scope} · {self.computed_at:%d/%m/%Y %H:%M}" if self.computed_at else str(self.scope)
