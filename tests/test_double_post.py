"""A second post of the same create form (a double click, a reload) is answered as the first."""

import re

from django.urls import reverse

from cells.models import Meeting
from plans.models import Plan
from plans.services.plans import plan_create
from tests.cells.test_meeting_form import form_data as meeting_form
from tests.plans.factories import make_candidate
from tests.plans.test_plan_edit import TARGETS_EMPTY, plan_form


def token_of(response) -> str:
    return re.search(r'name="once" value="([^"]+)"', response.content.decode()).group(1)


def test_a_double_click_on_create_plan_gives_the_first_plan(client, tree, alice, standing):
    candidate = make_candidate(tree.a, 2018, decision="selected")
    url = reverse("plans:plan_create", kwargs={"candidate_id": candidate.pk})
    client.force_login(alice)
    data = {**plan_form(standing), **TARGETS_EMPTY, "once": token_of(client.get(url))}

    first = client.post(url, data)
    second = client.post(url, data)

    plan = Plan.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("plans:detail", kwargs={"plan_id": plan.pk})


def test_two_posts_without_the_token_still_make_one_plan(client, tree, alice, standing):
    """Two posts that cross in flight: the service finds the plan the first one made."""
    candidate = make_candidate(tree.a, 2018, decision="selected")
    url = reverse("plans:plan_create", kwargs={"candidate_id": candidate.pk})
    client.force_login(alice)
    data = {**plan_form(standing), **TARGETS_EMPTY}
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    assert second.status_code == 302 and Plan.objects.count() == 1
    values = {"number": "46-KH/HU", "weaknesses": "x", "lead": standing}
    assert plan_create(candidate=candidate, values=values, targets=[], user=alice) == Plan.objects.get()


def test_a_double_click_on_record_meeting_records_it_once(client, tree, bob):
    client.force_login(bob)
    create = reverse("cells:meeting_create")
    data = {**meeting_form(tree.a1), "once": token_of(client.get(create))}
    first = client.post(create, data)
    second = client.post(create, data)
    meeting = Meeting.objects.get()
    assert first.url == second.url == reverse("cells:meeting_detail", kwargs={"meeting_id": meeting.pk})
