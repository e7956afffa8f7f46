"""Files written by background runs (reports, exports, long printed documents), kept a few days."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cells.models.organizations import Organization
from cells.models.runs import Run
from cells.models.tree import TreeQuerySet


class ReportFile(models.Model):
    """The file a report run wrote: an Excel workbook or a PDF, downloaded through a scoped view.

    MEDIA_ROOT has no public address: the file is read only by `cells.views.report_runs`, for a
    user whose subtree holds the organization. `cells.report_runs.report_files_forget` deletes
    files older than VANLANG_REPORT_FILES_KEEP_DAYS (daily, django-celery-beat).
    """

    tree_organization = "organization"

    run = models.OneToOneField(Run, verbose_name=_("background run"), on_delete=models.CASCADE, related_name="file")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name
