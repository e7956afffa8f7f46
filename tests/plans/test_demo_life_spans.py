"""The demo's own cases: Trùng Quán, dissolved on 31/12/2019 and merged into Bắc Hùng, is no 2020
candidate (Bắc Hùng is, naming it); weak cells named in the story's candidacies."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from cells.models import Organization, UserRole
from plans.models import Candidate
from plans.services import plans as services
from tests.assessments.factories import classify

INHERITED = "Kế thừa Đảng bộ xã Trùng Quán, xếp loại “Hoàn thành nhiệm vụ” năm 2019"


@pytest.fixture
def demo(db):
    call_command("load_demo")
    return Organization.objects.in_bulk(
        ["VL", "VL-TRUNGQUAN", "VL-BACHUNG", "VL-GIAMIEN", "VL-TANMY"], field_name="code"
    )


@pytest.mark.vietnamese  # the reasons are stored in the default language
def test_trung_quan_is_no_2020_candidate_bac_hung_carries_it(demo, capsys):
    classify(demo["VL-TRUNGQUAN"], 2019, "complete")
    capsys.readouterr()
    call_command("flag_candidates", "2019", "--json")
    rows = {row["code"]: row for row in json.loads(capsys.readouterr().out)}
    assert "VL-TRUNGQUAN" not in rows
    assert rows["VL-BACHUNG"]["reasons"][0] == INHERITED
    assert rows["VL-BACHUNG"]["level"] == "complete"
    assert set(rows["VL-BACHUNG"]) == {"code", "name", "level", "reasons"}


def test_trung_quan_cannot_be_selected_for_2020_nor_get_a_plan(demo, client):
    canbo = UserRole.objects.get(user__username="canbo").user
    thuongvu = UserRole.objects.get(user__username="thuongvu").user
    trung_quan = demo["VL-TRUNGQUAN"]
    result = classify(trung_quan, 2019, "complete")
    # A candidate written before the job knew better (or by hand): the decision refuses it.
    candidate = Candidate.objects.create(organization=trung_quan, year=2020, classification=result, level="complete")
    client.force_login(canbo)
    decide_url = reverse("plans:candidate_decide", kwargs={"candidate_id": candidate.pk})
    assert "dissolved on 31/12/2019" in client.get(decide_url).context["outside_life_span"]
    response = client.post(
        reverse("plans:candidate_decide", kwargs={"candidate_id": candidate.pk}),
        {"decision": "selected", "reason": "Yếu", "number": "5-QĐ/HU", "date": "10/01/2020", "decided_by": thuongvu.pk},
    )
    assert response.status_code == 400
    errors = str(response.context["form"].non_field_errors())
    assert "dissolved on 31/12/2019" in errors and "Đảng bộ xã Bắc Hùng" in errors
    candidate.refresh_from_db()
    assert candidate.decision == Candidate.Decision.PENDING
    # Selected by other means all the same: still no plan for a year the unit does not live in.
    Candidate.objects.filter(pk=candidate.pk).update(decision=Candidate.Decision.SELECTED)
    candidate.refresh_from_db()
    with pytest.raises(services.TransitionError):
        services.plan_create(candidate=candidate, values={"number": "1-KH/HU"}, targets=[], user=canbo)
    # Nor can staff select it by hand for 2020; 2019 is still its year.
    Candidate.objects.filter(organization=trung_quan).delete()
    form = {"organization": trung_quan.pk, "reason": "Yếu", "number": "6-QĐ/HU", "date": "10/01/2020"}
    refused = client.post(reverse("plans:candidate_select"), {**form, "year": 2020})
    assert refused.status_code == 400 and "dissolved on 31/12/2019" in str(refused.context["form"].non_field_errors())
    accepted = client.post(reverse("plans:candidate_select"), {**form, "year": 2019})
    assert accepted.status_code == 302


def test_bac_hung_cannot_be_supported_before_it_was_founded(demo):
    with pytest.raises(services.TransitionError, match="founded on 01/01/2020"):
        services.refuse_if_not_active(demo["VL-BACHUNG"], 2019)
    services.refuse_if_not_active(demo["VL-BACHUNG"], 2020)
    with pytest.raises(services.TransitionError):
        services.refuse_if_not_active(demo["VL-GIAMIEN"], 2026)  # gone with the 2025 reform
    assert demo["VL-GIAMIEN"].dissolved == datetime.date(2025, 6, 30)


@pytest.mark.vietnamese  # the reasons are stored in the default language
def test_the_storys_candidacies_name_their_weak_cells(demo):
    gia_mien = Candidate.objects.get(organization=demo["VL-GIAMIEN"], year=2017)
    tan_my = Candidate.objects.get(organization=demo["VL-TANMY"], year=2018)
    assert "Chi bộ Nặm Bao xếp loại Hoàn thành nhiệm vụ năm 2016" in gia_mien.reasons
    assert {
        "Chi bộ Pò Cại xếp loại Hoàn thành nhiệm vụ năm 2017",
        "Chi bộ Nà Mò xếp loại Hoàn thành nhiệm vụ năm 2017",
    } <= set(tan_my.reasons)


def test_a_plan_for_a_year_the_unit_does_not_live_in_is_refused_at_every_step(demo, client):
    from plans.models import Plan

    canbo = UserRole.objects.get(user__username="canbo").user
    trung_quan = demo["VL-TRUNGQUAN"]
    candidate = Candidate.objects.create(
        organization=trung_quan, year=2020, level="complete", decision=Candidate.Decision.SELECTED
    )
    client.force_login(canbo)
    response = client.get(reverse("plans:plan_create", kwargs={"candidate_id": candidate.pk}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("plans:candidate_decide", kwargs={"candidate_id": candidate.pk})
    assert "dissolved on 31/12/2019" in " ".join(str(m) for m in response.context["messages"])
    # A plan written before the unit's end was recorded cannot be adopted; it can be cancelled.
    plan = Plan.objects.create(candidate=candidate, organization=trung_quan, year=2020, number="9-KH/HU")
    with pytest.raises(services.TransitionError, match="dissolved"):
        services.plan_transition(plan=plan, to=Plan.State.ADOPTED, version=plan.version, user=canbo)
    plan = services.plan_transition(plan=plan, to=Plan.State.CANCELLED, version=plan.version, user=canbo)
    assert plan.state == Plan.State.CANCELLED
