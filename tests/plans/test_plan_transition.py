"""A plan moves from draft to adopted (standing members), in progress, completed or cancelled."""

from django.urls import reverse

from plans.models import Plan
from tests.plans.factories import make_plan


def move(client, plan, to, version=None):
    return client.post(
        reverse("plans:plan_transition", kwargs={"plan_id": plan.pk}),
        {"to": to, "version": plan.version if version is None else version},
    )


def test_a_standing_member_adopts_a_draft(client, tree, standing):
    plan = make_plan(tree.a, 2018, lead=standing)
    client.force_login(standing)

    move(client, plan, "adopted")

    plan.refresh_from_db()
    assert plan.state == Plan.State.ADOPTED
    assert plan.adopted_by == standing and plan.adopted_at


def test_staff_carry_the_plan_through_to_completion(client, tree, alice):
    plan = make_plan(tree.a, 2018, state=Plan.State.ADOPTED)
    client.force_login(alice)

    move(client, plan, "in_progress")
    plan.refresh_from_db()
    move(client, plan, "completed")

    plan.refresh_from_db()
    assert plan.state == Plan.State.COMPLETED


def test_standing_members_only_adopt(client, tree, standing):
    plan = make_plan(tree.a, 2018, state=Plan.State.ADOPTED)
    client.force_login(standing)

    assert move(client, plan, "cancelled").status_code == 403
    plan.refresh_from_db()
    assert plan.state == Plan.State.ADOPTED


def test_a_plan_without_targets_is_not_adopted(client, tree, standing):
    plan = make_plan(tree.a, 2018)
    plan.targets.all().delete()
    client.force_login(standing)

    response = move(client, plan, "adopted")

    plan.refresh_from_db()
    assert plan.state == Plan.State.DRAFT
    assert "target" in str(list(response.wsgi_request._messages)[0])


def test_a_skipped_step_and_a_stale_page_are_refused(client, tree, alice):
    plan = make_plan(tree.a, 2018)
    client.force_login(alice)

    move(client, plan, "completed")
    move(client, plan, "adopted", version=plan.version - 1)

    plan.refresh_from_db()
    assert plan.state == Plan.State.DRAFT
