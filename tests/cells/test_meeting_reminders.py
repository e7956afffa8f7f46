"""The monthly reminder: secretaries of cells without a regular meeting last month, once."""

import datetime

from django.core import mail
from django_celery_beat.models import PeriodicTask

from cells.meeting_services import meeting_reminders_send, previous_month
from cells.models import Meeting, MeetingReminder
from cells.tasks import REMINDER_TASK, meeting_reminders_send_task
from tests.cells.factories import make_meeting
from tests.conftest import make_user

D = datetime.date
MARCH = D(2018, 3, 1)


def secretaries(tree):
    commune = make_user("bithu.a", "secretary", tree.a)
    commune.email = "bithu.a@example.org"
    commune.save()
    cell = make_user("bithu.a2", "secretary", tree.a2)
    cell.email = "bithu.a2@example.org"
    cell.save()
    return commune, cell


def test_secretaries_of_cells_without_a_regular_meeting_are_reminded_once(tree, alice):
    secretaries(tree)
    make_meeting(tree.a1, date=D(2018, 3, 9), kind=Meeting.Kind.COMBINED)  # counts as regular
    make_meeting(tree.a2, date=D(2018, 3, 9), kind=Meeting.Kind.THEMED)  # does not

    assert meeting_reminders_send(month=MARCH) == 2
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"bithu.a@example.org", "bithu.a2@example.org"}
    assert "Chi bộ Bản Làn" in sent["bithu.a@example.org"].body
    assert "Chi bộ Nặm Bao" not in sent["bithu.a@example.org"].body
    assert "03/2018" in sent["bithu.a2@example.org"].subject
    # B1 (no secretary with an email) and Y1 are logged too, so a later run does not mail them either.
    assert set(MeetingReminder.objects.values_list("organization__code", flat=True)) == {"D-A-2", "D-B-1", "X-Y-1"}

    assert meeting_reminders_send(month=MARCH) == 0
    assert len(mail.outbox) == 2


def test_the_task_is_safe_to_run_twice(tree):
    secretaries(tree)
    meeting_reminders_send_task.delay("2018-03-15")
    meeting_reminders_send_task.delay("2018-03-01")
    assert len(mail.outbox) == 2
    assert MeetingReminder.objects.filter(month=MARCH).count() == 4


def test_a_failed_send_logs_nothing_so_the_next_run_sends_it(tree, monkeypatch):
    import pytest

    secretaries(tree)

    def refused(subject, body, sender, to):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("cells.meeting_services.send_mail", refused)
    with pytest.raises(ConnectionRefusedError):
        meeting_reminders_send(month=MARCH)
    assert not MeetingReminder.objects.exists()

    monkeypatch.undo()
    assert meeting_reminders_send(month=MARCH) == 2
    assert meeting_reminders_send(month=MARCH) == 0
    assert len(mail.outbox) == 2


def test_previous_month():
    assert previous_month(D(2018, 1, 2)) == D(2017, 12, 1)
    assert previous_month(D(2018, 3, 31)) == D(2018, 2, 1)


def test_the_job_is_scheduled_monthly(db):
    task = PeriodicTask.objects.get(task=REMINDER_TASK)
    assert task.enabled and task.crontab.day_of_month == "2" and task.crontab.hour == "7"
    from vanlang.celery import app

    assert REMINDER_TASK in app.tasks
