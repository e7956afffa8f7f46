"""A standing member's own tasks, overdue and soon-due ones standing out."""

import datetime

from django.urls import reverse
from django.utils import timezone

from plans.models import Committee, Plan, Task
from tests.conftest import make_user
from tests.plans.factories import make_plan, make_task

URL = reverse("plans:my_tasks")


def test_my_tasks_lists_mine_only_with_overdue_and_soon_marked(client, tree, standing, django_assert_num_queries):
    today = timezone.localdate()
    plan_a = make_plan(tree.a, 2018, state=Plan.State.IN_PROGRESS)
    plan_b = make_plan(tree.b, 2018, state=Plan.State.IN_PROGRESS)
    late = make_task(plan_a, assignee=standing, title="Quá hạn", due=today - datetime.timedelta(days=3))
    soon = make_task(plan_b, assignee=standing, title="Sắp đến hạn", due=today + datetime.timedelta(days=5))
    later = make_task(plan_b, assignee=standing, title="Còn lâu", due=today + datetime.timedelta(days=60))
    make_task(
        plan_a, assignee=standing, title="Xong rồi", due=today - datetime.timedelta(days=9), state=Task.State.DONE
    )
    make_task(plan_a, committee=Committee.OFFICE, title="Việc của Văn phòng")
    make_task(plan_a, assignee=make_user("lam", "standing", tree.d), title="Việc của người khác")
    client.force_login(standing)
    client.get(URL)  # the session and the role are read once before counting

    # 1 session, 2 user, 3 role with its organization, 4 my tasks counted, 5 the page of my tasks with
    # plan, unit and assignee
    with django_assert_num_queries(5):
        response = client.get(URL)

    tasks = response.context["mine"]
    assert [t.title for t in tasks] == ["Xong rồi", "Quá hạn", "Sắp đến hạn", "Còn lâu"]
    assert {t.pk: t.urgency for t in tasks if t.pk in (late.pk, soon.pk, later.pk)} == {
        late.pk: "overdue",
        soon.pk: "soon",
        later.pk: "",
    }
    body = response.content.decode()
    assert body.count('data-urgency="overdue"') == 1 and body.count('data-urgency="soon"') == 1
    assert "overdue by 3 days" in body
    assert "Việc của người khác" not in body
    assert response.context["others"] is None


def test_staff_also_see_the_open_tasks_of_their_scope(client, tree, alice, standing, charlie):
    plan = make_plan(tree.a, 2018)
    make_task(plan, assignee=standing, title="Việc của đồng chí Dũng")
    client.force_login(alice)

    assert [t.title for t in client.get(URL).context["others"]] == ["Việc của đồng chí Dũng"]
    client.force_login(charlie)
    assert list(client.get(URL).context["others"]) == []


def test_both_lists_are_paged_by_the_database(client, tree, alice, standing, django_assert_num_queries):
    today = timezone.localdate()
    plan = make_plan(tree.a, 2018, state=Plan.State.IN_PROGRESS)
    for n in range(7):
        make_task(plan, assignee=alice, title=f"Của tôi {n}", due=today + datetime.timedelta(days=n))
        make_task(plan, assignee=standing, title=f"Của Dũng {n}", due=today + datetime.timedelta(days=n))
    make_task(plan, assignee=standing, title="Đã xong", state=Task.State.DONE)
    client.force_login(alice)
    client.get(URL)
    # 1 session, 2 user, 3 role, 4-5 my tasks (count, page), 6-7 the others' open tasks (count, page)
    with django_assert_num_queries(7), override_per_page(3):
        response = client.get(URL, {"page": 2, "khac": 3})
    mine, others = response.context["mine"], response.context["others"]
    assert [t.title for t in mine] == ["Của tôi 3", "Của tôi 4", "Của tôi 5"]
    assert [t.title for t in others] == ["Của Dũng 6"]
    assert (mine.paginator.count, others.paginator.count) == (7, 7)
    body = response.content.decode()
    # Each list's links keep the other's page.
    assert "?khac=3&amp;page=3" in body and "?page=2&amp;khac=2" in body
    assert 'id="mine-count">7<' in body


def test_a_page_past_the_end_shows_the_last(client, tree, standing):
    plan = make_plan(tree.a, 2018)
    make_task(plan, assignee=standing, title="Một")
    client.force_login(standing)
    assert [t.title for t in client.get(URL, {"page": 99}).context["mine"]] == ["Một"]
    assert [t.title for t in client.get(URL, {"page": "x"}).context["mine"]] == ["Một"]


def override_per_page(n):
    from unittest import mock

    from plans.views.tasks import MyTasksView

    return mock.patch.object(MyTasksView, "per_page", n)
