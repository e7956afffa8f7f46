"""In Chromium: national staff ask for a report's workbook while the queue is down, watch its run's
page, and download the file once a worker has written it; the page survives a reload."""

import io

import pytest
from openpyxl import load_workbook

from cells.models import Run
from cells.runs import runs_sweep
from tests.assessments.factories import classify
from tests.conftest import browser_login, make_user
from tests.test_runs_faults import broker, workers  # noqa: F401  (fixtures: a redis-server of the test's own)


@pytest.mark.browser
def test_national_staff_follow_a_report_run_and_download_its_file(
    broker,  # noqa: F811
    workers,  # noqa: F811
    page,
    tree,
    settings,
    tmp_path,
    monkeypatch,
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(tmp_path))  # the worker writes where the site reads
    classify(tree.a, 2018, "good")
    classify(tree.y, 2018, "complete")
    make_user("trunguong", "staff", tree.province)  # the top of the tree: every district
    browser_login(page, "trunguong")

    page.goto(page.base_url + f"/bao-cao/{tree.province.code}/2018/")
    page.locator("#reports form").first.locator("button").click()  # the classification report, Excel
    page.wait_for_url("**/tep-xuat/*/")
    run = Run.objects.get(kind=Run.Kind.REPORT)
    assert (run.scope, run.params["kind"], run.params["format"]) == (tree.province, "xep-loai", "xlsx")
    # The queue is down: the page says the run waits for it, with its bar at the start.
    assert page.locator("#run-waiting").is_visible()
    assert page.evaluate("document.getElementById('run-bar').style.width") == "0%"
    assert page.locator("#report-download").count() == 0
    page.reload()  # the page survives a reload
    assert page.locator("#run-waiting").is_visible()

    # The queue is back: the sweep sends the run to a worker; the page, polling, shows the file.
    broker.start()
    workers()
    # The province's home page, shown after sign-in, asked for its stored figures meanwhile: both wait.
    waiting = set(Run.objects.filter(state=Run.State.QUEUED).values_list("kind", flat=True))
    assert waiting == {Run.Kind.REPORT, Run.Kind.HOME_SNAPSHOT}
    assert runs_sweep()["sent"] == 2
    page.locator("#report-download").wait_for(timeout=60_000)
    assert page.evaluate("document.getElementById('run-bar').style.width") == "100%"
    assert "bao-cao-xep-loai-P-2018.xlsx" in page.locator("#report-done").inner_text()

    with page.expect_download() as download:
        page.click("#report-download")
    assert download.value.suggested_filename == "bao-cao-xep-loai-P-2018.xlsx"
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    listed = [row[0] for row in list(book.worksheets[2].iter_rows(values_only=True))[2:]]
    assert listed == ["D-A", "D-B", "X-Y"]  # every district's grassroots organizations

    page.reload()
    assert page.locator("#report-download").is_visible()
