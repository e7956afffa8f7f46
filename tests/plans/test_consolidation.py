"""The consolidation page and the `consolidation_report` command: outcomes across years."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import Level
from plans.models import Plan
from tests.plans.factories import classify, make_plan


@pytest.fixture
def plans(tree):
    improved = make_plan(tree.a, 2017)  # triggered by complete in 2016
    classify(tree.a, 2017, Level.GOOD)
    worse = make_plan(tree.b, 2018)
    classify(tree.b, 2018, Level.INCOMPLETE)
    pending = make_plan(tree.a, 2019)  # 2018 complete, 2019 not classified yet
    cancelled = make_plan(tree.y, 2018, state=Plan.State.CANCELLED)
    classify(tree.y, 2018, Level.COMPLETE)
    return improved, worse, pending, cancelled


@pytest.mark.vietnamese
def test_the_page_lists_every_plan_of_the_scope_with_its_outcome(client, alice, plans, django_assert_num_queries):
    client.force_login(alice)
    client.get(reverse("plans:consolidation"))

    # 1 session, 2 user, 3 role with its organization, 4 the share and the number of plans (three
    # values per plan), 5 the page of plans with unit, lead and both levels, 6 the units selected
    # but still without a plan: one query more than when every plan of the scope was read to
    # show a page of 100.
    with django_assert_num_queries(6):
        response = client.get(reverse("plans:consolidation"))

    report = response.context["report"]
    assert [(r.plan.organization.code, r.plan.year, r.outcome) for r in report.rows] == [
        ("D-A", 2017, "improved"),
        ("D-B", 2018, "worse"),
        ("D-A", 2019, None),
    ]
    assert (report.improved, report.measured) == (1, 2)
    assert "1/2 = 50,00%" in response.content.decode()


def test_the_command_prints_the_interface_json(plans):
    out = StringIO()
    call_command("consolidation_report", "--json", stdout=out)

    assert json.loads(out.getvalue()) == [
        {"code": "D-A", "year": 2017, "level_before": "complete", "level_after": "good", "outcome": "improved"},
        {"code": "D-B", "year": 2018, "level_before": "complete", "level_after": "incomplete", "outcome": "worse"},
        {"code": "X-Y", "year": 2018, "level_before": "complete", "level_after": "complete", "outcome": "unchanged"},
        {"code": "D-A", "year": 2019, "level_before": "complete", "level_after": None, "outcome": None},
    ]


def test_the_command_keeps_to_an_organization(plans):
    out = StringIO()
    call_command("consolidation_report", "--org", "X", "--json", stdout=out)

    assert [row["code"] for row in json.loads(out.getvalue())] == ["X-Y"]
    with pytest.raises(CommandError, match="Unknown organization code"):
        call_command("consolidation_report", "--org", "NOPE")


def test_the_level_before_falls_back_to_the_year_before(tree):
    plan = make_plan(tree.a, 2018)
    plan.candidate.level = ""
    plan.candidate.save()
    classify(tree.a, 2017, Level.INCOMPLETE)
    classify(tree.a, 2018, Level.COMPLETE)
    out = StringIO()

    call_command("consolidation_report", "--json", stdout=out)

    assert json.loads(out.getvalue())[0]["level_before"] == "incomplete"
    assert json.loads(out.getvalue())[0]["outcome"] == "improved"


def test_units_selected_without_a_plan_are_listed_with_a_link_to_write_it(client, tree, alice):
    from plans.models import Candidate
    from tests.plans.factories import make_candidate

    selected = make_candidate(tree.b, 2020, decision=Candidate.Decision.SELECTED, decision_number="35-QĐ/HU")
    make_candidate(tree.a, 2020)  # pending: not listed
    client.force_login(alice)
    response = client.get(reverse("plans:consolidation"))
    assert response.context["without_plan"] == [selected]
    body = response.content.decode()
    assert reverse("plans:plan_create", kwargs={"candidate_id": selected.pk}) in body
    assert "decision no. 35-QĐ/HU" in body
