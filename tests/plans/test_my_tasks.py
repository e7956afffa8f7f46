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

    # 1 session, 2 user, 3 role with its organization, 4 my tasks with plan, unit and assignee
    with django_assert_num_queries(4):
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
    assert client.get(URL).context["others"] == []
