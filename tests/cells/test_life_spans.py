"""A unit outside its life span is not offered forms, summaries or counts for that year; its past stays."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cells.models import Organization
from tests.cells.factories import make_admission, make_meeting
from tests.cells.test_meeting_form import CREATE, form_data
from tests.conftest import Kind, make_org, make_user

D = datetime.date


def dissolve(unit, day, successor=None):
    unit.dissolved, unit.successor = day, successor
    unit.save()


def test_cells_end_with_their_grassroots_organization_unless_moved_first(tree):
    tree.a2.move(tree.b)  # Bản Làn goes to the neighbouring commune before Gia Miễn ends
    dissolve(tree.a, D(2019, 12, 31), successor=tree.b)
    assert Organization.objects.get(pk=tree.a1.pk).dissolved == D(2019, 12, 31)
    assert Organization.objects.get(pk=tree.a2.pk).dissolved is None
    assert list(Organization.objects.within(tree.a).active_in(2020)) == []
    assert Organization.objects.within(tree.a).active_in(2019).count() == 2


def test_a_cell_that_ended_earlier_keeps_its_own_end(tree):
    dissolve(tree.a1, D(2018, 5, 31))
    dissolve(tree.a, D(2019, 12, 31))
    assert Organization.objects.get(pk=tree.a1.pk).dissolved == D(2018, 5, 31)


def test_a_meeting_after_the_commune_ended_is_refused(client, tree, bob, settings, tmp_path):
    """Nặm Bao's commune ended on 30/06/2025: a 2026 meeting is refused, whatever the form offers."""
    settings.MEDIA_ROOT = tmp_path
    dissolve(tree.a, D(2025, 6, 30))
    client.force_login(bob)
    cell = Organization.objects.get(pk=tree.a1.pk)
    response = client.post(CREATE, form_data(cell, date="2026-01-05"))
    assert response.status_code == 200 and not cell.meetings.exists()


def test_a_late_record_of_a_cell_that_ended_recently_is_checked_against_its_dates(
    client, tree, bob, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    dissolve(tree.a, today - datetime.timedelta(days=100))
    client.force_login(bob)
    cell = Organization.objects.get(pk=tree.a1.pk)
    after = today - datetime.timedelta(days=10)
    response = client.post(CREATE, form_data(cell, date=after.isoformat()))
    assert response.status_code == 200
    assert "did not exist on this date" in response.content.decode()
    assert not cell.meetings.exists()
    before = today - datetime.timedelta(days=130)
    response = client.post(CREATE, form_data(cell, date=before.isoformat()))
    assert response.status_code == 302 and cell.meetings.count() == 1


def test_the_meeting_form_offers_only_cells_that_existed_in_the_last_year(client, tree, bob):
    dissolve(tree.a1, D(2020, 1, 31))
    client.force_login(bob)
    body = client.get(CREATE).content.decode()
    assert "Bản Làn" in body and "Nặm Bao" not in body


def test_an_admission_decided_after_the_cell_ended_is_refused(client, tree, bob):
    dissolve(tree.a1, D(2019, 12, 31))
    client.force_login(bob)
    admission = make_admission(tree.a1, decision=D(2019, 5, 2))
    response = client.post(
        reverse("cells:admission_update", kwargs={"admission_id": admission.pk}),
        {"organization": tree.a1.pk, "full_name": "Lương Thị Hoa", "decision_date": "2020-03-02"},
    )
    assert response.status_code == 200
    assert "did not exist on 02/03/2020" in response.content.decode()
    admission.refresh_from_db()
    assert admission.decision_date == D(2019, 5, 2)


def test_an_ended_units_page_offers_its_own_years_and_its_successor(client, tree, alice):
    dissolve(tree.a, D(2019, 12, 31), successor=tree.b)
    client.force_login(alice)
    body = client.get(reverse("cells:detail", kwargs={"org_code": tree.a.code})).content.decode()
    assert 'id="ended-notice"' in body and "ended on 31/12/2019" in body
    assert reverse("cells:detail", kwargs={"org_code": tree.b.code}) in body
    assert "/sinh-hoat/tong-hop/D-A/2019/" in body and "/sinh-hoat/tong-hop/D-A/2018/" in body
    assert "/sinh-hoat/tong-hop/D-A/2025/" not in body and "/sinh-hoat/tong-hop/D-A/2026/" not in body
    assert "/phat-trien-dang/D-A/2019/" in body


def test_a_later_years_summary_says_the_unit_ended_and_links_the_successors_year(client, tree, alice):
    dissolve(tree.a, D(2019, 12, 31), successor=tree.b)
    client.force_login(alice)
    response = client.get(reverse("cells:meeting_compliance", kwargs={"org_code": tree.a.code, "year": 2021}))
    body = response.content.decode()
    assert response.status_code == 200 and "cells" not in response.context
    assert 'id="ended-notice"' in body
    assert reverse("cells:meeting_compliance", kwargs={"org_code": tree.b.code, "year": 2021}) in body
    # The year switch offers the unit's own years only.
    assert response.context["years"] == [2019]
    body = client.get(reverse("cells:admission_overview", kwargs={"org_code": tree.a.code, "year": 2021})).content
    assert b'id="ended-notice"' in body


def test_the_successor_outside_the_scope_is_named_not_linked(client, tree, bob):
    dissolve(tree.a, D(2019, 12, 31), successor=tree.y)
    client.force_login(bob)
    body = client.get(reverse("cells:detail", kwargs={"org_code": tree.a.code})).content.decode()
    assert "Đảng bộ xã Yên Ngoại" in body
    assert reverse("cells:detail", kwargs={"org_code": tree.y.code}) not in body


def test_staff_of_an_ended_district_land_on_a_page_that_says_where_the_work_went(client, tree):
    """The 2025 reform: the district ends, its communes go to new commune committees."""
    new = make_org("D-NEW", "Đảng bộ xã Mới", Kind.UPPER_COMMITTEE, tree.province, founded=D(2025, 7, 1))
    dissolve(tree.a, D(2025, 6, 30), successor=new)
    dissolve(tree.d, D(2025, 6, 30))
    staff = make_user("hanh", "staff", tree.d)
    client.force_login(staff)
    response = client.get(reverse("plans:home"), follow=True)
    body = response.content.decode()
    assert 'id="ended-notice"' in body and "Đảng bộ xã Mới" in body
    assert "ended on 30/06/2025" in body


def test_no_records_is_not_twelve_missed_meetings(client, tree, bob):
    for month in range(1, 13):
        make_meeting(tree.a2, date=D(2018, month, 5))
    client.force_login(bob)
    response = client.get(reverse("cells:meeting_compliance", kwargs={"org_code": tree.a.code, "year": 2018}))
    body = response.content.decode()
    cells = {cell.code: cell for cell in response.context["cells"]}
    assert not cells["D-A-1"].has_records and not cells["D-A-1"].low
    assert response.context["low_count"] == 0 and response.context["no_records_count"] == 1
    assert "1/1 cells met regularly" in body and "1 cell has no records for the year" in body
    assert "0/12" not in body


@pytest.mark.parametrize("admitted_this_year", [True, False])
def test_years_since_the_last_admission_is_zero_in_a_year_with_one(client, tree, bob, admitted_this_year):
    make_admission(tree.a1, decision=D(2016, 4, 1))
    if admitted_this_year:
        make_admission(tree.a1, name="Hoàng Văn Ngọc", decision=D(2018, 8, 20))
    client.force_login(bob)
    response = client.get(reverse("cells:admission_overview", kwargs={"org_code": tree.a.code, "year": 2018}))
    rows = {row["code"]: row for row in response.context["rows"]}
    assert rows["D-A-1"]["years_since"] == (0 if admitted_this_year else 2)
