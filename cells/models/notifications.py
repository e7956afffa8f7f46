from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message for one user inside the app: what e-mail carries, kept until read.

    Written where reminders and decisions happen (tasks, decisions, missing meetings); the
    navigation bar shows the unread count, the list marks them read.
    """

    class Kind(models.TextChoices):
        TASK_ASSIGNED = "task_assigned", _("Task assigned")
        TASK_DUE = "task_due", _("Task due")
        DECISION = "decision", _("Decision taken")
        MEETING_MISSING = "meeting_missing", _("Meeting missing")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="cells_notification_unread_idx")]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.created:%d/%m/%Y}"
