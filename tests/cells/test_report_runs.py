"""Reports and exports written by a background run: the button, the run's page, the file's download.

The compliance export stands for them all here (tests/plans/test_reports.py and
tests/test_exports_never_run_formulas.py read every report's files; tests/plans/test_plan_pdf.py
the long plan's). Runs go through the same service and task whichever report they write.
"""

import datetime
import io
import re
import time

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from cells.models import ReportFile, Run
from cells.report_runs import report_files_forget, report_run_start, report_run_work
from cells.runs import run_here, runs_sweep
from tests.cells.factories import make_meeting
from tests.reports import file_of, report_run
from tests.test_runs_faults import broker, workers  # noqa: F401  (fixtures: a redis-server of the test's own)


def compliance(org, year=2018):
    return reverse("cells:meeting_compliance", kwargs={"org_code": org.code, "year": year})


def run_page(run):
    return reverse("cells:report_run", kwargs={"report_run_id": run.pk})


@pytest.fixture
def staff(client, alice):
    client.force_login(alice)
    return client


def test_the_button_records_a_run_whose_page_offers_the_file(staff, tree, alice, reports_at_once):
    make_meeting(tree.a1, date=datetime.date(2018, 3, 5))
    page = staff.get(compliance(tree.d)).content.decode()
    assert '<form method="post"' in page and 'id="export-xlsx"' in page

    run = report_run(staff, compliance(tree.d))
    run.refresh_from_db()
    assert (run.kind, run.state, run.scope, run.year, run.requested_by) == ("report", "done", tree.d, 2018, alice)
    assert run.params["report"] == "compliance" and run.counts == {"rows": 2, "bytes": run.file.size}
    body = staff.get(run_page(run)).content.decode()
    assert "sinh-hoat-D-2018.xlsx is ready" in body and "2 rows." in body
    assert reverse("cells:report_download", kwargs={"report_run_id": run.pk}) in body
    assert compliance(tree.d) in body  # back to the page it was asked on

    response = file_of(staff, run)
    assert response["Content-Disposition"] == 'attachment; filename="sinh-hoat-D-2018.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[2:]] == ["D-A", "D-B"]
    # The stored name is ours (the run and a random part), under MEDIA_ROOT/reports, never public.
    assert re.fullmatch(rf"reports/\d{{4}}/\d{{2}}/{run.pk}-[\w-]{{12}}\.xlsx", run.file.file.name)
    assert (reports_at_once / run.file.file.name).exists()


def test_the_file_it_writes_leaves_a_change_log_entry_naming_the_job_and_who_asked(staff, tree, reports_at_once):
    run = report_run(staff, compliance(tree.a))
    entry = LogEntry.objects.get_for_object(ReportFile.objects.get(run=run)).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor.username == "alice"
    assert entry.additional_data["job"] == "runs.report" and entry.additional_data["organization"] == "D-A"


def test_another_units_user_is_refused_the_run_its_progress_and_its_file(
    client, tree, alice, charlie, bob, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    district = report_run_start(report="compliance", scope=tree.d, year=2018, user=alice, title="t", back_url="/")
    commune = report_run_start(report="compliance", scope=tree.a, year=2018, user=alice, title="t", back_url="/")
    for run in (district, commune):
        run_here(run=run, work=report_run_work)

    def answers(user, run):
        client.force_login(user)
        return [
            client.get(run_page(run)).status_code,
            client.get(reverse("cells:run_status", kwargs={"run_id": run.pk})).status_code,
            file_of(client, run).status_code,
        ]

    assert answers(charlie, district) == answers(charlie, commune) == [404, 404, 404]  # district X
    assert answers(bob, district) == [404, 404, 404]  # commune A's secretary: the district is above him
    assert answers(bob, commune) == [200, 200, 200]  # ...his own commune's file is his to read
    assert answers(alice, district) == [200, 200, 200]
    assert client.post(compliance(tree.y)).status_code == 404  # asking for another unit's: refused too


def test_a_double_click_asks_once(staff, tree, reports_at_once):
    page = staff.get(compliance(tree.d)).content.decode()
    token = re.search(r'name="once" value="([^"]+)"', page).group(1)
    first = staff.post(compliance(tree.d), {"once": token})
    second = staff.post(compliance(tree.d), {"once": token})
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Run.objects.filter(kind=Run.Kind.REPORT).count() == 1
    staff.post(compliance(tree.d))  # asked again on purpose (a new page, a new token): a new file
    assert Run.objects.filter(kind=Run.Kind.REPORT).count() == 2


def test_the_page_shows_the_bar_until_the_file_is_there_and_survives_a_reload(staff, tree, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    run = report_run_start(report="compliance", scope=tree.d, year=2018, user=alice, title="Sinh hoạt", back_url="/")
    for _ in range(2):  # a reload finds it as it was
        body = staff.get(run_page(run)).content.decode()
        assert 'data-run-status="' in body and 'id="run-bar"' in body
        assert "report-download" not in body and "You may leave this page" in body
    run_here(run=run, work=report_run_work)
    body = staff.get(run_page(run)).content.decode()
    assert "data-run-status" not in body and 'id="report-download"' in body


def test_an_unknown_report_fails_with_a_message(staff, tree, alice):
    run = report_run_start(report="nothing", scope=tree.d, year=2018, user=alice, title="t", back_url="/")
    run = run_here(run=run, work=report_run_work)
    assert run.state == Run.State.FAILED and "does not exist any more" in run.error
    assert not ReportFile.objects.exists()


def test_old_files_are_deleted_daily_each_with_its_entry(tree, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.VANLANG_REPORT_FILES_KEEP_DAYS = 7
    runs = [report_run_start(report="compliance", scope=tree.a, year=2018, user=alice, title="t", back_url="/")]
    runs.append(report_run_start(report="compliance", scope=tree.b, year=2018, user=alice, title="t", back_url="/"))
    for run in runs:
        run_here(run=run, work=report_run_work)
    old = ReportFile.objects.get(run=runs[0])
    ReportFile.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))

    assert report_files_forget() == 1
    assert list(ReportFile.objects.values_list("run", flat=True)) == [runs[1].pk]
    assert not (tmp_path / old.file.name).exists() and (tmp_path / runs[1].file.file.name).exists()
    assert LogEntry.objects.get_for_object(old).filter(action=LogEntry.Action.DELETE).count() == 1
    assert report_files_forget() == 0
    # The schedule is a django-celery-beat entry (migration cells 0015), editable in the admin.
    entry = PeriodicTask.objects.get(task="cells.report_files_forget")
    assert entry.enabled and (entry.crontab.hour, entry.crontab.minute) == ("2", "30")


# ---------------------------------------------------------------- the broker down (tests/test_runs_faults.py)


def test_with_the_broker_down_the_button_answers_at_once_and_the_file_comes_when_it_is_back(
    broker,  # noqa: F811
    workers,  # noqa: F811
    tree,
    client,
    alice,
    settings,
    tmp_path,
    monkeypatch,  # noqa: F811
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(tmp_path))  # the workers write where this process reads
    make_meeting(tree.a1, date=datetime.date(2018, 3, 5))
    client.force_login(alice)

    started = time.monotonic()
    response = client.post(compliance(tree.d))
    assert time.monotonic() - started < 2
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert page.count("The work queue cannot be reached right now") == 2  # the message, and beside the bar
    run = Run.objects.get(kind=Run.Kind.REPORT)
    assert (run.state, run.sent_at) == (Run.State.QUEUED, None)

    broker.start()
    workers()
    assert runs_sweep()["sent"] == 1
    deadline = time.monotonic() + 60
    while not run.finished and time.monotonic() < deadline:
        time.sleep(0.3)
        run.refresh_from_db()
    assert (run.state, run.attempts) == (Run.State.DONE, 1), run.error
    response = file_of(client, run)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[2:]] == ["D-A", "D-B"]
