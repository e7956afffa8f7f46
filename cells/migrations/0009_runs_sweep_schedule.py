"""The sweep of background runs, every minute, as a django-celery-beat entry (editable in the admin).

Every fixed schedule is created once by a migration like this one (cells 0003, plans 0006): an
entry that already exists is left as it is, so nothing undoes an edit made in the admin.
"""

from django.db import migrations

NAME = "Background runs: send again the queued, take over the stalled"
TASK = "cells.runs_sweep"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "interval": every_minute, "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cells", "0008_runs_run_records"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
