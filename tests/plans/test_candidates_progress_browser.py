"""In Chromium: the candidates page follows a run that a worker is still doing, then shows the list."""

import pytest

from cells.runs import run_here
from plans.models import JobRun
from plans.services.candidates import candidates_run_work
from tests.assessments.factories import classify
from tests.conftest import browser_login


@pytest.mark.browser
def test_the_page_follows_a_running_job_until_it_finishes(page, tree, alice):
    classify(tree.a, 2018, "complete")
    run = JobRun.objects.create(year=2018, scope=tree.d, progress=30, step="…")  # queued, as a worker finds it
    browser_login(page, "alice")
    page.goto(page.base_url + "/ung-vien/2019/")
    # Drawn from data-progress by static/js/vanlang.js: the Content-Security-Policy refuses inline styles.
    assert page.evaluate("document.getElementById('run-bar').style.width") == "30%"
    assert page.locator("#candidate-D-A").count() == 0

    # What a worker would do meanwhile: the page, polling, picks it up and reloads.
    run_here(run=run, work=candidates_run_work)
    page.locator("#candidate-D-A").wait_for()
    assert page.evaluate("document.getElementById('run-bar').style.width") == "100%"
    assert "1" in page.locator("#run-counts").inner_text()
