"""In Chromium: staff enter a year for their upper committee, meet a row error, fix it, save,
run the candidate job from the button and see the candidates."""

import pytest

from assessments.models import Classification
from tests.conftest import browser_login


@pytest.mark.browser
def test_enter_a_year_then_find_the_candidates(page, tree, alice, tmp_path):
    browser_login(page, "alice")
    page.goto(page.base_url + "/xep-loai/D/2025/nhap/")
    page.select_option(f"select[name=level_{tree.a.pk}]", "good")
    page.fill(f"input[name=score_{tree.a.pk}]", "60")  # 60 allows at most "complete"
    page.select_option(f"select[name=level_{tree.b.pk}]", "good")
    page.fill(f"input[name=score_{tree.b.pk}]", "85")
    page.fill("input[name=decision_number]", "Số 15-QĐ/ĐU")
    page.fill("input[name=decision_date]", "26/12/2025")
    page.click("button[value=final]")

    row = page.locator("#row-D-A")
    row.locator(".invalid-feedback").wait_for()
    assert "table-danger" in row.get_attribute("class")
    assert "Hoàn thành nhiệm vụ" in row.locator(".invalid-feedback").inner_text()
    assert "table-danger" not in (page.locator("#row-D-B").get_attribute("class") or "")
    assert page.input_value(f"input[name=score_{tree.b.pk}]") == "85"  # nothing typed is lost
    assert not Classification.objects.exists()
    page.screenshot(path=str(tmp_path / "row-error.png"), full_page=True)

    page.select_option(f"select[name=level_{tree.a.pk}]", "complete")
    page.click("button[value=final]")
    page.wait_for_url("**/xep-loai/D/2025/")
    assert "1/2" in page.locator("#good-or-above").inner_text()
    assert Classification.objects.filter(state="final").count() == 2

    page.click("nav >> text=Strengthening")  # the menu, in English as every test but the vietnamese ones
    page.click("nav >> text=Candidates")
    page.wait_for_url("**/ung-vien/2026/")
    page.click("#run-job")
    page.wait_for_url("**/ung-vien/2026/**")
    page.locator("#run-bar").wait_for()
    page.wait_for_function("document.getElementById('run-bar').style.width === '100%'")
    assert page.locator("#candidate-D-A").is_visible()
    assert "Hoàn thành nhiệm vụ" in page.locator("#candidate-D-A").inner_text()
    assert page.locator("#candidate-D-B").count() == 0
    page.screenshot(path=str(tmp_path / "candidates.png"), full_page=True)
