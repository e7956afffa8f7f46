"""On a phone: a secretary records a meeting with an absentee and a scan, is warned about a second
regular meeting in a month, and cannot reach another commune's records."""

import pytest
from django.urls import reverse

from cells.models import Meeting
from tests.cells.factories import make_meeting
from tests.conftest import browser_login

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def fill_meeting(page, date, present, absentee=None):
    page.select_option("#id_organization", label="Chi bộ Nặm Bao")
    page.fill("#id_date", date)
    page.select_option("#id_kind", "regular")
    page.fill("#id_duration_minutes", "95")
    page.fill("#id_members_total", "20")
    page.fill("#id_members_present", present)
    page.fill("#id_guest", "Nông Văn Tú, Đảng ủy viên xã")
    page.fill("#id_chair", "Hoàng Văn Ngọc")
    page.fill("#id_minutes_secretary", "Lý Thị Hạnh")
    page.fill("#id_content", "Đánh giá kết quả tháng 2, triển khai nhiệm vụ tháng 3.")
    page.fill("#id_resolution", "Thống nhất ba nhiệm vụ trọng tâm.")
    if absentee:
        page.fill("#id_absentees-0-name", absentee[0])
        page.fill("#id_absentees-0-reason", absentee[1])


@pytest.mark.browser
def test_a_secretary_records_meetings_on_a_phone(transactional_db, phone_page, tree, bob, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    other_commune = make_meeting(tree.b1)
    page = phone_page
    browser_login(page, "bob")

    page.goto(page.base_url + reverse("cells:meeting_list"))
    page.click(f"a[href='{reverse('cells:meeting_create')}']")
    fill_meeting(page, "2018-03-05", "19", absentee=("Vi Văn Hùng", "Đi làm ăn xa"))
    page.set_input_files(
        "#id_minutes_scan", files=[{"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.click("#meeting-form button[type=submit]:not([name])")
    page.wait_for_selector("#absentees")
    assert "Vi Văn Hùng" in page.inner_text("#absentees")
    first = Meeting.objects.get(organization=tree.a1)
    assert first.minutes_scan.name.endswith(".pdf") and first.absentees.count() == 1
    scan = page.request.get(page.base_url + reverse("cells:meeting_scan", args=[first.pk]))
    assert scan.ok and scan.body() == PDF

    # A second regular meeting in March: a warning, and it is saved only when confirmed.
    page.goto(page.base_url + reverse("cells:meeting_create"))
    fill_meeting(page, "2018-03-26", "20")
    page.click("#meeting-form button[type=submit]:not([name])")
    warning = page.wait_for_selector("#meeting-warnings")
    assert "05/03/2018" in warning.inner_text()
    assert Meeting.objects.filter(organization=tree.a1).count() == 1
    page.screenshot(path="/tmp/meetings-warning.png", full_page=True)
    page.click("button[name=confirm_warnings]")
    page.wait_for_selector("#absentees")
    assert Meeting.objects.filter(organization=tree.a1).count() == 2

    # Another commune's record and compliance page are out of reach.
    for url in (
        reverse("cells:meeting_detail", args=[other_commune.pk]),
        reverse("cells:meeting_update", args=[other_commune.pk]),
        reverse("cells:meeting_compliance", kwargs={"org_code": tree.b.code, "year": 2018}),
    ):
        response = page.goto(page.base_url + url)
        assert response.status == 404, url
    page.goto(page.base_url + reverse("cells:meeting_list"))
    assert "Pò Cại" not in page.content()
