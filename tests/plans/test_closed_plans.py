"""A completed or cancelled plan refuses every change to itself, its targets and its tasks:
in the service, on the pages (a message, no edit buttons) and in the admin (read only)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cells.models import UserRole
from plans.models import Plan, ProgressReport, Target, Task
from plans.services import plans as services
from tests.plans.factories import make_plan, make_report, make_task

CLOSED = [Plan.State.COMPLETED, Plan.State.CANCELLED]


@pytest.fixture(params=CLOSED)
def closed(request, tree, standing):
    plan = make_plan(tree.a, 2018, lead=standing, state=request.param)
    task = make_task(plan, assignee=standing)
    return plan, task


def test_the_services_refuse_every_change(closed, alice):
    plan, task = closed
    role = UserRole.objects.get(user=alice)
    with pytest.raises(services.PlanClosedError):
        services.plan_update(plan=plan, version=plan.version, values={"number": "99-KH/HU"}, targets=[], user=alice)
    with pytest.raises(services.PlanClosedError):
        services.task_create(plan=plan, values={"title": "Thêm", "due": datetime.date(2018, 5, 1)}, user=alice)
    with pytest.raises(services.PlanClosedError):
        services.task_update(task=task, version=task.version, values={"title": "Sửa"}, user=alice)
    with pytest.raises(services.PlanClosedError):
        services.progress_report_add(task=task, user=alice, role=role, reported_on=datetime.date(2018, 5, 1), text="x")
    plan.refresh_from_db()
    task.refresh_from_db()
    assert (plan.number, Target.objects.filter(plan=plan).count()) == ("45-KH/HU", 1)
    assert (Task.objects.count(), task.title, ProgressReport.objects.count()) == (1, "Dự sinh hoạt chi bộ Nặm Bao", 0)


def test_a_plan_closed_after_the_editor_loaded_it_is_still_refused(tree, alice):
    plan = make_plan(tree.a, 2018)
    stale = Plan.objects.get(pk=plan.pk)
    Plan.objects.filter(pk=plan.pk).update(state=Plan.State.CANCELLED)
    with pytest.raises(services.PlanClosedError):
        services.plan_update(plan=stale, version=stale.version, values={"number": "1-KH/HU"}, targets=None, user=alice)


def test_the_edit_pages_refuse_with_a_message(client, closed, alice, standing):
    plan, task = closed
    client.force_login(alice)
    pages = [
        reverse("plans:plan_edit", kwargs={"plan_id": plan.pk}),
        reverse("plans:task_create", kwargs={"plan_id": plan.pk}),
        reverse("plans:task_edit", kwargs={"task_id": task.pk}),
    ]
    for url in pages:
        for response in (
            client.get(url, follow=True),
            client.post(url, {"title": "Sửa", "due": "01/05/2018"}, follow=True),
        ):
            assert response.redirect_chain[-1][0] == reverse("plans:detail", kwargs={"plan_id": plan.pk})
            assert "can no longer be changed" in " ".join(str(m) for m in response.context["messages"])
    report = client.post(
        reverse("plans:task_report", kwargs={"task_id": task.pk}), {"reported_on": "01/05/2018", "text": "x"}
    )
    assert report.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.reports.count(), plan.tasks.count()) == ("Dự sinh hoạt chi bộ Nặm Bao", 0, 1)


def test_the_pages_show_no_edit_buttons_and_say_why(client, closed, alice, standing):
    plan, task = closed
    client.force_login(alice)
    detail = client.get(reverse("plans:detail", kwargs={"plan_id": plan.pk})).content.decode()
    assert 'id="plan-closed"' in detail
    assert reverse("plans:plan_edit", kwargs={"plan_id": plan.pk}) not in detail
    assert reverse("plans:task_create", kwargs={"plan_id": plan.pk}) not in detail
    task_page = client.get(reverse("plans:task_detail", kwargs={"task_id": task.pk}))
    assert 'id="plan-closed"' in task_page.content.decode()
    assert reverse("plans:task_edit", kwargs={"task_id": task.pk}) not in task_page.content.decode()
    assert task_page.context["report_form"] is None
    client.force_login(standing)  # the assignee cannot report either
    assert client.get(reverse("plans:task_detail", kwargs={"task_id": task.pk})).context["may_report"] is False


def test_an_open_plan_still_takes_changes(client, tree, alice, standing):
    plan = make_plan(tree.a, 2018, state=Plan.State.IN_PROGRESS)
    task = make_task(plan, assignee=standing)
    client.force_login(alice)
    detail = client.get(reverse("plans:detail", kwargs={"plan_id": plan.pk})).content.decode()
    assert 'id="plan-closed"' not in detail
    assert client.get(reverse("plans:task_edit", kwargs={"task_id": task.pk})).status_code == 200


@pytest.fixture
def superuser(tree):
    return get_user_model().objects.create_superuser("root", "root@example.org", "Mật-khẩu-quản-trị-2018")


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_the_admin_shows_a_closed_plan_read_only(client, closed, superuser, alice):
    plan, task = closed
    report = make_report(task, alice)
    client.force_login(superuser)
    for model, obj in ((Plan, plan), (Task, task), (ProgressReport, report)):
        page = client.get(admin_url(model, "change", obj.pk))
        assert page.status_code == 200
        assert page.context["has_change_permission"] is False, model
        assert client.post(admin_url(model, "change", obj.pk), {}).status_code == 403, model
        assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403, model
    assert Task.objects.filter(pk=task.pk).exists() and ProgressReport.objects.filter(pk=report.pk).exists()


def test_the_admin_refuses_a_task_added_to_a_closed_plan(client, closed, superuser):
    plan, _task = closed
    client.force_login(superuser)
    response = client.post(
        admin_url(Task, "add"),
        {"plan": plan.pk, "title": "Thêm", "committee": "office", "due": "2018-05-01", "state": "open", "version": 0},
    )
    assert response.status_code == 200
    assert "can no longer be changed" in str(response.context["adminform"].form.non_field_errors())
    assert plan.tasks.count() == 1


def test_the_admin_still_edits_an_open_plan(client, tree, superuser):
    plan = make_plan(tree.a, 2018)
    client.force_login(superuser)
    assert client.get(admin_url(Plan, "change", plan.pk)).context["has_change_permission"] is True
