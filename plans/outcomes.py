"""Did support work? The unit's level in the year of support against the level that triggered it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import LEVEL_RANK, Level


class Outcome(models.TextChoices):
    IMPROVED = "improved", _("Improved")
    UNCHANGED = "unchanged", _("Unchanged")
    WORSE = "worse", _("Worse")


def outcome_of(before: str | None, after: str | None) -> str | None:
    """None until both levels are known."""
    if not before or not after:
        return None
    difference = LEVEL_RANK[Level(after)] - LEVEL_RANK[Level(before)]
    if difference > 0:
        return Outcome.IMPROVED
    return Outcome.UNCHANGED if difference == 0 else Outcome.WORSE
