"""The home page of each role: what it shows against the records, and a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Classification, Level
from cells.meeting_services import previous_month
from cells.models import Admission, AdmissionQuota, Meeting
from plans.models import Candidate, Plan, Task
from tests.conftest import make_org
from tests.plans.factories import classify, make_candidate, make_plan, make_task

HOME = "/"


def test_the_root_url_is_the_home_and_sign_in_lands_there(client, tree, alice):
    assert reverse("plans:home") == HOME
    client.force_login(alice)
    response = client.get(HOME)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "plans/home/staff.html"


def test_anonymous_users_are_sent_to_sign_in(client, tree):
    response = client.get(HOME)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def _staff_records(tree, standing):
    today = timezone.localdate()
    pending = make_candidate(tree.b, 2019)
    selected = make_candidate(tree.a, 2019, decision=Candidate.Decision.SELECTED, decision_number="35-QĐ/HU")
    Classification.objects.filter(organization=tree.b, year=2018).update(state=Classification.State.DRAFT)
    late_plan = make_plan(tree.a, year=2017, state=Plan.State.IN_PROGRESS, lead=standing)
    overdue = make_task(late_plan, assignee=standing, due=today - datetime.timedelta(days=3))
    done_plan = make_plan(tree.b, year=2017, state=Plan.State.COMPLETED)
    make_task(done_plan, committee="office", due=today - datetime.timedelta(days=100), state=Task.State.DONE)
    month = previous_month(today)
    Meeting.objects.create(organization=tree.a1, date=month, kind="regular", members_total=10, members_present=9)
    AdmissionQuota.objects.create(organization=tree.a, year=2018, quota=3)
    Admission.objects.create(organization=tree.a1, full_name="Lò Văn A", decision_date=datetime.date(2018, 5, 2))
    # Outside district D: never counted.
    classify(tree.y, 2019, Level.INCOMPLETE)
    make_candidate(tree.y, 2020)
    return pending, selected, overdue


def test_staff_home_counts_and_lists_the_cycle_of_the_scope(client, tree, alice, standing):
    pending, selected, overdue = _staff_records(tree, standing)
    client.force_login(alice)
    response = client.get(HOME)
    home = response.context["home"]
    assert (home.year, home.year_from_results) == (2018, True)
    assert (home.units, home.final, home.draft) == (2, 1, 1)
    assert home.pending.items == [pending] and home.pending.count == 1
    assert home.without_plan.items == [selected]
    assert (home.plans.on_track, home.plans.late, home.plans.done) == (0, 1, 1)
    assert home.overdue.items == [overdue]
    assert (home.meetings.cells, home.meetings.met, home.meetings.behind) == (3, 1, 2)
    assert (home.admissions.quota, home.admissions.admitted) == (3, 1)
    body = response.content.decode()
    assert reverse("plans:plan_create", kwargs={"candidate_id": selected.pk}) in body
    assert reverse("plans:candidate_decide", kwargs={"candidate_id": pending.pk}) in body
    assert reverse("plans:task_detail", kwargs={"task_id": overdue.pk}) in body
    assert "the latest year with classifications in your scope" in body
    assert 'id="home-chart-data"' in body and "<script>" not in body.split('id="home-chart-data"')[0][-2000:]
    assert "Yên Ngoại" not in body


def test_staff_home_says_when_the_year_is_the_current_one(client, tree, alice):
    client.force_login(alice)
    response = client.get(HOME)
    assert response.context["home"].year == timezone.localdate().year
    assert "the current year; no classification is recorded in your scope yet" in response.content.decode()
    assert "No meeting records yet for this month" in response.content.decode()


@pytest.mark.parametrize("extra", [0, 6])
def test_staff_home_takes_a_fixed_number_of_queries(client, tree, alice, standing, django_assert_num_queries, extra):
    _staff_records(tree, standing)
    for i in range(extra):
        unit = make_org(f"D-N{i}", f"Đảng bộ xã Mới {i}", "grassroots_committee", tree.d, "commune")
        cell = make_org(f"D-N{i}-1", f"Chi bộ Mới {i}", "cell", unit)
        AdmissionQuota.objects.create(organization=unit, year=2018, quota=i + 1)
        Admission.objects.create(organization=cell, full_name=f"Người {i}", decision_date=datetime.date(2018, 3, 1))
        make_candidate(unit, 2019)
        make_candidate(unit, 2018, decision=Candidate.Decision.SELECTED)
        plan = make_plan(unit, year=2017, state=Plan.State.ADOPTED)
        make_task(plan, committee="office", due=datetime.date(2017, 1, 1))
    client.force_login(alice)
    # 1 session, 2 user, 3 role with its unread notifications, 4 whether the scope is above a
    # district (no: its figures are live), then the 16 of `staff_home`:
    # 5 latest year, 6 results by state, 7 units of the year, 8-9 pending candidates (rows, count),
    # 10-11 selected without a plan (rows, count), 12 plans by state and lateness, 13-14 overdue
    # tasks (rows, count), 15 last month's cells with a regular meeting, 16 its cells, 17 the
    # quotas' total, 18 the largest quotas, 19 the year's admissions, 20 those of the units shown.
    with django_assert_num_queries(20):
        assert client.get(HOME).status_code == 200


def test_standing_home_lists_my_tasks_by_due_date_my_plans_and_pending_candidates(
    client, tree, standing, django_assert_num_queries
):
    today = timezone.localdate()
    plan = make_plan(tree.a, year=2019, state=Plan.State.IN_PROGRESS, lead=standing)
    later = make_task(plan, assignee=standing, due=today + datetime.timedelta(days=20), title="Sau")
    sooner = make_task(plan, assignee=standing, due=today - datetime.timedelta(days=2), title="Trước")
    make_task(plan, assignee=standing, due=today, title="Xong", state=Task.State.DONE)
    make_task(plan, committee="office", due=today)
    pending = make_candidate(tree.b, 2019)
    client.force_login(standing)
    # 1 session, 2 user, 3 role, 4 my open tasks, 5 plans I lead, 6-7 pending candidates (rows, count)
    with django_assert_num_queries(7):
        response = client.get(HOME)
    more = make_plan(tree.b, year=2018, state=Plan.State.ADOPTED, lead=standing)
    for n in range(5):
        make_task(more, assignee=standing, due=today + datetime.timedelta(days=n), title=f"Thêm {n}")
    with django_assert_num_queries(7):  # the same with more rows
        client.get(HOME)
    home = response.context["home"]
    assert home.tasks == [sooner, later]
    assert home.plans == [plan] and home.plans[0].open_tasks == 3
    assert home.pending.items == [pending]
    body = response.content.decode()
    detail = reverse("plans:task_detail", kwargs={"task_id": sooner.pk})
    assert f'href="{detail}#report"' in body and f'href="{detail}?hoan-thanh=1#report"' in body


def test_secretary_home_shows_last_months_meeting_per_cell_and_admission_deadlines(
    client, tree, bob, django_assert_num_queries
):
    today = timezone.localdate()
    month = previous_month(today)
    Meeting.objects.create(organization=tree.a1, date=month, kind="combined", members_total=10, members_present=9)
    soon = Admission.objects.create(
        organization=tree.a2, full_name="Hà Thị B", decision_date=today - datetime.timedelta(days=20)
    )
    Admission.objects.create(organization=tree.a2, full_name="Xa Văn C", decision_date=today)  # due in 6 weeks
    Admission.objects.create(organization=tree.b1, full_name="Ngoài Phạm Vi", decision_date=today)
    client.force_login(bob)
    # 1 session, 2 user, 3 role, 4 the cells with last month's meetings, 5 the admissions under way
    with django_assert_num_queries(5):
        response = client.get(HOME)
    for n in range(5):
        make_org(f"D-A-X{n}", f"Chi bộ Thêm {n}", "cell", tree.a)
        Admission.objects.create(organization=tree.a1, full_name=f"Người {n}", decision_date=today)
    with django_assert_num_queries(5):  # the same with more rows
        client.get(HOME)
    home = response.context["home"]
    cells = [(c.name, bool(c.met_last_month)) for c in home.cells]
    assert cells == [("Chi bộ Bản Làn", False), ("Chi bộ Nặm Bao", True)]
    assert [d.admission for d in home.deadlines] == [soon]
    body = response.content.decode()
    assert f"{reverse('cells:meeting_create')}?to-chuc={tree.a2.code}" in body
    assert "Pò Cại" not in body and "Ngoài Phạm Vi" not in body


def test_auditor_home_links_the_admin_and_lists_changes_in_the_scope_only(
    client, tree, auditor, django_assert_num_queries
):
    tree.a1.name = "Chi bộ Nặm Bao mới"
    tree.a1.save()
    tree.y1.name = "Chi bộ Ngoại Lai mới"
    tree.y1.save()
    client.force_login(auditor)
    # 1 session, 2 user, 3 role, 4 the latest audit entries of the scope's records
    with django_assert_num_queries(4):
        response = client.get(HOME)
    body = response.content.decode()
    assert reverse("admin:index") in body
    reprs = [entry.object_repr for entry in response.context["changes"]]
    assert "Chi bộ Nặm Bao mới" in reprs and "Chi bộ Ngoại Lai mới" not in reprs
    assert len(reprs) <= 20


def test_staff_home_lists_the_largest_quotas_and_counts_every_admission(client, tree, alice):
    from plans.queries.home import admissions_against_quota

    AdmissionQuota.objects.create(organization=tree.a, year=2018, quota=3)
    AdmissionQuota.objects.create(organization=tree.b, year=2018, quota=5)
    AdmissionQuota.objects.create(organization=tree.y, year=2018, quota=9)  # another district
    school = make_org("D-S", "Đảng bộ Trường", "grassroots_committee", tree.d, "agency")
    section = make_org("D-S-BP", "Đảng bộ bộ phận Khối A", "section_committee", school)
    deep = make_org("D-S-BP-1", "Chi bộ Lớp 1", "cell", section)
    AdmissionQuota.objects.create(organization=school, year=2018, quota=4)
    for cell, n in ((tree.a1, 1), (tree.b1, 2), (deep, 3), (tree.y1, 4)):
        for k in range(n):
            Admission.objects.create(organization=cell, full_name=f"Người {k}", decision_date=datetime.date(2018, 5, 2))
    Admission.objects.create(organization=tree.b1, full_name="Năm trước", decision_date=datetime.date(2017, 5, 2))
    admissions = admissions_against_quota(tree.d, 2018, limit=2)
    rows = [(row.name, row.quota, row.admitted) for row in admissions.rows]
    # Tân Mỹ 5 and the school 4 (its cell under a section committee counted); Gia Miễn is one more.
    assert rows == [("Đảng bộ xã Tân Mỹ", 5, 2), ("Đảng bộ Trường", 4, 3)]
    assert (admissions.quota, admissions.admitted, admissions.more) == (12, 6, 1)
    classify(tree.a, 2018, Level.GOOD)  # the home's year
    client.force_login(alice)
    AdmissionQuota.objects.filter(organization=school).delete()
    body = client.get(HOME).content.decode()
    assert "Đảng bộ xã Tân Mỹ" in body and 'id="admission-rows"' in body
