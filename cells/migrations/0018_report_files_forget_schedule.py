"""Old report files deleted daily (cells.report_files_forget), as a django-celery-beat entry.

Created once, like every fixed schedule (cells 0003, 0009; plans 0006): an entry that already
exists is left as it is, so nothing undoes an edit made in the admin.
"""

from django.db import migrations

NAME = "Report files: delete those older than VANLANG_REPORT_FILES_KEEP_DAYS"
TASK = "cells.report_files_forget"


def schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Ho_Chi_Minh"
    )
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": TASK, "crontab": nightly, "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cells", "0017_report_files"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
