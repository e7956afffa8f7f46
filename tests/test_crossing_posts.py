"""Two posts of the same create form that cross in flight (a double click on a slow line, two
requests at the same moment, not one after the other) create one record and get the same answer.

Each case sends the two posts from two threads, each with its own PostgreSQL connection and its
own test client signed in as the same user. The first post to reach its save is held inside its
transaction until the other request is waiting on a lock in PostgreSQL (or 5 seconds pass):
without the database holding the second post back, it would create its own record meanwhile
and the test would fail.
"""

import re
import threading
import time

import pytest
from django.db import connection
from django.db.models.signals import post_save
from django.test import Client
from django.urls import reverse

from cells.models import Admission, AnsweredPost, Meeting, Notification
from plans.models import Candidate, Committee, Plan, ProgressReport, Task
from tests.cells.test_admission_form import data as admission_form
from tests.cells.test_meeting_form import form_data as meeting_form
from tests.plans.factories import make_candidate, make_plan, make_task
from tests.plans.test_candidate_decide import DECISION
from tests.plans.test_plan_edit import TARGETS_EMPTY, plan_form
from tests.plans.test_task_edit import task_form

pytestmark = pytest.mark.django_db(transaction=True)

WAITING = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()
"""


def another_request_waits(timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(WAITING)
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def cross(user, url: str, data: dict, held_at) -> list:
    """Post `data` twice at once; the first save of a `held_at` row waits for the other request."""
    held, seen_waiting = threading.Lock(), []

    def hold(sender, created, **kwargs):
        if held.acquire(blocking=False):
            seen_waiting.append(another_request_waits())

    post_save.connect(hold, sender=held_at, weak=False)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(user)
    barrier, responses, errors = threading.Barrier(2), [], []

    def post(client):
        try:
            barrier.wait()
            responses.append(client.post(url, data))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        post_save.disconnect(hold, sender=held_at)
    assert not errors
    assert seen_waiting == [True], "the second post was not held back by the database"
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0].url == responses[1].url
    return responses


def token(client_user, url: str) -> str:
    client = Client()
    client.force_login(client_user)
    return re.search(r'name="once" value="([^"]+)"', client.get(url).content.decode()).group(1)


def test_an_admission_posted_twice_at_once_is_recorded_once(tree, bob):
    url = reverse("cells:admission_create")
    cross(bob, url, {**admission_form(tree.a1), "once": token(bob, url)}, Admission)

    assert Admission.objects.count() == 1
    assert AnsweredPost.objects.get().location == reverse(
        "cells:admission_overview", kwargs={"org_code": tree.a.code, "year": 2018}
    )


def test_a_task_posted_twice_at_once_is_created_once(tree, alice):
    plan = make_plan(tree.a, 2018)
    url = reverse("plans:task_create", kwargs={"plan_id": plan.pk})
    cross(alice, url, {**task_form(committee=Committee.ORGANIZATION), "once": token(alice, url)}, Task)

    assert Task.objects.count() == 1


def test_a_progress_report_posted_twice_at_once_is_saved_once(tree, standing):
    task = make_task(make_plan(tree.a, 2018, state=Plan.State.ADOPTED), assignee=standing)
    detail = reverse("plans:task_detail", kwargs={"task_id": task.pk})
    data = {"reported_on": "15/03/2018", "text": "Đã dự sinh hoạt chi bộ Nặm Bao.", "once": token(standing, detail)}
    cross(standing, reverse("plans:task_report", kwargs={"task_id": task.pk}), data, ProgressReport)

    assert ProgressReport.objects.count() == 1


def test_a_meeting_posted_twice_at_once_is_recorded_once(tree, bob):
    url = reverse("cells:meeting_create")
    cross(bob, url, {**meeting_form(tree.a1), "once": token(bob, url)}, Meeting)

    assert Meeting.objects.count() == 1


def test_a_plan_posted_twice_at_once_is_written_once(tree, alice, standing):
    candidate = make_candidate(tree.a, 2018, decision="selected")
    url = reverse("plans:plan_create", kwargs={"candidate_id": candidate.pk})
    cross(alice, url, {**plan_form(standing), **TARGETS_EMPTY, "once": token(alice, url)}, Plan)

    assert Plan.objects.count() == 1


def test_a_manual_selection_posted_twice_at_once_selects_once(tree, alice):
    url = reverse("plans:candidate_select")
    data = {"organization": tree.b.pk, "year": 2019, "reason": "Nội bộ mất đoàn kết", "number": "30-QĐ/HU"}
    cross(alice, url, {**data, "date": "10/01/2019", "once": token(alice, url)}, Candidate)

    assert Candidate.objects.count() == 1


def test_a_decision_posted_twice_at_once_notifies_once(tree, alice, standing):
    """An update form, without a token: the second post waits on the candidate's row lock, then
    finds the same decision recorded and changes nothing."""
    candidate = make_candidate(tree.a, 2018)
    url = reverse("plans:candidate_decide", kwargs={"candidate_id": candidate.pk})
    cross(standing, url, DECISION, Candidate)

    assert Notification.objects.filter(user=alice, kind=Notification.Kind.DECISION).count() == 1
