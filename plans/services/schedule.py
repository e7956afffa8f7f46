"""When the candidate job runs on its own: one celery-beat entry per scope, which staff change
from the candidates page (they are not Django-admin users)."""

import datetime
import json

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from cells.models import Organization

TASK = "plans.flag_candidates_scheduled"


class Frequency:
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    CHOICES = [
        (DAILY, _("Every day")),
        (WEEKLY, _("Every Monday")),
        (MONTHLY, _("On the 1st of every month")),
    ]


DEFAULT = {"enabled": True, "frequency": Frequency.MONTHLY, "time": datetime.time(2, 0)}


def task_name(scope: Organization) -> str:
    return f"{TASK}:{scope.code}"


def candidates_schedule_get(*, scope: Organization) -> dict:
    """The scope's schedule as the form shows it (one query), with `exists` False when never set."""
    task = PeriodicTask.objects.select_related("crontab").filter(name=task_name(scope)).first()
    if task is None or task.crontab is None:
        return {**DEFAULT, "exists": False}
    crontab = task.crontab
    if crontab.day_of_month == "1":
        frequency = Frequency.MONTHLY
    elif crontab.day_of_week == "1":
        frequency = Frequency.WEEKLY
    else:
        frequency = Frequency.DAILY
    return {
        "enabled": task.enabled,
        "frequency": frequency,
        "time": datetime.time(int(crontab.hour), int(crontab.minute)),
        "exists": True,
        "last_run_at": task.last_run_at,
    }


@transaction.atomic
def candidates_schedule_set(*, scope: Organization, enabled: bool, frequency: str, time: datetime.time) -> PeriodicTask:
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute=str(time.minute),
        hour=str(time.hour),
        day_of_week="1" if frequency == Frequency.WEEKLY else "*",
        day_of_month="1" if frequency == Frequency.MONTHLY else "*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    task, _created = PeriodicTask.objects.update_or_create(
        name=task_name(scope),
        defaults={
            "task": TASK,
            "crontab": crontab,
            "interval": None,
            "kwargs": json.dumps({"scope_id": scope.pk}),
            "enabled": enabled,
            "description": str(_("Consolidation candidates of %(name)s") % {"name": scope.name}),
        },
    )
    return task
