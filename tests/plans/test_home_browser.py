"""Each role signs in to the Văn Lãng demo in Chromium, reads its home page against the records,
follows a link from it to the work and completes it.

Selectors use ids and addresses, not wording, so the tests hold in either language.
"""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cells.demo import DEMO_PASSWORD
from cells.meeting_services import previous_month
from cells.models import Meeting, Organization
from plans.models import Candidate, Plan, Task
from plans.services.plans import candidate_decide
from tests.cells.test_security_browser import watch_policy
from tests.conftest import browser_login

pytestmark = pytest.mark.browser
# The demo's units ended with the 2025 reform: a secretary's working day is played in the story's years.
STORY_DAY = datetime.date(2019, 12, 10)


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return Organization.objects.get(code="VL")


@pytest.fixture
def story_day(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: STORY_DAY)
    return STORY_DAY


def sign_in(page, username):
    """Sign in; the home is the first page, and no script or style is refused by the page's policy."""
    violations = watch_policy(page)
    browser_login(page, username, DEMO_PASSWORD)
    assert page.url == page.base_url + "/"
    assert not violations, violations


def count_of(page, selector):
    return int(page.inner_text(selector).strip())


def test_staff_see_the_cycle_and_write_the_plan_of_a_selected_unit(page, demo):
    district = demo
    pending = Candidate.objects.filter(
        organization__path__startswith=district.path,
        status=Candidate.Status.PROPOSED,
        decision=Candidate.Decision.PENDING,
    ).order_by("organization__name_folded")
    pending_count = pending.count()
    assert pending_count > 0
    thuong_vu = Candidate.objects.get(organization__code="VL-THUYHUNG").decided_by
    chosen = pending.first()
    candidate_decide(
        candidate=chosen,
        decision=Candidate.Decision.SELECTED,
        reason="Hai năm liền chỉ hoàn thành nhiệm vụ",
        number="Số 35-QĐ/HU",
        date=datetime.date(2019, 1, 16),
        decided_by=thuong_vu,
    )

    sign_in(page, "canbo")
    assert count_of(page, "#h-pending .badge") == pending_count - 1
    assert count_of(page, "#h-without-plan .badge") == 1
    assert chosen.organization.name in page.inner_text("#without-plan")
    overdue = Task.objects.filter(
        plan__organization__path__startswith=district.path,
        state__in=Task.OPEN_STATES,
        due__lt=timezone.localdate(),
        plan__state__in=(Plan.State.DRAFT, Plan.State.ADOPTED, Plan.State.IN_PROGRESS),
    ).count()
    assert count_of(page, "#h-overdue .badge") == overdue
    done = Plan.objects.filter(state=Plan.State.COMPLETED).count()
    assert f": {done}" in page.inner_text("#plan-counts li:nth-child(3)")
    assert page.locator("#plans-chart").count() == 1
    page.screenshot(path="/tmp/home-staff.png", full_page=True)

    with page.expect_navigation():
        page.click(f"#without-plan a[href='{reverse('plans:plan_create', args=[chosen.pk])}']")
    page.fill("input[name=number]", "số 62-kh/hu")
    page.fill("input[name=issued_on]", "20/02/2019")
    page.fill("textarea[name=weaknesses]", "Nhiều chi bộ sinh hoạt không đều.")
    page.select_option("select[name=lead]", str(thuong_vu.pk))
    page.select_option("select[name=targets-0-kind]", "regular_meetings")
    page.fill("input[name=targets-0-number]", "12")
    page.click("button[data-formset-add=targets]")
    page.select_option("select[name=targets-1-kind]", "level")
    page.select_option("select[name=targets-1-level]", "good")
    page.screenshot(path="/tmp/plan-form.png", full_page=True)
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    plan = Plan.objects.get(candidate=chosen)
    assert (plan.number, plan.issued_on, plan.targets.count()) == ("62-KH/HU", datetime.date(2019, 2, 20), 2)
    assert page.url.endswith(reverse("plans:detail", args=[plan.pk]))

    page.goto(page.base_url + "/")
    assert count_of(page, "#h-without-plan .badge") == 0


def test_a_standing_member_marks_their_task_done_from_the_home(page, demo):
    member = Task.objects.filter(assignee__username="thuongvu").first().assignee
    mine = (
        Task.objects.filter(assignee=member, state__in=Task.OPEN_STATES)
        .exclude(plan__state__in=(Plan.State.COMPLETED, Plan.State.CANCELLED))
        .order_by("due")
    )
    led = Plan.objects.filter(lead=member).exclude(state=Plan.State.CANCELLED).count()
    task = mine.first()

    sign_in(page, "thuongvu")
    page.screenshot(path="/tmp/home-standing.png", full_page=True)
    assert page.locator("#my-tasks > li[data-task]").count() == mine.count()
    assert task.title in page.inner_text("#my-tasks > li[data-task]:first-child")
    assert page.locator("#led-plans > li").count() == led

    with page.expect_navigation():
        page.click(f"#my-tasks a[href='{reverse('plans:task_detail', args=[task.pk])}?hoan-thanh=1#report']")
    assert page.is_checked("input[name=done]")
    page.fill("input[name=reported_on]", timezone.localdate().strftime("%d/%m/%Y"))
    page.fill("textarea[name=text]", "Đã dự đủ các buổi sinh hoạt; chi bộ Bản Đon sinh hoạt đều.")
    with page.expect_navigation():
        page.click("form[action$='/bao-cao/'] button[type=submit]")
    task.refresh_from_db()
    assert task.state == Task.State.DONE

    page.goto(page.base_url + "/")
    assert page.locator("#my-tasks > li[data-task]").count() == mine.count()  # the queryset now leaves it out
    assert task.title not in page.inner_text("#my-tasks")


def test_a_secretary_records_last_months_meeting_from_the_home_on_a_phone(phone_page, demo, story_day):
    page = phone_page
    gia_mien = Organization.objects.get(code="VL-GIAMIEN")
    month = previous_month(story_day)
    cells = Organization.objects.within(gia_mien).cells().active_on(story_day)
    met = Meeting.objects.filter(organization__in=cells, date__gte=month, kind__in=Meeting.REGULAR_KINDS)

    sign_in(page, "bithu.giamien")
    assert page.locator("#my-cells > li[data-cell]").count() == cells.count()
    assert f"{cells.count() - met.count()}" in page.inner_text("#cells-missing")
    page.screenshot(path="/tmp/home-secretary.png", full_page=True)
    nam_bao = cells.get(name="Chi bộ Nặm Bao")
    record = page.locator(f"#my-cells a[href$='?to-chuc={nam_bao.code}']")
    assert record.is_visible() and record.bounding_box()["height"] >= 30  # a tap target on a phone

    with page.expect_navigation():
        record.click()
    day = month + datetime.timedelta(days=4)
    page.fill("#id_date", day.strftime("%d/%m/%Y"))
    page.select_option("#id_kind", "regular")
    page.fill("#id_duration_minutes", "95")
    page.fill("#id_members_total", "18")
    page.fill("#id_members_present", "18")
    with page.expect_navigation():
        page.click("#meeting-form button[type=submit]:not([name])")
    assert Meeting.objects.filter(organization=nam_bao, date=day).exists()

    page.goto(page.base_url + "/")
    row = page.locator("#my-cells > li[data-cell]", has_text="Chi bộ Nặm Bao")
    assert row.locator(".text-success-emphasis").count() == 1


def test_an_auditor_sees_the_latest_changes_and_opens_the_admin(page, demo):
    nam_bao = Organization.objects.get(code="VL-GIAMIEN-NAMBAO")
    nam_bao.name = "Chi bộ thôn Nặm Bao"
    nam_bao.save()  # the newest change in the scope

    sign_in(page, "kiemtra")
    rows = page.locator("#changes tbody tr")
    assert 0 < rows.count() <= 20
    assert "Chi bộ thôn Nặm Bao" in rows.first.inner_text()
    entry = LogEntry.objects.get_for_object(nam_bao).first()
    with page.expect_navigation():
        rows.first.locator("a").click()
    assert page.url.endswith(reverse("admin:auditlog_logentry_change", args=[entry.pk]))
    page.goto(page.base_url + "/")
    with page.expect_navigation():
        page.click("#open-admin")
    assert page.url.endswith(reverse("admin:index"))
