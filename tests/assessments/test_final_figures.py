"""The year page and `classification_summary` count final results only, and say how many drafts
they leave out; the "changed" list compares two final results."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Classification
from assessments.queries import changed_since_last_year, year_summary
from tests.assessments.factories import classify

DRAFT = Classification.State.DRAFT


@pytest.fixture
def results(tree):
    classify(tree.a, 2018, "complete")
    classify(tree.b, 2018, "excellent", state=DRAFT)  # not decided yet
    classify(tree.a, 2017, "good")
    classify(tree.b, 2017, "complete")


def test_the_year_page_counts_final_results_only(client, tree, alice, results):
    client.force_login(alice)
    response = client.get(reverse("assessments:year", kwargs={"org_code": tree.d.code, "year": 2018}))
    summary = response.context["summary"]
    assert (summary["total"], summary["by_level"]["excellent"], summary["by_level"]["complete"]) == (1, 0, 1)
    assert [row["total"] for row in response.context["sectors"]] == [1]
    assert {row["year"]: row["total"] for row in response.context["trend"]} == {2017: 2, 2018: 1}
    assert "1 result is still a draft and is not counted." in response.content.decode()
    # Only Gia Miễn changed between two final results; Tân Mỹ's draft says nothing yet.
    assert [result.organization.code for result in response.context["changed"]] == ["D-A"]


def test_a_draft_of_the_year_before_is_not_a_change(tree, results):
    Classification.objects.filter(organization=tree.a, year=2017).update(state=DRAFT)
    assert not changed_since_last_year(year=2018, root=tree.d).exists()


def test_a_unit_outside_its_life_span_is_not_counted(tree):
    import datetime

    tree.b.dissolved = datetime.date(2017, 12, 31)
    tree.b.save()
    classify(tree.a, 2018, "good")
    classify(tree.b, 2018, "good")  # a stray row after its dissolution
    assert year_summary(year=2018, root=tree.d)["total"] == 1


@pytest.mark.vietnamese
def test_the_page_says_so_in_vietnamese(client, tree, alice, results):
    client.force_login(alice)
    response = client.get(reverse("assessments:year", kwargs={"org_code": tree.d.code, "year": 2018}))
    assert "1 kết quả còn là dự thảo, chưa được tính" in response.content.decode()


def test_the_command_counts_final_results_and_names_the_drafts(tree, results, capsys):
    call_command("classification_summary", "2018", "--org", "D", "--json")
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], data["good_or_above"]) == (1, 0)
    call_command("classification_summary", "2018", "--org", "D")
    assert "1 result is still a draft and is not counted." in capsys.readouterr().out
