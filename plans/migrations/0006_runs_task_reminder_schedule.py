"""The daily reminder of consolidation tasks as a django-celery-beat entry, created once.

It used to come from CELERY_BEAT_SCHEDULE, which celery beat wrote back at every start, undoing
an edit made in the admin. An entry that already exists (under the name beat gave it) is kept.
"""

from django.conf import settings
from django.db import migrations

NAME = "plans: task reminders"
TASK = "plans.send_task_reminders"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour=str(getattr(settings, "VANLANG_REMINDER_HOUR", 7)),
        day_of_month="*",
        month_of_year="*",
        day_of_week="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.create(name=NAME, task=TASK, crontab=crontab, enabled=True)


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0005_runs_job_runs_as_runs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
