"""Staff select a unit that the job did not flag."""

from django.urls import reverse

from assessments.models import Level
from plans.models import Candidate
from tests.plans.factories import classify, make_candidate

URL = reverse("plans:candidate_select")


def form(tree, **extra):
    return {
        "organization": tree.b.pk,
        "year": 2019,
        "reason": "Nội bộ mất đoàn kết",
        "number": "30-QĐ/HU",
        "date": "10/01/2019",
        **extra,
    }


def test_staff_select_an_unflagged_unit_and_go_on_to_its_plan(client, tree, alice):
    classify(tree.b, 2018, Level.GOOD)
    client.force_login(alice)

    response = client.post(URL, form(tree))

    candidate = Candidate.objects.get(organization=tree.b, year=2019)
    assert response.url == reverse("plans:plan_create", kwargs={"candidate_id": candidate.pk})
    assert candidate.source == Candidate.Source.MANUAL
    assert candidate.decision == Candidate.Decision.SELECTED
    assert candidate.decision_reason == "Nội bộ mất đoàn kết"
    assert candidate.level == Level.GOOD
    assert candidate.decided_by == alice


def test_a_unit_already_a_candidate_is_decided_on_its_own_page(client, tree, alice):
    make_candidate(tree.b, 2019)
    client.force_login(alice)

    response = client.post(URL, form(tree))

    assert response.status_code == 400
    assert "candidate page" in str(response.context["form"].non_field_errors())
    assert Candidate.objects.filter(organization=tree.b).count() == 1


def test_only_units_in_scope_can_be_selected(client, tree, alice):
    client.force_login(alice)

    response = client.post(URL, form(tree, organization=tree.y.pk))

    assert response.status_code == 400
    assert not Candidate.objects.exists()


def test_standing_members_decide_on_candidates_but_do_not_add_them(client, tree, standing):
    client.force_login(standing)

    assert client.post(URL, form(tree)).status_code == 403
