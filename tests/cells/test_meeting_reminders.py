"""The monthly reminder: secretaries of cells without a regular meeting last month, once each."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection
from django_celery_beat.models import PeriodicTask

from cells.meeting_services import meeting_reminders_send, previous_month
from cells.models import Meeting, MeetingReminder, Notification
from cells.tasks import REMINDER_TASK, meeting_reminders_send_task
from tests.cells.factories import make_meeting
from tests.conftest import make_user
from tests.throwaway import SmtpServer, wait_for

D = datetime.date
MARCH = D(2018, 3, 1)
COMMUNE, CELL = "bithu.a@example.org", "bithu.a2@example.org"


def secretaries(tree):
    commune = make_user("bithu.a", "secretary", tree.a)
    commune.email = COMMUNE
    commune.save()
    cell = make_user("bithu.a2", "secretary", tree.a2)
    cell.email = CELL
    cell.save()
    return commune, cell


def reminded() -> set[tuple[str, str]]:
    return set(MeetingReminder.objects.values_list("organization__code", "user__email"))


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


def test_secretaries_of_cells_without_a_regular_meeting_are_reminded_once(tree, alice):
    secretaries(tree)
    make_meeting(tree.a1, date=D(2018, 3, 9), kind=Meeting.Kind.COMBINED)  # counts as regular
    make_meeting(tree.a2, date=D(2018, 3, 9), kind=Meeting.Kind.THEMED)  # does not

    assert meeting_reminders_send(month=MARCH).emails == 2
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {COMMUNE, CELL}
    assert "Chi bộ Bản Làn" in sent[COMMUNE].body
    assert "Chi bộ Nặm Bao" not in sent[COMMUNE].body
    assert "03/2018" in sent[CELL].subject
    # One row per cell and secretary reached; B1 and Y1 have no secretary, nobody to record.
    assert reminded() == {("D-A-2", COMMUNE), ("D-A-2", CELL)}

    assert meeting_reminders_send(month=MARCH).emails == 0
    assert len(mail.outbox) == 2


def test_a_secretary_appointed_later_is_reminded_without_reminding_the_others_again(tree):
    secretaries(tree)
    meeting_reminders_send(month=MARCH)
    make_user("bithu.b", "secretary", tree.b).__class__.objects.filter(username="bithu.b").update(
        email="bithu.b@example.org"
    )

    assert meeting_reminders_send(month=MARCH).emails == 1
    assert [message.to for message in mail.outbox[2:]] == [["bithu.b@example.org"]]


def test_the_task_is_safe_to_run_twice(tree):
    secretaries(tree)
    meeting_reminders_send_task.delay("2018-03-15")
    meeting_reminders_send_task.delay("2018-03-01")
    assert len(mail.outbox) == 2
    assert reminded() == {("D-A-1", COMMUNE), ("D-A-2", COMMUNE), ("D-A-2", CELL)}


def test_a_mailbox_the_mail_server_refuses_is_retried_alone_next_run(tree, smtp):
    """A real SMTP conversation: the server refuses one secretary's mailbox (550)."""
    commune, cell = secretaries(tree)
    smtp.refused.add(CELL)

    first = meeting_reminders_send(month=MARCH)

    assert (first.emails, first.failed) == (1, [CELL])
    assert len(smtp.received(COMMUNE)) == 1 and smtp.received(CELL) == []
    assert reminded() == {("D-A-1", COMMUNE), ("D-A-2", COMMUNE)}  # the refused one is not recorded
    assert not Notification.objects.filter(user=cell).exists()  # nor half-delivered in the app

    smtp.refused.clear()
    second = meeting_reminders_send(month=MARCH)

    assert (second.emails, second.failed) == (1, [])
    assert len(smtp.received(COMMUNE)) == 1 and len(smtp.received(CELL)) == 1  # nobody twice
    assert reminded() == {("D-A-1", COMMUNE), ("D-A-2", COMMUNE), ("D-A-2", CELL)}
    assert meeting_reminders_send(month=MARCH).emails == 0
    assert len(smtp.delivered) == 2


def test_a_mail_server_down_records_nothing_and_the_next_run_sends_all(tree, settings):
    secretaries(tree)
    down = SmtpServer()  # never started: connections are refused
    for name, value in down.settings().items():
        setattr(settings, name, value)

    assert meeting_reminders_send(month=MARCH).failed == [COMMUNE, CELL]
    assert not MeetingReminder.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert meeting_reminders_send(month=MARCH).emails == 2
    assert meeting_reminders_send(month=MARCH).emails == 0
    assert len(mail.outbox) == 2


@pytest.fixture
def smtp_for_worker(monkeypatch):
    """The mail server, also for a worker process started after this fixture (it reads the environment)."""
    server = SmtpServer(refused={CELL}).start()
    for name, value in {**server.env(), "VANLANG_REMINDER_RETRY_SECONDS": "1"}.items():
        monkeypatch.setenv(name, value)
    yield server
    server.stop()


@pytest.mark.celery_worker
def test_on_a_real_worker_the_task_retries_the_month_until_the_refused_mailbox_takes_it(
    smtp_for_worker, celery_worker, tree
):
    smtp = smtp_for_worker
    secretaries(tree)

    meeting_reminders_send_task.delay("2018-03-01")

    assert wait_for(lambda: smtp.received(COMMUNE), 30)
    assert wait_for(lambda: MeetingReminder.objects.count() == 2, 10)
    smtp.refused.clear()  # the mailbox is fixed; the task's retry (every second here) reaches it
    assert wait_for(lambda: smtp.received(CELL), 30)
    assert wait_for(lambda: MeetingReminder.objects.count() == 3, 10)
    assert (len(smtp.received(COMMUNE)), len(smtp.received(CELL))) == (1, 1)


def test_two_runs_at_the_same_moment_remind_each_secretary_once(transactional_db, tree):
    secretaries(tree)
    barrier, results, errors = threading.Barrier(2), [], []

    def run():
        try:
            barrier.wait()
            results.append(meeting_reminders_send(month=MARCH).emails)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    assert sum(results) == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([COMMUNE, CELL])
    assert MeetingReminder.objects.count() == 3


def test_previous_month():
    assert previous_month(D(2018, 1, 2)) == D(2017, 12, 1)
    assert previous_month(D(2018, 3, 31)) == D(2018, 2, 1)


def test_the_job_is_scheduled_monthly(db):
    task = PeriodicTask.objects.get(task=REMINDER_TASK)
    assert task.enabled and task.crontab.day_of_month == "2" and task.crontab.hour == "7"
    from vanlang.celery import app

    assert REMINDER_TASK in app.tasks
