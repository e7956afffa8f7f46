"""The demo story: 2016–2018 results and the candidates the job finds in them."""

import json

import pytest
from django.core.management import call_command

from assessments.models import Classification
from plans.models import Candidate


@pytest.fixture
def demo(db):
    call_command("load_demo")


def test_the_story_of_the_report(demo, capsys):
    capsys.readouterr()
    call_command("classification_summary", "2018", "--org", "VL", "--json")
    data = json.loads(capsys.readouterr().out)
    assert (data["good_or_above"], data["total"], data["good_or_above_percent"]) == (49, 53, 92.45)

    def proposed(year):
        return set(
            Candidate.objects.filter(year=year, status=Candidate.Status.PROPOSED).values_list(
                "organization__code", flat=True
            )
        )

    assert proposed(2017) == {"VL-GIAMIEN"}
    assert proposed(2018) == {"VL-TANMY"}
    assert "VL-THUYHUNG" in proposed(2019)
    levels = dict(Classification.objects.filter(organization__code="VL-GIAMIEN").values_list("year", "level"))
    assert levels == {2016: "complete", 2017: "good", 2018: "good"}
    tan_my = dict(Classification.objects.filter(organization__code="VL-TANMY").values_list("year", "level"))
    assert (tan_my[2017], tan_my[2018]) == ("complete", "good")
    labels = set(Classification.objects.filter(year__lte=2017).values_list("label", flat=True))
    assert "Trong sạch, vững mạnh" in labels and "Hoàn thành xuất sắc nhiệm vụ" not in labels


def test_loading_twice_changes_nothing(demo):
    before = (list(Classification.objects.order_by("pk").values()), list(Candidate.objects.order_by("pk").values()))
    call_command("load_demo")
    after = (list(Classification.objects.order_by("pk").values()), list(Candidate.objects.order_by("pk").values()))
    assert before == after
