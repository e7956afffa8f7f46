"""The monthly meeting reminder, scheduled in django-celery-beat's database (editable in the admin)."""

from django.db import migrations

TASK = "cells.meeting_reminders_send"
NAME = "Monthly reminder: cells without a regular meeting"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # 07:00 on the 2nd of each month, Viet Nam time: the first day is left for late entries.
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_month="2", month_of_year="*", day_of_week="*", timezone="Asia/Ho_Chi_Minh"
    )
    # An entry that exists is left as it is: nothing undoes an edit made in the admin.
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "crontab": crontab, "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cells", "0002_meetings_admissions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
