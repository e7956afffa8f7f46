"""The plan page: targets against what the records say, tasks, outcome; a fixed number of queries."""

import pytest
from django.urls import reverse

from assessments.models import Level
from plans.models import Committee, Target
from tests.plans.factories import classify, make_plan, make_report, make_task


@pytest.fixture
def no_records(monkeypatch):
    monkeypatch.setattr("cells.compliance.meeting_counts", lambda *, organization, year: {})
    monkeypatch.setattr("cells.compliance.admissions_count", lambda *, organization, year: 0)


def test_the_plan_page_reads_in_a_fixed_number_of_queries(
    client, tree, alice, standing, no_records, django_assert_num_queries
):
    plan = make_plan(tree.a, 2018, lead=standing)
    Target.objects.create(plan=plan, kind=Target.Kind.LEVEL, level=Level.GOOD)
    for i in range(5):
        task = make_task(plan, assignee=standing if i % 2 else None, committee="" if i % 2 else Committee.OFFICE)
        make_report(task, alice)
    classify(tree.a, 2018, Level.GOOD)
    url = reverse("plans:detail", kwargs={"plan_id": plan.pk})
    client.force_login(alice)
    client.get(url)

    # 1 session, 2 user, 3 role, 4 plan with unit, candidate, lead and both levels, 5 targets,
    # 6 the unit's cells, 7 its classification for the year, 8 tasks with report counts and assignees
    with django_assert_num_queries(8):
        response = client.get(url)

    assert len(response.context["tasks"]) == 5
    assert response.context["outcome"] == "improved"
    assert [actual.met for _target, actual in response.context["target_rows"]] == [False, True]


def test_the_organization_page_lists_the_units_plans(client, tree, alice):
    plan = make_plan(tree.a, 2018)
    client.force_login(alice)

    response = client.get(reverse("cells:detail", kwargs={"org_code": tree.a.code}))

    assert reverse("plans:detail", kwargs={"plan_id": plan.pk}) in response.content.decode()
