"""`manage.py classification_summary YEAR [--org CODE] [--json]`."""

import json

import pytest
from django.core.management import CommandError, call_command

from tests.assessments.factories import classify


def summary(capsys, *args):
    call_command("classification_summary", *args)
    return capsys.readouterr().out


@pytest.fixture
def results(tree):
    classify(tree.a, 2018, "excellent")
    classify(tree.b, 2018, "complete")
    classify(tree.y, 2018, "good")
    classify(tree.a1, 2018, "incomplete")  # a cell: not a TCCSĐ, not counted
    classify(tree.a, 2017, "complete")


def test_json_everywhere(results, capsys):
    assert json.loads(summary(capsys, "2018", "--json")) == {
        "year": 2018,
        "total": 3,
        "by_level": {"excellent": 1, "good": 1, "complete": 1, "incomplete": 0},
        "good_or_above": 2,
        "good_or_above_percent": 66.67,
    }


def test_json_in_a_subtree(results, capsys):
    data = json.loads(summary(capsys, "2018", "--org", "D", "--json"))
    assert (data["total"], data["good_or_above"], data["good_or_above_percent"]) == (2, 1, 50.0)


def test_an_empty_year(tree, capsys):
    data = json.loads(summary(capsys, "2030", "--json"))
    assert (data["total"], data["good_or_above_percent"]) == (0, None)


def test_text_uses_the_year_labels_and_vietnamese_percent(results, capsys):
    out = summary(capsys, "2018", "--org", "D")
    assert "Hoàn thành xuất sắc nhiệm vụ" in out and "1/2 = 50,00%" in out


def test_unknown_org(tree):
    with pytest.raises(CommandError, match="NOPE"):
        call_command("classification_summary", "2018", "--org", "NOPE")
