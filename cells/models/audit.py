from auditlog.models import LogEntry
from django.db import models
from django.utils.translation import gettext_lazy as _

from cells.models.organizations import Organization
from cells.models.tree import TreeQuerySet


class EntryOrganization(models.Model):
    """The organization a change-log entry belongs to: an auditor's subtree is one indexed query.

    One row beside each django-auditlog entry (written by `cells.audit`). The organization's code
    is also kept in the entry's `additional_data`, for reading; this row is for scoping.
    """

    entry = models.OneToOneField(
        LogEntry,
        verbose_name=_("log entry"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="vanlang_organization",
    )
    # No constraint: the history of a row outlives anything, organizations included.
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization of a log entry")
        verbose_name_plural = _("organizations of log entries")

    def __str__(self):
        return f"{self.entry_id} · {self.organization_id}"
