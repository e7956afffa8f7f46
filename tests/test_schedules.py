"""Every fixed schedule is one django-celery-beat entry, created by one idempotent step (its
migration) and never overwritten: not by running the step again, not by beat starting. There is
no CELERY_BEAT_SCHEDULE for beat to write back."""

import importlib

from django.apps import apps
from django.conf import settings
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from vanlang.celery import app

STEPS = {
    "cells.runs_sweep": "cells.migrations.0009_runs_sweep_schedule",
    "cells.meeting_reminders_send": "cells.migrations.0003_meeting_reminder_schedule",
    "plans.send_task_reminders": "plans.migrations.0006_runs_task_reminder_schedule",
    "plans.home_snapshots_refresh": "plans.migrations.0010_home_snapshot_schedule",
}


def run_the_steps_again():
    for module in STEPS.values():
        importlib.import_module(module).schedule(apps, None)


def test_each_fixed_schedule_is_one_entry_whose_step_is_idempotent(db):
    run_the_steps_again()
    run_the_steps_again()

    assert {task: PeriodicTask.objects.filter(task=task).count() for task in STEPS} == dict.fromkeys(STEPS, 1)
    app.loader.import_default_modules()
    assert set(STEPS) <= set(app.tasks)
    assert not app.conf.beat_schedule and not hasattr(settings, "CELERY_BEAT_SCHEDULE")
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


def test_edits_made_in_the_admin_survive_the_steps_and_beat_starting(db, monkeypatch):
    entries = {task: PeriodicTask.objects.get(task=task) for task in STEPS}
    # Staff, in the admin: the sweep every 2 minutes, the meeting reminder off, the task reminder at 09:30.
    entries["cells.runs_sweep"].interval = IntervalSchedule.objects.create(every=120, period="seconds")
    entries["cells.meeting_reminders_send"].enabled = False
    entries["plans.send_task_reminders"].crontab = CrontabSchedule.objects.create(
        minute="30", hour="9", timezone="Asia/Ho_Chi_Minh"
    )
    for entry in entries.values():
        entry.save()

    run_the_steps_again()
    # Beat drops stale connections between ticks; in a test transaction that would end the test's own.
    monkeypatch.setattr("django_celery_beat.schedulers.close_old_connections", lambda: None)
    beat = DatabaseScheduler(app=app, lazy=False)

    now = {task: PeriodicTask.objects.get(task=task) for task in STEPS}
    assert now["cells.runs_sweep"].interval.every == 120
    assert now["cells.meeting_reminders_send"].enabled is False
    assert (now["plans.send_task_reminders"].crontab.hour, now["plans.send_task_reminders"].crontab.minute) == (
        "9",
        "30",
    )
    # Beat loads the entries as edited (crontab entries not due within the hour it loads later).
    loaded = {entry.task: entry for entry in beat.schedule.values()}
    assert loaded["cells.runs_sweep"].schedule.run_every.total_seconds() == 120
    assert "cells.meeting_reminders_send" not in loaded  # disabled: beat does not send it
