"""Only final results count: a draft "excellent" makes no plan "improved", reaches no level target,
and the pages say how many drafts they leave out."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Classification, Level
from plans.actuals import plan_actuals
from plans.models import Plan, Target
from plans.queries.plans import consolidation
from tests.plans.factories import make_plan


def draft(organization, year, level):
    return Classification.objects.create(
        organization=organization, year=year, level=level, state=Classification.State.DRAFT
    )


@pytest.fixture
def plan_with_a_draft_result(tree):
    """Gia Miễn, supported in 2018 after "complete" in 2017; its 2018 result is still a draft "excellent"."""
    plan = make_plan(tree.a, 2018, state=Plan.State.IN_PROGRESS)
    Target.objects.create(plan=plan, kind=Target.Kind.LEVEL, level=Level.GOOD, position=1)
    result = draft(tree.a, 2018, Level.EXCELLENT)
    return plan, result


def test_a_draft_excellent_does_not_make_the_outcome_improved(client, alice, plan_with_a_draft_result):
    plan, result = plan_with_a_draft_result
    client.force_login(alice)
    page = client.get(reverse("plans:detail", kwargs={"plan_id": plan.pk}))
    assert page.context["outcome"] is None
    assert 'id="drafts-left-out"' in page.content.decode()
    report = consolidation(None)
    assert [row.outcome for row in report.rows] == [None]
    assert (report.improved, report.measured, report.drafts) == (0, 0, 1)
    out = StringIO()
    call_command("consolidation_report", "--json", stdout=out)
    assert json.loads(out.getvalue())[0]["outcome"] is None

    # Final: now it counts.
    result.state = Classification.State.FINAL
    result.save()
    page = client.get(reverse("plans:detail", kwargs={"plan_id": plan.pk}))
    assert page.context["outcome"] == "improved"
    assert 'id="drafts-left-out"' not in page.content.decode()
    assert (consolidation(None).improved, consolidation(None).drafts) == (1, 0)


def test_a_draft_level_reaches_no_level_target(plan_with_a_draft_result):
    plan, result = plan_with_a_draft_result
    level_target = plan.targets.get(kind=Target.Kind.LEVEL)
    assert plan_actuals(plan, [level_target])[level_target.pk].met is None
    result.state = Classification.State.FINAL
    result.save()
    assert plan_actuals(plan, [level_target])[level_target.pk].met is True


def test_the_consolidation_page_says_drafts_are_left_out(client, alice, plan_with_a_draft_result):
    client.force_login(alice)
    response = client.get(reverse("plans:consolidation"))
    assert response.context["report"].drafts == 1
    assert "1 result is still a draft and is not counted." in response.content.decode()


@pytest.mark.vietnamese
def test_the_note_reads_in_vietnamese(client, alice, plan_with_a_draft_result):
    client.force_login(alice)
    response = client.get(reverse("plans:consolidation"))
    assert "1 kết quả còn là dự thảo, chưa được tính" in response.content.decode()


def test_staff_selecting_by_hand_take_the_final_level_only(client, tree, alice):
    draft(tree.b, 2018, Level.COMPLETE)
    client.force_login(alice)
    client.post(
        reverse("plans:candidate_select"),
        {"organization": tree.b.pk, "year": 2019, "reason": "Đơn thư", "number": "3-QĐ/HU", "date": "10/01/2019"},
    )
    candidate = tree.b.candidacies.get()
    assert (candidate.classification, candidate.level) == (None, "")
