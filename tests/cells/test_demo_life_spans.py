"""The demo's own cases of issue 8: Trùng Quán, Nặm Bao, Gia Miễn in 2018 and the 2025 reform."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from cells.models import Meeting, Organization
from tests.cells.test_meeting_form import form_data

D = datetime.date


@pytest.fixture
def demo(db):
    call_command("load_demo")


def test_the_cells_of_merged_and_reformed_communes_end_with_them(demo):
    trung_quan = Organization.objects.get(code="VL-TRUNGQUAN")
    assert trung_quan.dissolved == D(2019, 12, 31) and trung_quan.successor.code == "VL-BACHUNG"
    assert Organization.objects.within(trung_quan).cells().active_in(2020).count() == 0
    assert Organization.objects.within(trung_quan).cells().active_in(2019).count() > 0
    nam_bao = Organization.objects.get(code="VL-GIAMIEN-NAMBAO")
    assert nam_bao.dissolved == D(2025, 6, 30)
    # 53 grassroots organizations in 2018, none of the merged communes in 2020.
    district = Organization.objects.get(code="VL")
    assert Organization.objects.within(district).grassroots().active_in(2018).count() == 53
    assert not Organization.objects.filter(code="VL-TRUNGQUAN").active_in(2020).exists()


def test_a_2026_meeting_of_nam_bao_is_refused(demo, client):
    client.force_login(Organization.objects.get(code="VL-GIAMIEN").user_roles.get().user)
    nam_bao = Organization.objects.get(code="VL-GIAMIEN-NAMBAO")
    response = client.post(reverse("cells:meeting_create"), form_data(nam_bao, date="2026-03-05"))
    assert response.status_code == 200
    assert not Meeting.objects.filter(organization=nam_bao, date__year=2026).exists()


def test_gia_mien_2018_has_no_records_not_sixteen_cells_at_zero(demo, client):
    client.force_login(Organization.objects.get(code="VL").user_roles.filter(role="staff").get().user)
    body = client.get(reverse("cells:watch_list", kwargs={"year": 2018})).content.decode()
    assert "0/12" not in body
    response = client.get(reverse("cells:meeting_compliance", kwargs={"org_code": "VL-GIAMIEN", "year": 2018}))
    assert response.context["no_records_count"] == 16 and response.context["low_count"] == 0
    response = client.get(reverse("cells:meeting_compliance", kwargs={"org_code": "VL-GIAMIEN", "year": 2016}))
    assert response.context["low_count"] > 0  # the story's year of too few meetings is still told


def test_the_districts_staff_in_2026_read_where_the_work_went(demo, client):
    client.force_login(Organization.objects.get(code="VL").user_roles.filter(role="staff").get().user)
    body = client.get(reverse("plans:home"), follow=True).content.decode()
    assert 'id="ended-notice"' in body and "30/06/2025" in body
    for name in ("Đảng bộ xã Na Sầm", "Đảng bộ xã Hội Hoan", "Đảng bộ xã Tân Thanh"):
        assert name in body
    # The story's years stay one click away.
    assert reverse("assessments:year", kwargs={"org_code": "VL", "year": 2018}).rsplit("/", 2)[0] in body


def test_a_communes_year_page_after_the_merger_says_where_it_went(demo, client):
    client.force_login(Organization.objects.get(code="VL").user_roles.filter(role="staff").get().user)
    body = client.get(reverse("assessments:year", kwargs={"org_code": "VL-TRUNGQUAN", "year": 2021})).content.decode()
    assert 'id="ended-notice"' in body and "31/12/2019" in body
    assert reverse("assessments:year", kwargs={"org_code": "VL-BACHUNG", "year": 2021}) in body
    body = client.get(reverse("assessments:year", kwargs={"org_code": "VL-TRUNGQUAN", "year": 2018})).content.decode()
    assert 'id="ended-notice"' not in body
