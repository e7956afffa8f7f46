"""The daily reminder job (a Celery task; celery beat runs it every morning).

Kept out of `plans/tasks.py`, which holds the candidate job; registered by `PlansConfig.ready`.
"""

from celery import shared_task

from cells.audit import acting_as_task
from plans.services.plans import reminders_send


@shared_task(name="plans.send_task_reminders", time_limit=10 * 60, soft_time_limit=9 * 60)
def send_task_reminders() -> dict:
    """Safe to run any number of times a day: each task is reminded at most once per day."""
    with acting_as_task("plans.send_task_reminders"):
        result = reminders_send()
    return {"emails": result.sent_emails, "tasks": result.tasks_reminded}
