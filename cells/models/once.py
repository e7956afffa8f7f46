from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnsweredPost(models.Model):
    """A create form's post, by its one-time token: the second post of the same form is answered as the first.

    The unique token makes two posts that cross in flight wait for each other in the database:
    the second insert waits for the first transaction, then finds its row (see `cells/once.py`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(_("token"), max_length=64)
    location = models.CharField(_("answered with"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("answered form")
        verbose_name_plural = _("answered forms")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "token"],
                name="%(app_label)s_%(class)s_once_per_token",
                violation_error_message=_("This form was already sent."),
            )
        ]

    def __str__(self):
        return f"{self.user_id} · {self.token}"
