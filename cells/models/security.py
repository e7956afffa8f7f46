from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cells.models.organizations import Organization
from cells.models.tree import TreeQuerySet


class SecurityEvent(models.Model):
    """One line of the security log: a sign-in, a refused access, an export, a printed document.

    The organization is the user's at the time, so an auditor reads the events of the users of
    their subtree even after a user has moved. Written by `cells.security.events`, never edited.
    """

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Failed sign-in")
        LOCKED_OUT = "locked_out", _("Locked out")
        SIGN_OUT = "sign_out", _("Signed out")
        SECOND_FACTOR = "second_factor", _("Second factor")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        REFUSED = "refused", _("Refused access")
        EXPORT = "export", _("Export")
        PRINT = "print", _("Printed document")
        DOWNLOAD = "download", _("File download")

    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    time = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # The name typed at a failed sign-in, which may be nobody's.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), null=True, blank=True, on_delete=models.PROTECT
    )
    ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    path = models.CharField(_("address asked"), max_length=500, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security log")
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["organization", "-time"], name="cells_secevent_org_time")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.username or '—'} · {self.time:%d/%m/%Y %H:%M}"
