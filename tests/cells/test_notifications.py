"""In-app notifications: written where e-mail goes out and decisions are taken, a bell with the unread count."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cells.meeting_services import meeting_reminders_send
from cells.models import Meeting, Notification
from cells.notifications import Note, notifications_send
from plans.models import Plan
from plans.services.plans import reminders_send
from tests.cells.factories import make_meeting
from tests.conftest import make_user
from tests.plans.factories import make_candidate, make_plan, make_task

D = datetime.date
Kind = Notification.Kind


def inserts(queries) -> int:
    return sum(1 for q in queries if q["sql"].startswith('INSERT INTO "cells_notification"'))


def test_missing_meetings_notify_each_secretary_once_with_their_own_reminder(tree):
    commune = make_user("bithu.a", "secretary", tree.a)  # no e-mail: still notified in the app
    cell = make_user("bithu.a2", "secretary", tree.a2)
    make_meeting(tree.a1, date=D(2018, 3, 9), kind=Meeting.Kind.REGULAR)

    with CaptureQueriesContext(connection) as queries:
        meeting_reminders_send(month=D(2018, 3, 1))

    assert inserts(queries.captured_queries) == 2  # one per secretary, committed with their reminder
    notes = {n.user: n for n in Notification.objects.filter(kind=Kind.MEETING_MISSING)}
    assert set(notes) == {commune, cell}
    assert "Chi bộ Bản Làn" in notes[commune].text and "Nặm Bao" not in notes[commune].text
    assert notes[cell].link == f"{reverse('cells:meeting_create')}?to-chuc=D-A-2"
    meeting_reminders_send(month=D(2018, 3, 1))
    assert Notification.objects.count() == 2


def test_due_tasks_notify_their_assignee_once_a_day(tree, standing):
    standing.email = "dung@example.vn"
    standing.save()
    plan = make_plan(tree.a, 2018, state=Plan.State.IN_PROGRESS)
    overdue = make_task(plan, assignee=standing, due=D(2018, 6, 18), title="Dự sinh hoạt")
    make_task(plan, assignee=standing, due=D(2018, 6, 22), title="Tổng kết")
    Notification.objects.all().delete()  # the assignment notices

    with CaptureQueriesContext(connection) as queries:
        reminders_send(today=D(2018, 6, 20))
    reminders_send(today=D(2018, 6, 20))

    assert inserts(queries.captured_queries) == 1
    notes = list(Notification.objects.filter(user=standing, kind=Kind.TASK_DUE).order_by("text"))
    assert [n.text for n in notes] == [
        "Due on 22/06/2018: Tổng kết (Đảng bộ xã Gia Miễn).",
        "Overdue since 18/06/2018: Dự sinh hoạt (Đảng bộ xã Gia Miễn).",
    ]
    assert notes[1].link == reverse("plans:task_detail", kwargs={"task_id": overdue.pk})


def test_an_assigned_task_notifies_the_member(client, tree, alice, standing):
    plan = make_plan(tree.a, 2018, lead=standing)
    client.force_login(alice)
    data = {"title": "Dự sinh hoạt chi bộ", "assignee": standing.pk, "due": "30/06/2018"}
    assert client.post(reverse("plans:task_create", kwargs={"plan_id": plan.pk}), data).status_code == 302
    note = Notification.objects.get(user=standing)
    assert note.kind == Kind.TASK_ASSIGNED and "Dự sinh hoạt chi bộ" in note.text and "30/06/2018" in note.text


def test_a_decision_notifies_the_staff_of_the_unit(client, tree, alice, charlie, standing):
    candidate = make_candidate(tree.a, 2018)
    client.force_login(standing)
    data = {"decision": "selected", "reason": "Yếu", "number": "Số 35-QĐ/HU", "date": "18/01/2018"}
    client.post(reverse("plans:candidate_decide", kwargs={"candidate_id": candidate.pk}), data)
    note = Notification.objects.get()
    assert note.user == alice and note.kind == Kind.DECISION
    assert "Đảng bộ xã Gia Miễn" in note.text and "35-QĐ/HU" in note.text


def test_the_bell_counts_unread_and_the_list_marks_them_read(client, tree, alice, bob, django_assert_num_queries):
    notifications_send(
        notes=[
            Note(alice.pk, Kind.DECISION, "Quyết định về Tân Mỹ", "/cung-co/tong-hop/"),
            Note(alice.pk, Kind.TASK_DUE, "Nhiệm vụ sắp đến hạn"),
            Note(bob.pk, Kind.MEETING_MISSING, "Thư của người khác"),
        ]
    )
    client.force_login(alice)
    home = client.get(reverse("cells:tree")).content.decode()
    assert 'id="unread-count">2<' in home

    # 1 session, 2 user, 3 role with the unread count, 4 count of the notifications, 5 one page of
    # them, 6 marking the shown ones read
    with django_assert_num_queries(6):
        response = client.get(reverse("cells:notifications"))
    body = response.content.decode()
    assert "Quyết định về Tân Mỹ" in body and 'href="/cung-co/tong-hop/"' in body
    assert "Thư của người khác" not in body and 'id="unread-count"' not in body
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=bob, read_at__isnull=True).count() == 1
