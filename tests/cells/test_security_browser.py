"""In Chromium: the app's pages and the auditors' admin raise no Content-Security-Policy
violation; an auditor signs in with a password and an authenticator code (computed here with
django-otp's own algorithm); a wrong code is refused with a message saying what to do."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from cells.demo import DEMO_PASSWORD
from cells.models import Meeting, Organization, SecurityEvent
from tests.cells.authenticator import authenticator_code, give_authenticator
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " " + (e.target && e.target.outerHTML || "").slice(0, 160));
});"""


def watch_policy(page):
    """Collect what Chromium reports in the console when the policy blocks something (with the
    element at fault), and any script error."""
    violations = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda m: violations.append(m.text) if m.text.startswith("CSP violation") else None)
    page.on("pageerror", lambda e: violations.append(f"script error: {e}"))
    return violations


def visit(page, path, violations, seen):
    response = page.goto(page.base_url + path)
    assert response.status == 200, f"{path} answered {response.status}"
    page.wait_for_load_state("networkidle")
    seen.append(path)
    assert not violations, f"{path}: {sorted(set(violations))[:5]}"


def app_pages():
    from plans.models import Plan, Task

    plan = Plan.objects.order_by("pk").first()
    task = Task.objects.order_by("pk").first()
    meeting = Meeting.objects.filter(organization__code__startswith="VL-").order_by("pk").first()
    grassroots = Organization.objects.get(code="VL-GIAMIEN")
    return [
        reverse("plans:home"),
        reverse("cells:tree"),
        reverse("cells:search") + "?q=tan+my",
        reverse("cells:detail", kwargs={"org_code": grassroots.code}),
        reverse("cells:meeting_list"),
        reverse("cells:meeting_create"),
        reverse("cells:meeting_detail", kwargs={"meeting_id": meeting.pk}),
        reverse("cells:meeting_compliance", kwargs={"org_code": grassroots.code, "year": 2018}),
        reverse("cells:admission_overview", kwargs={"org_code": grassroots.code, "year": 2018}),
        reverse("cells:watch_list", kwargs={"year": 2018}),
        reverse("assessments:index"),
        reverse("assessments:year", kwargs={"org_code": "VL", "year": 2018}),
        reverse("assessments:entry", kwargs={"org_code": "VL", "year": 2018}),
        reverse("plans:candidates_year", kwargs={"year": 2018}),
        reverse("plans:consolidation"),
        reverse("plans:detail", kwargs={"plan_id": plan.pk}),
        reverse("plans:task_detail", kwargs={"task_id": task.pk}),
        reverse("plans:my_tasks"),
        reverse("account:password"),
        reverse("account:setup"),
    ]


def test_the_main_pages_and_the_admin_raise_no_policy_violation(page, transactional_db):
    call_command("load_demo")
    violations, seen = watch_policy(page), []
    visit(page, reverse("login"), violations, seen)
    browser_login(page, "canbo", DEMO_PASSWORD)
    for path in app_pages():
        visit(page, path, violations, seen)
    # Scripts that run on the pages: a tree branch loads, a dropdown opens, an absentee row is added.
    page.goto(page.base_url + reverse("cells:tree"))
    page.locator(".tree-toggle").first.click()
    page.goto(page.base_url + reverse("cells:meeting_create"))
    page.locator("#add-absentee").click()
    assert page.locator(".absentee-row").count() >= 1
    page.locator("#user-menu button").click()
    page.locator("#user-menu a[href='/tai-khoan/mat-khau/']").wait_for()
    assert not violations, violations

    page.locator("form[action='/dang-xuat/'] button").click()
    browser_login(page, "kiemtra", DEMO_PASSWORD)
    organization = Organization.objects.get(code="VL-GIAMIEN")
    for path in [
        reverse("admin:index"),
        reverse("admin:cells_organization_changelist"),
        reverse("admin:cells_organization_change", args=[organization.pk]),
        reverse("admin:cells_meeting_changelist") + "?kind__exact=regular",
        reverse("admin:cells_securityevent_changelist"),
        reverse("admin:auditlog_logentry_changelist"),
    ]:
        visit(page, path, violations, seen)


@pytest.mark.vietnamese
def test_an_auditor_signs_in_with_an_authenticator_code(page, tree, auditor, settings):
    settings.VANLANG_TWO_FACTOR = True
    device = give_authenticator(auditor)
    violations = watch_policy(page)
    browser_login(page, "eve")
    page.wait_for_url(re.compile(r"/dang-nhap/ma-xac-thuc/"))
    assert "Xác thực hai bước" in page.locator("h1").inner_text()

    page.fill("input[name=code]", "000000")
    page.click("main button.btn-primary")
    error = page.locator(".invalid-feedback").inner_text()
    assert "Mã không đúng hoặc đã hết hạn" in error and "mã dự phòng" in error

    page.goto(page.base_url + "/quan-tri/")  # the admin is closed until the code is given
    assert "/dang-nhap/ma-xac-thuc/" in page.url
    page.wait_for_timeout(1100)  # django-otp waits a second after a wrong code
    page.fill("input[name=code]", authenticator_code(device))
    page.click("main button.btn-primary")
    page.wait_for_url(re.compile(r"/quan-tri/$"))
    assert page.locator("#content").count() == 1
    assert not violations, violations
    assert SecurityEvent.objects.filter(user=auditor, kind="second_factor").exists()


@pytest.mark.vietnamese
def test_staff_set_up_the_authenticator_in_the_browser(page, tree, alice, settings):
    settings.VANLANG_TWO_FACTOR = True
    violations = watch_policy(page)
    browser_login(page, "alice")
    page.wait_for_url(re.compile(r"/tai-khoan/xac-thuc-hai-buoc/"))
    assert page.locator("#qr-code svg").is_visible()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    assert page.locator("#otpauth-uri").inner_text() == device.config_url
    page.fill("input[name=code]", authenticator_code(device))
    page.click("main button.btn-primary")
    assert page.locator("#recovery-codes li").count() == 10
    page.get_by_role("link", name=re.compile("tiếp tục", re.I)).click()
    page.wait_for_url(page.base_url + "/")  # the home page
    assert not violations, violations
