"""In Chromium, in Vietnamese: staff correct a final result on the year-entry page; the inspection officer
of that commune signs in with a password and an authenticator code, opens the result's change log and
reads who, when, before, after and why; another commune's result answers 404."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assessments.models import Classification
from tests.cells.authenticator import authenticator_code, give_authenticator
from tests.cells.factories import make_meeting
from tests.conftest import browser_login, make_user
from tests.test_runs_faults import broker, workers  # noqa: F401  (fixtures: a redis-server of the test's own)

pytestmark = [pytest.mark.browser, pytest.mark.vietnamese]
SCREENS = Path("/tmp/vanlang-screens")


def sign_in(page, user):
    """The password, then the code of the user's authenticator app."""
    device = give_authenticator(user)
    browser_login(page, user.username)
    page.wait_for_url(re.compile(r"/dang-nhap/ma-xac-thuc/"))
    page.fill("input[name=code]", authenticator_code(device))
    page.click("main button.btn-primary")
    page.wait_for_load_state("networkidle")
    assert "/dang-nhap/" not in page.url


def test_a_commune_auditor_reads_who_changed_a_result_when_from_what_to_what_and_why(page, tree, alice, settings):
    settings.VANLANG_TWO_FACTOR = True
    auditor = make_user("kiemtra.giamien", "auditor", tree.a)
    sign_in(page, alice)
    page.goto(page.base_url + "/xep-loai/D/2018/nhap/")
    page.select_option(f"select[name=level_{tree.a.pk}]", "complete")
    page.select_option(f"select[name=level_{tree.b.pk}]", "good")
    page.click("button[value=final]")
    page.wait_for_url("**/xep-loai/D/2018/")
    page.goto(page.base_url + "/xep-loai/D/2018/nhap/")
    page.select_option(f"select[name=level_{tree.a.pk}]", "good")
    page.click("button[value=final]")  # a final result: refused until a reason is given
    page.locator(f"input[name=reason_{tree.a.pk}]").wait_for()
    page.fill(f"input[name=reason_{tree.a.pk}]", "Phúc tra của Ủy ban Kiểm tra Huyện ủy")
    page.click("button[value=final]")
    page.wait_for_url("**/xep-loai/D/2018/")
    page.context.clear_cookies()

    sign_in(page, auditor)
    result = Classification.objects.get(organization=tree.a, year=2018)
    page.goto(page.base_url + f"/quan-tri/assessments/classification/{result.pk}/auditlog/")
    content = page.locator("#content").inner_text()
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / "audit-change-log.png"), full_page=True)
    assert "Nhật ký thay đổi" in content
    correction = page.locator(".vanlang-entry", has_text="Phúc tra").first.inner_text()
    assert "Sửa đổi" in correction and "alice" in correction  # what and who
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", correction)  # when, dd/mm/yyyy in Hà Nội time
    assert "Lý do: Phúc tra của Ủy ban Kiểm tra Huyện ủy" in correction  # why
    level = page.locator(".vanlang-entry", has_text="Phúc tra").first.locator("tr", has_text="Mức xếp loại")
    assert level.first.inner_text().split("\t")[1:] == ["Hoàn thành nhiệm vụ", "Hoàn thành tốt nhiệm vụ"]
    for english in ("Audit log", "Changes", "Created", "Updated", "Field", "From"):
        assert english not in content

    other = Classification.objects.get(organization=tree.b, year=2018)
    response = page.goto(page.base_url + f"/quan-tri/assessments/classification/{other.pk}/auditlog/")
    assert response.status == 404
    response = page.goto(page.base_url + f"/quan-tri/assessments/classification/{other.pk}/change/")
    assert response.status == 404


def test_an_auditor_exports_the_filtered_change_log_through_a_worker(
    broker,  # noqa: F811
    workers,  # noqa: F811
    page,
    tree,
    settings,
    tmp_path,
    monkeypatch,
):
    """The list's "Xuất Excel" button posts its filters; a real worker writes the file; the run's page
    offers it, and the workbook lists the filtered unit's entries only."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(tmp_path))  # the worker writes where the site reads
    in_a, in_b = make_meeting(tree.a1), make_meeting(tree.b1)
    make_user("kiemtra.huyen", "auditor", tree.d)
    broker.start()
    workers()
    browser_login(page, "kiemtra.huyen")
    page.goto(page.base_url + f"/quan-tri/auditlog/logentry/?to-chuc={tree.a.pk}")
    SCREENS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENS / "audit-change-log-list.png"))
    assert page.locator("#change-log-export button").text_content() == "Xuất Excel"
    page.click("#change-log-export button")
    page.wait_for_url("**/tep-xuat/*/")
    page.locator("#report-download").wait_for(timeout=60_000)
    page.screenshot(path=str(SCREENS / "audit-change-log-export.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#report-download")
    assert download.value.suggested_filename == "nhat-ky-thay-doi.xlsx"
    rows = list(load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active.iter_rows(values_only=True))
    assert str(in_a) in {row[3] for row in rows} and str(in_b) not in {row[3] for row in rows}
    page.click("text=Quay lại")
    assert f"to-chuc={tree.a.pk}" in page.url  # back to the list as filtered
