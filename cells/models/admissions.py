from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cells.models.organizations import Organization
from cells.models.tree import TreeQuerySet


class AdmissionQuota(models.Model):
    """The yearly admission quota (chỉ tiêu kết nạp) of a cell or a grassroots organization."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="admission_quotas"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quota = models.PositiveSmallIntegerField(_("admission quota"))

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("admission quota")
        verbose_name_plural = _("admission quotas")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="%(app_label)s_%(class)s_one_per_year",
                violation_error_message=_("This organization already has a quota for this year."),
            )
        ]

    def __str__(self):
        return f"{self.organization} · {self.year}: {self.quota}"


class Admission(models.Model):
    """One person's path into the party through a cell, with the date of each step.

    Personal data is kept to what the work needs (Nghị định 13/2023/NĐ-CP): the name, to tell
    the cases apart, and the birth date, for the 18-to-60 eligibility check. Nothing else.
    Deadlines are derived from the dates (see `cells.admission_rules`), not stored.
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("party cell"), on_delete=models.PROTECT, related_name="admissions"
    )
    full_name = models.CharField(_("full name"), max_length=120)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    awareness_class_date = models.DateField(_("awareness class certificate"), null=True, blank=True)
    cell_resolution_date = models.DateField(_("cell resolution"), null=True, blank=True)
    grassroots_resolution_date = models.DateField(_("grassroots committee resolution"), null=True, blank=True)
    decision_date = models.DateField(_("admission decision"), null=True, blank=True, db_index=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    ceremony_date = models.DateField(_("admission ceremony"), null=True, blank=True)
    probation_end_date = models.DateField(
        _("end of probation"), null=True, blank=True, help_text=_("Left empty: 12 months after the ceremony.")
    )
    full_membership_date = models.DateField(_("full membership recognized"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("admission")
        verbose_name_plural = _("admissions")
        ordering = ["organization_id", "-decision_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ceremony_date__isnull=True)
                | Q(decision_date__isnull=True)
                | Q(ceremony_date__gte=F("decision_date")),
                name="%(app_label)s_%(class)s_ceremony_after_decision",
                violation_error_message=_("The ceremony cannot come before the admission decision."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "decision_date"], name="cells_admission_org_dec_idx"),
            # The admin finds a decision by its number, typed from its start (LIKE '35-QĐ%').
            models.Index(
                fields=["decision_number"], name="cells_admission_number_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self):
        # No name: the string lands in audit log entries, which auditors read.
        return f"#{self.pk} · {self.organization_id and self.organization}"
