"""Tasks cross a real broker to a real worker when CELERY_BROKER_URL is set (as in production)."""

import time

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from vanlang.celery import app


@app.task(name="tests.mark_worker_ran", time_limit=60, soft_time_limit=50)
def mark_worker_ran(name):
    Group.objects.get_or_create(name=name)


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.celery_worker
def test_a_task_sent_on_commit_runs_in_the_worker(celery_worker):
    assert not app.conf.task_always_eager
    with transaction.atomic():
        mark_worker_ran.delay_on_commit("worker-ran")
        assert not Group.objects.filter(name="worker-ran").exists()
    assert wait_for(lambda: Group.objects.filter(name="worker-ran").exists()), "the worker did not run the task"


def test_without_the_marker_tasks_run_in_process(db):
    assert app.conf.task_always_eager
    mark_worker_ran.delay("in-process")
    assert Group.objects.filter(name="in-process").exists()
