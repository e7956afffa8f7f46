"""Tasks: assigned to a standing member or a committee; concurrent edits refused with what changed."""

from django.urls import reverse

from plans.models import Committee, Task
from tests.plans.factories import make_plan, make_task


def task_form(**extra):
    return {"title": "Mở lớp bồi dưỡng bí thư chi bộ", "description": "", "due": "30/04/2018", **extra}


def test_staff_add_a_task_for_a_committee(client, tree, alice):
    plan = make_plan(tree.a, 2018)
    client.force_login(alice)

    response = client.post(
        reverse("plans:task_create", kwargs={"plan_id": plan.pk}), task_form(committee=Committee.ORGANIZATION)
    )

    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.plan, task.committee, task.assignee) == (plan, Committee.ORGANIZATION, None)


def test_a_task_has_exactly_one_kind_of_assignee(client, tree, alice, standing, bob):
    plan = make_plan(tree.a, 2018)
    client.force_login(alice)
    url = reverse("plans:task_create", kwargs={"plan_id": plan.pk})

    both = client.post(url, task_form(committee=Committee.OFFICE, assignee=standing.pk))
    neither = client.post(url, task_form())
    not_standing = client.post(url, task_form(assignee=bob.pk))

    assert [r.status_code for r in (both, neither, not_standing)] == [400, 400, 400]
    assert "either a standing committee member or a committee" in str(both.context["form"].non_field_errors())
    assert "assignee" in not_standing.context["form"].errors
    assert not Task.objects.exists()


def test_the_second_of_two_concurrent_task_edits_is_refused(client, tree, alice, standing):
    task = make_task(make_plan(tree.a, 2018), assignee=standing, title="Dự sinh hoạt")
    url = reverse("plans:task_edit", kwargs={"task_id": task.pk})
    client.force_login(alice)
    opened = client.get(url).context["form"]["version"].value()
    base = task_form(title="Dự sinh hoạt", assignee=standing.pk, state="open", version=opened)

    assert client.post(url, {**base, "due": "31/05/2018"}).status_code == 302
    second = client.post(url, {**base, "state": "done", "title": "Dự sinh hoạt chi bộ Nặm Bao"})

    assert second.status_code == 409
    task.refresh_from_db()
    assert (task.due.isoformat(), task.state, task.title) == ("2018-05-31", "open", "Dự sinh hoạt")
    changes = {label: (theirs, mine) for label, theirs, mine in second.context["conflict"].changes}
    assert changes["due date"] == ("31/05/2018", "30/04/2018")
    assert changes["task"] == ("Dự sinh hoạt", "Dự sinh hoạt chi bộ Nặm Bao")
    assert second.context["form"]["title"].value() == "Dự sinh hoạt chi bộ Nặm Bao"
