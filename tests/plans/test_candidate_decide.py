"""The standing committee's decision on a candidate, and staff recording it on a member's behalf."""

import datetime

import pytest
from django.urls import reverse

from plans.models import Candidate
from tests.plans.factories import make_candidate, make_plan

DECISION = {
    "decision": "selected",
    "reason": "Hai năm liền chỉ hoàn thành nhiệm vụ",
    "number": "15-QĐ/HU",
    "date": "18/01/2018",
}


def url(candidate):
    return reverse("plans:candidate_decide", kwargs={"candidate_id": candidate.pk})


def test_a_standing_member_selects_a_candidate(client, tree, standing):
    candidate = make_candidate(tree.a, 2018)
    client.force_login(standing)

    response = client.post(url(candidate), DECISION)

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.decision == Candidate.Decision.SELECTED
    assert candidate.decision_number == "15-QĐ/HU"
    assert candidate.decision_date == datetime.date(2018, 1, 18)
    assert candidate.decided_by == standing


def test_staff_record_the_decision_on_behalf_of_a_standing_member(client, tree, alice, standing):
    candidate = make_candidate(tree.a, 2018)
    client.force_login(alice)

    missing = client.post(url(candidate), DECISION)
    assert missing.status_code == 400
    assert "decided_by" in missing.context["form"].errors

    client.post(url(candidate), {**DECISION, "decision": "not_selected", "decided_by": standing.pk})
    candidate.refresh_from_db()
    assert candidate.decision == Candidate.Decision.NOT_SELECTED
    assert candidate.decided_by == standing


def test_a_decision_needs_a_reason_and_a_past_date(client, tree, standing):
    candidate = make_candidate(tree.a, 2018)
    client.force_login(standing)

    response = client.post(url(candidate), {**DECISION, "reason": "", "date": "01/01/2999"})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"reason", "date"}
    candidate.refresh_from_db()
    assert candidate.decision == Candidate.Decision.PENDING


def test_a_unit_with_a_plan_cannot_silently_be_unselected(client, tree, standing):
    plan = make_plan(tree.a, 2018)
    client.force_login(standing)

    response = client.post(url(plan.candidate), {**DECISION, "decision": "not_selected"})

    assert response.status_code == 400
    plan.candidate.refresh_from_db()
    assert plan.candidate.decision == Candidate.Decision.SELECTED


def test_a_withdrawn_candidate_takes_no_decision(client, tree, standing):
    candidate = make_candidate(tree.a, 2018, status=Candidate.Status.WITHDRAWN, withdrawn_reason="Đã sửa kết quả")
    client.force_login(standing)

    assert client.post(url(candidate), DECISION).status_code == 400
    candidate.refresh_from_db()
    assert candidate.decision == Candidate.Decision.PENDING


@pytest.mark.parametrize("user", ["bob", "auditor"])
def test_who_may_not_decide_is_refused(client, tree, user, request):
    candidate = make_candidate(tree.a, 2018)
    client.force_login(request.getfixturevalue(user))

    assert client.post(url(candidate), DECISION).status_code == 403
