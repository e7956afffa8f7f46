"""No critical or serious axe-core violation on any page of the app outside the admin, in Chromium,
on a desktop and on a phone. axe-core is pinned and vendored in tests/vendor/axe-core/.

Each role signs in with the demo data once per viewport and every page is visited once.
"""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from cells.demo import DEMO_PASSWORD
from cells.models import Admission, Meeting, Organization
from plans.models import Candidate, Plan, Task
from tests.conftest import browser_login

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.10.3"
# WCAG 2.x A and AA, and axe's best practices; only critical and serious findings fail.
# resultTypes: only the violations are detailed, which keeps a run on a long page short.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"critical", "serious"}
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


def staff_pages():
    district = Organization.objects.get(code="VL")
    gia_mien = Organization.objects.get(name="Đảng bộ xã Gia Miễn")
    tan_my = Organization.objects.get(name="Đảng bộ xã Tân Mỹ")
    plan = Plan.objects.select_related("candidate").filter(organization=tan_my).order_by("year").first()
    pending = Candidate.objects.filter(plan__isnull=True).order_by("year", "pk").first() or plan.candidate
    task = Task.objects.filter(plan=plan).order_by("pk").first()
    meeting = Meeting.objects.order_by("pk").first()
    admission = Admission.objects.order_by("pk").first()
    pages = [
        "/",
        "/to-chuc/",
        f"/to-chuc/{district.code}/",
        f"/to-chuc/{gia_mien.code}/",
        "/tim-kiem/?q=tan+my",
        "/nhap-to-chuc/",
        "/xep-loai/nhap-tep/",
        "/sinh-hoat/nhap-tep/",
        f"/xep-loai/{district.code}/2018/",
        f"/xep-loai/{district.code}/2018/nhap/",
        "/ung-vien/2019/",
        f"/cung-co/ung-vien/{pending.pk}/quyet-dinh/",
        f"/cung-co/ung-vien/{plan.candidate_id}/lap-ke-hoach/",
        "/cung-co/ung-vien/chon-them/",
        f"/cung-co/ke-hoach/{plan.pk}/",
        f"/cung-co/ke-hoach/{plan.pk}/sua/",
        f"/cung-co/ke-hoach/{plan.pk}/them-nhiem-vu/",
        f"/cung-co/nhiem-vu/{task.pk}/",
        f"/cung-co/nhiem-vu/{task.pk}/sua/",
        "/cung-co/tong-hop/",
        "/sinh-hoat/",
        "/sinh-hoat/ghi/",
        f"/sinh-hoat/{meeting.pk}/",
        f"/sinh-hoat/tong-hop/{district.code}/2018/",
        f"/sinh-hoat/tong-hop/{gia_mien.code}/2018/",
        f"/phat-trien-dang/{tan_my.code}/2018/",
        "/ket-nap/ghi/",
        f"/ket-nap/{admission.pk}/sua/",
        "/theo-doi/2018/",
        f"/bao-cao/{district.code}/2018/",
        f"/bao-cao/{gia_mien.code}/2017/sinh-hoat/",
        "/tai-khoan/mat-khau/",
        "/tai-khoan/xac-thuc-hai-buoc/",
    ]
    pages += [f"/bao-cao/{district.code}/2018/{kind}/" for kind in REPORT_KINDS]
    return pages


REPORT_KINDS = ["xep-loai", "cung-co", "sinh-hoat", "phat-trien-dang"]


def role_pages():
    """Per demo user, the pages that user's work takes them to."""
    gia_mien = Organization.objects.get(name="Đảng bộ xã Gia Miễn")
    task = Task.objects.filter(assignee__username="thuongvu").order_by("pk").first()
    return {
        "canbo": staff_pages(),
        "thuongvu": ["/", "/cung-co/nhiem-vu-cua-toi/", f"/cung-co/nhiem-vu/{task.pk}/bao-cao/"],
        "bithu.giamien": ["/", f"/xep-loai/{gia_mien.code}/2018/nhap/", "/sinh-hoat/ghi/"],
        "kiemtra": ["/"],
    }


def serious_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
    # govern: a <script> tag (add_script_tag) would be refused, as it should be.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    assert result["testEngine"]["version"] == AXE_VERSION  # the pinned engine ran on this page
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[node['target'] for node in v['nodes'][:5]]}"
        + f" {v['nodes'][0].get('failureSummary', '')[:300]!r}"
        for v in result["violations"]
        if v["impact"] in FAILING_IMPACTS
    ]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_no_serious_axe_violation_on_any_page(demo, chromium, live_server):
    assert AXE.exists(), f"axe-core is missing: {AXE}"
    pages = role_pages()
    found = {}
    for viewport, options in VIEWPORTS.items():
        context = chromium.new_context(locale="vi-VN", **options)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        page.goto(live_server.url + "/dang-nhap/")
        found[f"{viewport} /dang-nhap/"] = serious_violations(page)
        for username, urls in pages.items():
            context.clear_cookies()
            browser_login(page, username, DEMO_PASSWORD)
            for url in urls:
                response = page.goto(live_server.url + url)
                assert response.status == 200, f"{username} {url}: {response.status}"
                found[f"{viewport} {username} {url}"] = serious_violations(page)
        context.close()
    failures = {where: problems for where, problems in found.items() if problems}
    assert not failures, json.dumps(failures, indent=1, ensure_ascii=False)
