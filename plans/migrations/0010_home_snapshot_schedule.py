"""The refresh of the large scopes' home figures, every 5 minutes, as a django-celery-beat entry.

Created once like every fixed schedule (cells 0003 and 0009, plans 0006): an entry that already
exists is left as it is, so nothing undoes an edit made in the admin.
"""

from django.db import migrations

NAME = "plans: refresh the home figures of large scopes"
TASK = "plans.home_snapshots_refresh"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_5_minutes, _ = IntervalSchedule.objects.get_or_create(every=300, period="seconds")
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "interval": every_5_minutes, "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0009_home_snapshots"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
