"""The Văn Lãng demo on 01/12/2026: after the 2025 reform the new communes' logins find the work of the
day on their home pages, and no unit lives on under a unit that ended."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cells.models import Organization, UserRole

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def demo(db, monkeypatch):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def home_of(client, username):
    client.force_login(UserRole.objects.get(user__username=username).user)
    response = client.get(reverse("plans:home"))
    assert response.status_code == 200
    return response


def test_no_unit_lives_on_under_an_ended_one(demo):
    living = Organization.objects.active_on(TODAY).select_related("parent")
    orphans = [org.name for org in living if org.parent_id and not org.parent.active_on(TODAY)]
    assert not orphans
    # The district's agencies ended with it; those that go on sit under the commune where they are.
    health = Organization.objects.get(name="Đảng bộ Trung tâm Y tế huyện")
    assert health.dissolved == datetime.date(2025, 6, 30)
    assert health.successor.parent.name == "Đảng bộ xã Na Sầm" and health.successor.active_on(TODAY)
    assert Organization.objects.get(name="Chi bộ Cơ quan Huyện ủy").successor is None


def test_the_village_cells_go_on_under_the_new_commune(demo):
    nam_bao = Organization.objects.get(code="VL-GIAMIEN-NAMBAO")
    assert nam_bao.dissolved == datetime.date(2025, 6, 30)  # the story's years stay with the old cell
    heir = nam_bao.successor
    assert (heir.name, heir.kind, heir.parent.name) == ("Chi bộ thôn Nặm Bao", "grassroots_cell", "Đảng bộ xã Hội Hoan")
    assert heir.founded == datetime.date(2025, 7, 1) and heir.meetings.filter(date__year=2026).count() >= 10


def test_the_communes_secretary_has_meetings_and_admissions_to_enter_today(demo, client):
    home = home_of(client, "bithu.hoihoan").context["home"]
    assert home.month == datetime.date(2026, 11, 1)
    missing = [cell.name for cell in home.cells if not cell.met_last_month]
    assert 0 < len(missing) < len(home.cells) and "Chi bộ Quân sự xã Hội Hoan" in missing
    deadlines = {(d.admission.full_name, d.step) for d in home.deadlines}
    assert deadlines == {("Nông Thị Thảo", "ceremony"), ("Lương Văn Đức", "full_membership")}
    assert all(0 <= d.days_left <= 30 for d in home.deadlines)
    assert home_of(client, "bithu.tanthanh").context["home"].deadlines


def test_the_communes_staff_and_standing_member_see_2026_work(demo, client):
    staff = home_of(client, "canbo.hoihoan").context["home"]
    assert staff.year == 2026 and staff.draft > 0 and staff.final == 0  # the year-end results under way
    overdue = [task.title for task in staff.overdue.items]
    assert overdue == ["Hướng dẫn chi bộ lập kế hoạch tạo nguồn, kết nạp đảng viên"]
    assert (staff.admissions.admitted, staff.admissions.quota) == (2, 4)
    standing = home_of(client, "thuongvu.hoihoan").context["home"]
    assert [(task.due, task.days_left) for task in standing.tasks] == [(datetime.date(2026, 12, 15), 14)]
    assert [plan.number for plan in standing.plans] == ["12-KH/ĐU"]


@pytest.mark.vietnamese
def test_the_old_communes_secretary_is_told_where_the_work_went(demo, client):
    body = home_of(client, "bithu.giamien").content.decode()
    assert 'id="ended-notice"' in body and "Đảng bộ xã Hội Hoan" in body
