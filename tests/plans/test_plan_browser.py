"""The whole path in Chromium: decision, plan, tasks, a progress report, a refused report, the outcome.

Selectors use names, ids and addresses, not wording, so the test holds in either language.
"""

import pytest

from assessments.models import Level
from plans.models import Candidate, Plan, ProgressReport, Task
from tests.conftest import browser_login, make_user
from tests.plans.factories import classify, make_candidate

pytestmark = pytest.mark.browser


def switch_user(page, username):
    page.context.clear_cookies()
    browser_login(page, username)


def submit(page, form_selector="main form[method=post]"):
    with page.expect_navigation():
        page.locator(form_selector).locator("button[type=submit]").first.click()


def test_from_the_decision_to_the_outcome(page, tree, alice, standing, transactional_db):
    other = make_user("lam", "standing", tree.d)
    candidate = make_candidate(tree.a, 2018, level=Level.COMPLETE)
    base = page.base_url

    # A standing member selects the candidate.
    browser_login(page, standing.username)
    page.goto(f"{base}/cung-co/ung-vien/{candidate.pk}/quyet-dinh/")
    page.check("input[name=decision][value=selected]")
    page.fill("textarea[name=reason]", "Xếp loại năm 2017: Hoàn thành nhiệm vụ; nhiều chi bộ sinh hoạt không đều")
    page.fill("input[name=number]", "15-QĐ/HU")
    page.fill("input[name=date]", "2018-01-18")
    submit(page)
    candidate.refresh_from_db()
    assert (candidate.decision, candidate.decided_by) == (Candidate.Decision.SELECTED, standing)
    assert "15-QĐ/HU" in page.inner_text("#decision-state")

    # Staff write the plan and its tasks.
    switch_user(page, alice.username)
    page.goto(f"{base}/cung-co/ung-vien/{candidate.pk}/quyet-dinh/")
    with page.expect_navigation():
        page.click(f"a[href='/cung-co/ung-vien/{candidate.pk}/lap-ke-hoach/']")
    page.fill("input[name=number]", "45-KH/HU")
    page.fill("input[name=issued_on]", "2018-02-20")
    page.fill("textarea[name=weaknesses]", "Chi bộ Nặm Bao chỉ sinh hoạt 6 lần trong năm.")
    page.fill("textarea[name=causes]", "Cấp ủy chưa sâu sát.")
    page.select_option("select[name=lead]", str(standing.pk))
    page.select_option("select[name=targets-0-kind]", "regular_meetings")
    page.fill("input[name=targets-0-number]", "12")
    page.click("button[data-formset-add=targets]")  # a second row, without a round trip
    page.select_option("select[name=targets-1-kind]", "level")
    page.select_option("select[name=targets-1-level]", "good")
    submit(page)
    plan = Plan.objects.get()
    assert page.url.endswith(f"/cung-co/ke-hoach/{plan.pk}/")
    assert plan.targets.count() == 2

    for title, choose in [
        (
            "Dự sinh hoạt chi bộ Nặm Bao hằng tháng",
            lambda: page.select_option("select[name=assignee]", str(standing.pk)),
        ),
        ("Hướng dẫn ghi sổ biên bản", lambda: page.select_option("select[name=committee]", "organization")),
    ]:
        page.goto(f"{base}/cung-co/ke-hoach/{plan.pk}/them-nhiem-vu/")
        page.fill("input[name=title]", title)
        choose()
        page.fill("input[name=due]", "2018-06-30")
        submit(page)
    assert Task.objects.filter(plan=plan).count() == 2

    submit(page, "form:has(input[name=to][value=adopted])")
    submit(page, "form:has(input[name=to][value=in_progress])")
    plan.refresh_from_db()
    assert plan.state == Plan.State.IN_PROGRESS

    # The assignee finds the task among theirs and reports progress.
    task = Task.objects.get(assignee=standing)
    switch_user(page, standing.username)
    page.goto(f"{base}/cung-co/nhiem-vu-cua-toi/")
    assert page.locator("tr[data-urgency=overdue]").count() == 1  # due 30/06/2018, long past
    with page.expect_navigation():
        page.click(f"a[href='/cung-co/nhiem-vu/{task.pk}/']")
    page.fill("textarea[name=text]", "Đã dự sinh hoạt tháng 3 của Chi bộ Nặm Bao; góp ý nội dung chuyên đề.")
    page.fill("input[name=reported_on]", "2018-03-28")
    submit(page, "form[action$='/bao-cao/']")
    assert "góp ý nội dung chuyên đề" in page.inner_text("#reports")

    # Another standing member cannot report on it: no form, and a forged post is refused.
    switch_user(page, other.username)
    page.goto(f"{base}/cung-co/nhiem-vu/{task.pk}/")
    assert page.locator("form[action$='/bao-cao/']").count() == 0
    assert page.locator("#not-yours").is_visible()
    status = page.evaluate(
        """async (url) => {
            const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1];
            const body = new URLSearchParams({reported_on: '2018-04-01', text: 'Báo cáo hộ'});
            const response = await fetch(url, {method: 'POST', body, headers: {'X-CSRFToken': token}});
            return response.status;
        }""",
        f"{base}/cung-co/nhiem-vu/{task.pk}/bao-cao/",
    )
    assert status == 403
    assert ProgressReport.objects.count() == 1

    # The next year's result is entered; the outcome appears.
    classify(tree.a, 2018, Level.GOOD)
    page.goto(f"{base}/cung-co/ke-hoach/{plan.pk}/")
    assert page.locator("#outcome-badge").is_visible()
    assert plan_outcome(plan) == "improved"
    page.goto(f"{base}/cung-co/tong-hop/")
    assert "1/1 = 100.00%" in page.inner_text("#improved-share")  # tests read English: 100,00% in Vietnamese


def plan_outcome(plan):
    from plans.queries.plans import consolidation

    return consolidation(plan.organization).rows[0].outcome
