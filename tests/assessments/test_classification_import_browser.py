"""In Chromium, with a real worker: upload a classification file, follow its check, confirm,
watch the import's bar reach its end, reload, and read the counts."""

from pathlib import Path

import pytest
from django.urls import reverse

from assessments.models import Classification
from cells.models import Run
from tests.conftest import browser_login

SCREENS = Path("/tmp/vanlang-screens")


@pytest.mark.browser
@pytest.mark.celery_worker
def test_import_classifications_in_the_browser(page, celery_worker, alice, tree, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # the worker reads the upload by its full path
    path = tmp_path / "ket-qua-2018.csv"
    path.write_text("code,year,level\nD-A,2018,Hoàn thành tốt nhiệm vụ\nD-B,2018,complete\nD-A-1,2018,good\n")
    browser_login(page, "alice")
    page.goto(page.base_url + reverse("plans:home"))
    page.click("#home-import-classifications")

    page.set_input_files("input[type=file]", str(path))
    page.click("#import-upload button[type=submit]")
    # The check runs on the worker; the page follows it and shows what the import will do.
    page.locator("#import-confirm").wait_for(timeout=60_000)
    assert "3" in page.locator("#import-counts").inner_text()
    assert not Classification.objects.exists()

    page.click("#import-confirm button[type=submit]")
    page.wait_for_url("**/xep-loai/nhap-tep/lan/*/")
    page.locator("#import-done").wait_for(timeout=60_000)
    assert page.evaluate("document.getElementById('run-bar').style.width") == "100%"
    page.reload()  # the run's own page: reloading shows the same outcome
    done = page.locator("#import-done").inner_text()
    assert "3" in done and "ket-qua-2018.csv" in done
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / "classification-import-run.png"), full_page=True)

    run = Run.objects.filter(kind=Run.Kind.IMPORT_CLASSIFICATIONS, params__preview__isnull=True).get()
    assert (run.state, run.counts["created"], run.requested_by) == ("done", 3, alice)
    assert Classification.objects.filter(state="final", year=2018).count() == 3
