"""The candidates page: the year's list with reasons and history, filter, Excel, the job's
button with its progress, and the schedule staff can change."""

import io
import json

import pytest
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from cells.models import Organization, Run
from plans.models import Candidate, JobRun
from plans.services.candidates import candidates_flag
from tests.assessments.factories import classify
from tests.conftest import make_org


def url(year=2019):
    return reverse("plans:candidates_year", kwargs={"year": year})


@pytest.fixture
def flagged(tree):
    classify(tree.a, 2016, "good")
    classify(tree.a, 2017, "complete")
    classify(tree.a, 2018, "complete")
    classify(tree.b, 2018, "incomplete")
    classify(tree.y, 2018, "incomplete")  # district X: not on D's page
    candidates_flag(year=2018)


def test_lists_the_scope_candidates_with_reasons_and_history(client, alice, flagged):
    client.force_login(alice)
    body = client.get(url()).content.decode()
    assert "candidate-D-A" in body and "candidate-D-B" in body and "X-Y" not in body
    row = body[body.index('id="candidate-D-A"') : body.index('id="candidate-D-B"')]
    assert "Hoàn thành nhiệm vụ" in row
    assert ">2016<" in row and ">2017<" in row and ">2018<" in row  # level history
    assert reverse("cells:detail", kwargs={"org_code": "D-A"}) in row


def test_filters(client, alice, flagged):
    client.force_login(alice)
    body = client.get(url(), {"level": "incomplete"}).content.decode()
    assert "candidate-D-B" in body and "candidate-D-A" not in body
    body = client.get(url(), {"q": "gia mien"}).content.decode()
    assert "candidate-D-A" in body and "candidate-D-B" not in body


def test_excel_export_has_the_filtered_rows(client, alice, flagged, reports_at_once):
    from tests.reports import report_download

    client.force_login(alice)
    # The page's button posts to the export with the page's filters in its address.
    page = client.get(url(), {"level": "complete"}).content.decode()
    export = reverse("plans:candidates_export", kwargs={"year": 2019}) + "?level=complete"
    assert f'action="{export}"' in page
    response = report_download(client, export)
    back = Run.objects.get(kind=Run.Kind.REPORT).params["back_url"]
    assert back == url() + "?level=complete"  # the run's page leads back to the filtered list
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Consolidation candidates for 2019: Đảng bộ huyện Đông"
    assert len(rows) == 3 and rows[1][0] == "Code" and rows[2][0] == "D-A"
    assert "Hoàn thành nhiệm vụ" in rows[2][5] and "2017: Hoàn thành nhiệm vụ" in rows[2][6]
    # The header stays in view and filters; the columns are wide enough to read.
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:J3"
    assert sheet.column_dimensions["B"].width >= 30


def test_the_button_runs_the_job_and_shows_the_run(client, tree, alice, django_capture_on_commit_callbacks):
    classify(tree.a, 2018, "complete")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:candidates_run", kwargs={"year": 2019}))
    run = JobRun.objects.get()
    assert response.url == f"{url()}?run={run.pk}"
    assert (run.year, run.scope, run.requested_by, run.state) == (2018, tree.d, alice, JobRun.State.DONE)
    body = client.get(response.url).content.decode()
    assert "candidate-D-A" in body and 'id="run-counts"' in body
    status = json.loads(client.get(reverse("plans:candidates_run_status", kwargs={"run_id": run.pk})).content)
    assert (status["state"], status["progress"], status["finished"]) == ("done", 100, True)


def test_a_reload_keeps_showing_the_run_the_button_started(client, tree, alice):
    """After the button, the page's address names its run: a reload shows that run, not a later one."""
    mine = JobRun.objects.create(year=2018, scope=tree.d, state=JobRun.State.RUNNING, progress=40)
    later = JobRun.objects.create(year=2018, scope=tree.d, state=JobRun.State.QUEUED)
    other_year = JobRun.objects.create(year=2017, scope=tree.d, state=JobRun.State.QUEUED)
    outside = JobRun.objects.create(year=2018, scope=tree.x, state=JobRun.State.QUEUED)
    client.force_login(alice)

    def followed(query=""):
        body = client.get(f"{url()}{query}").content.decode()
        return [run for run in (mine, later, other_year, outside) if
                reverse("plans:candidates_run_status", kwargs={"run_id": run.pk}) in body]  # fmt: skip

    assert followed(f"?run={mine.pk}") == [mine]
    assert followed() == [later]
    # Another year's run, another scope's run, or no run at that number: the latest, as without.
    for query in (f"?run={other_year.pk}", f"?run={outside.pk}", "?run=999999", "?run=%00", "?run=²"):
        assert followed(query) == [later]


def test_a_running_job_is_followed_by_the_page(client, tree, alice):
    run = JobRun.objects.create(year=2018, scope=tree.d, state=JobRun.State.RUNNING, progress=40)
    client.force_login(alice)
    body = client.get(url()).content.decode()
    assert reverse("plans:candidates_run_status", kwargs={"run_id": run.pk}) in body
    assert 'data-progress="40"' in body  # the bar is drawn by static/js/vanlang.js (no inline style)


def test_only_staff_run_the_job_and_change_the_schedule(client, tree, standing):
    client.force_login(standing)
    assert client.post(reverse("plans:candidates_run", kwargs={"year": 2019})).status_code == 403
    assert client.post(reverse("plans:candidates_schedule"), {}).status_code == 403
    body = client.get(url()).content.decode()
    assert 'id="run-job"' not in body and 'id="schedule-form"' not in body


def test_staff_change_when_the_job_runs(client, tree, alice):
    client.force_login(alice)
    response = client.post(
        reverse("plans:candidates_schedule"),
        {"enabled": "on", "frequency": "weekly", "time": "03:30", "next_year": "2019"},
    )
    assert response.url == url()
    task = PeriodicTask.objects.get(task="plans.flag_candidates_scheduled")
    assert task.task == "plans.flag_candidates_scheduled" and task.enabled
    assert json.loads(task.kwargs) == {"scope_id": tree.d.pk}
    assert (task.crontab.hour, task.crontab.minute, task.crontab.day_of_week) == ("3", "30", "1")
    client.post(reverse("plans:candidates_schedule"), {"frequency": "monthly", "time": "02:00"})
    task = PeriodicTask.objects.get(task="plans.flag_candidates_scheduled")
    assert not task.enabled and task.crontab.day_of_month == "1"


def test_a_bad_schedule_says_how_to_fix_it(client, tree, alice):
    client.force_login(alice)
    response = client.post(reverse("plans:candidates_schedule"), {"frequency": "weekly", "time": "25h"}, follow=True)
    assert "hh:mm" in response.content.decode()
    assert not PeriodicTask.objects.filter(task="plans.flag_candidates_scheduled").exists()


def test_the_scheduled_task_runs_the_latest_final_year(tree):
    from plans.tasks import flag_candidates_scheduled

    classify(tree.a, 2017, "complete")
    classify(tree.a, 2018, "complete")
    flag_candidates_scheduled.delay(scope_id=tree.d.pk)
    assert list(Candidate.objects.values_list("year", flat=True)) == [2019]
    assert JobRun.objects.get().trigger == JobRun.Trigger.SCHEDULE


@pytest.mark.parametrize("count", [2, 30])
def test_the_page_costs_the_same_queries_for_any_number_of_candidates(
    client, tree, alice, django_assert_num_queries, count
):
    for n in range(count):
        unit = make_org(f"D-K{n}", f"Đảng bộ xã Khó {n}", Organization.Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")
        classify(unit, 2017, "good")
        classify(unit, 2018, "complete")
    candidates_flag(year=2018)
    client.force_login(alice)
    # session, user, role; count and page of candidates; their level history; the latest run;
    # the schedule; the years with candidates
    with django_assert_num_queries(9):
        assert client.get(url()).status_code == 200
