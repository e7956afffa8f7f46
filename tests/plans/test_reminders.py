"""The daily reminder job: tasks due within 7 days or overdue, at most one reminder per task per day."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError

from cells.models import Notification
from plans.models import Committee, CommitteeMailbox, Plan, ReminderLog, Task
from plans.services.plans import reminders_send
from plans.tasks import send_task_reminders
from tests.plans.factories import make_plan, make_task
from tests.throwaway import SmtpServer

TODAY = datetime.date(2018, 6, 20)


@pytest.fixture
def tasks(tree, standing):
    standing.email = "dung@example.vn"
    standing.save()
    CommitteeMailbox.objects.create(organization=tree.d, committee=Committee.ORGANIZATION, email="btc@example.vn")
    plan = make_plan(tree.a, 2018, state=Plan.State.IN_PROGRESS)
    return {
        "overdue": make_task(plan, assignee=standing, title="Dự sinh hoạt Nặm Bao", due=TODAY - datetime.timedelta(2)),
        "soon": make_task(
            plan, committee=Committee.ORGANIZATION, title="Mở lớp bồi dưỡng", due=TODAY + datetime.timedelta(7)
        ),
        "later": make_task(plan, assignee=standing, title="Tổng kết", due=TODAY + datetime.timedelta(8)),
        "done": make_task(plan, assignee=standing, title="Đã xong", due=TODAY, state=Task.State.DONE),
        "draft": make_task(make_plan(tree.b, 2018), assignee=standing, title="Kế hoạch chưa thông qua", due=TODAY),
    }


def test_each_assignee_gets_one_email_about_their_due_tasks(tasks):
    result = reminders_send(today=TODAY)

    assert (result.sent_emails, result.tasks_reminded) == (2, 2)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"dung@example.vn", "btc@example.vn"}
    member = by_recipient["dung@example.vn"].body
    assert "Dự sinh hoạt Nặm Bao" in member and "18/06/2018" in member
    assert "Tổng kết" not in member and "Đã xong" not in member and "Kế hoạch chưa thông qua" not in member
    assert "Mở lớp bồi dưỡng" in by_recipient["btc@example.vn"].body


def test_running_again_the_same_day_sends_nothing_and_the_next_day_sends_again(tasks):
    reminders_send(today=TODAY)
    again = reminders_send(today=TODAY)

    assert again.sent_emails == 0
    assert len(mail.outbox) == 2
    assert ReminderLog.objects.filter(day=TODAY).count() == 2

    reminders_send(today=TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 4


def test_the_scheduled_task_twice_in_a_day_reminds_once(tasks):
    # Run on the real today, when every 2018 task of the adopted plan is long overdue.
    first = send_task_reminders.delay().get()
    second = send_task_reminders.delay().get()

    assert first == {"emails": 2, "tasks": 3}
    assert second == {"emails": 0, "tasks": 0}
    assert len(mail.outbox) == 2


def test_the_database_refuses_a_second_reminder_for_a_task_on_a_day(tasks):
    ReminderLog.objects.create(task=tasks["overdue"], day=TODAY, recipient="dung@example.vn")

    with pytest.raises(IntegrityError):
        ReminderLog.objects.create(task=tasks["overdue"], day=TODAY, recipient="dung@example.vn")


def test_a_refused_mailbox_is_retried_alone_and_the_others_are_recorded_once(tasks, settings):
    """A real SMTP conversation: the mail server refuses the member's mailbox (550), takes the committee's."""
    smtp = SmtpServer(refused={"dung@example.vn"}).start()
    for name, value in smtp.settings().items():
        setattr(settings, name, value)
    try:
        first = reminders_send(today=TODAY)

        assert (first.sent_emails, first.failed) == (1, ["dung@example.vn"])
        assert set(ReminderLog.objects.values_list("recipient", flat=True)) == {"btc@example.vn"}
        assert not Notification.objects.filter(kind=Notification.Kind.TASK_DUE).exists()  # dung's not half-sent

        smtp.refused.clear()
        second = reminders_send(today=TODAY)

        assert (second.sent_emails, second.tasks_reminded, second.failed) == (1, 1, [])
        assert (len(smtp.received("btc@example.vn")), len(smtp.received("dung@example.vn"))) == (1, 1)
        assert reminders_send(today=TODAY).sent_emails == 0
        assert ReminderLog.objects.count() == 2 and len(smtp.delivered) == 2
    finally:
        smtp.stop()


def test_a_committee_without_an_address_is_skipped(tasks):
    CommitteeMailbox.objects.all().delete()

    result = reminders_send(today=TODAY)

    assert [m.to for m in mail.outbox] == [["dung@example.vn"]]
    assert result.tasks_reminded == 1


def test_the_daily_schedule_exists_and_beat_starting_keeps_an_admin_edit(db, monkeypatch):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from vanlang.celery import app

    task = PeriodicTask.objects.get(task="plans.send_task_reminders")  # created by a migration, once
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("7", "0")
    assert str(task.crontab.timezone) == "Asia/Ho_Chi_Minh"
    assert not app.conf.beat_schedule  # nothing in the settings that beat would write back

    # Staff move it to 09:30 in the admin; then beat starts (its database scheduler loads).
    task.crontab = CrontabSchedule.objects.create(minute="30", hour="9", timezone="Asia/Ho_Chi_Minh")
    task.save()
    # Beat drops stale connections between ticks; in a test transaction that would end the test's own.
    monkeypatch.setattr("django_celery_beat.schedulers.close_old_connections", lambda: None)
    DatabaseScheduler(app=app, lazy=False)

    task.refresh_from_db()
    assert (task.crontab.hour, task.crontab.minute) == ("9", "30")


def test_two_runs_at_the_same_moment_still_remind_once(transactional_db, tree, standing, settings):
    """Two workers racing: the unique log row makes the second wait for the first, then skip."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (CI runs this on PostgreSQL)")
    import threading

    from django.db import connection

    standing.email = "dung@example.vn"
    standing.save()
    plan = make_plan(tree.a, 2018, state=Plan.State.IN_PROGRESS)
    for i in range(5):
        make_task(plan, assignee=standing, title=f"Việc {i}", due=TODAY)
    barrier, results, errors = threading.Barrier(2), [], []

    def run():
        try:
            barrier.wait()
            results.append(reminders_send(today=TODAY).tasks_reminded)
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
    assert sorted(results) == [0, 5]
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.count() == 5
