"""In Chromium, in Vietnamese: a cancelled plan offers no edit button and says why; a unit dissolved
before the support year cannot be selected; the grassroots page names its weak cells."""

import datetime

import pytest

from assessments.models import Level
from cells.models import Organization
from plans.models import Candidate, Plan
from tests.assessments.factories import classify
from tests.conftest import browser_login, make_org
from tests.plans.factories import make_candidate, make_plan, make_task

pytestmark = [pytest.mark.browser, pytest.mark.vietnamese]


def test_a_cancelled_plan_and_its_task_offer_no_change(page, tree, alice, standing, transactional_db):
    plan = make_plan(tree.a, 2018, state=Plan.State.CANCELLED)
    task = make_task(plan, assignee=standing)
    browser_login(page, alice.username)

    page.goto(f"{page.base_url}/cung-co/ke-hoach/{plan.pk}/")
    assert "không thể thay đổi" in page.inner_text("#plan-closed")
    assert page.locator(f"a[href='/cung-co/ke-hoach/{plan.pk}/sua/']").count() == 0
    assert page.locator(f"a[href='/cung-co/ke-hoach/{plan.pk}/them-nhiem-vu/']").count() == 0

    page.goto(f"{page.base_url}/cung-co/nhiem-vu/{task.pk}/")
    assert page.locator("#plan-closed").count() == 1
    assert page.locator(f"a[href='/cung-co/nhiem-vu/{task.pk}/sua/']").count() == 0
    assert page.locator("textarea[name=text]").count() == 0  # no report form

    # Typing the address anyway: back to the plan, with the reason.
    page.goto(f"{page.base_url}/cung-co/nhiem-vu/{task.pk}/sua/")
    assert page.url.endswith(f"/cung-co/ke-hoach/{plan.pk}/")
    assert "không thể thay đổi" in page.inner_text("main")


def test_a_dissolved_unit_cannot_be_selected_for_the_year_after(page, tree, standing, transactional_db):
    bac_hung = make_org(
        "D-BH", "Đảng bộ xã Bắc Hùng", Organization.Kind.GRASSROOTS_COMMITTEE, tree.d, founded=datetime.date(2020, 1, 1)
    )
    trung_quan = make_org(
        "D-TQ",
        "Đảng bộ xã Trùng Quán",
        Organization.Kind.GRASSROOTS_COMMITTEE,
        tree.d,
        dissolved=datetime.date(2019, 12, 31),
        successor=bac_hung,
    )
    candidate = make_candidate(trung_quan, 2020, level=Level.COMPLETE)
    browser_login(page, standing.username)
    page.goto(f"{page.base_url}/cung-co/ung-vien/{candidate.pk}/quyet-dinh/")
    page.check("input[name=decision][value=selected]")
    page.fill("textarea[name=reason]", "Xếp loại năm 2019: Hoàn thành nhiệm vụ")
    page.fill("input[name=number]", "5-QĐ/HU")
    page.fill("input[name=date]", "2020-01-10")
    with page.expect_navigation():
        page.locator("main form[method=post] button[type=submit]").first.click()
    text = page.inner_text("main")
    assert "đã giải thể ngày 31/12/2019" in text and "Đảng bộ xã Bắc Hùng" in text
    candidate.refresh_from_db()
    assert candidate.decision == Candidate.Decision.PENDING


def test_the_grassroots_page_names_its_weak_cells(page, tree, alice, transactional_db):
    classify(tree.a1, 2018, "complete")
    browser_login(page, alice.username)
    page.goto(f"{page.base_url}/to-chuc/{tree.a.code}/")
    section = page.inner_text("#classification-panel")
    assert "Chi bộ Nặm Bao" in section and "Hoàn thành nhiệm vụ" in section
