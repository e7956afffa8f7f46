"""`manage.py flag_candidates YEAR [--json]`."""

import json

from django.core.management import call_command

from plans.models import Candidate, JobRun
from tests.assessments.factories import classify


def flag(capsys, *args):
    call_command("flag_candidates", *args)
    return capsys.readouterr().out


def test_json_lists_the_candidates_sorted_by_code(tree, capsys):
    classify(tree.y, 2018, "incomplete")
    classify(tree.a, 2018, "complete")
    classify(tree.b, 2018, "excellent")
    rows = json.loads(flag(capsys, "2018", "--json"))
    assert [row["code"] for row in rows] == ["D-A", "X-Y"]
    assert rows[0]["name"] == "Đảng bộ xã Gia Miễn"
    assert rows[0]["level"] == "complete"
    assert rows[1]["level"] == "incomplete"
    assert all(isinstance(row["reasons"], list) and row["reasons"] for row in rows)
    assert set(rows[0]) == {"code", "name", "level", "reasons"}
    assert JobRun.objects.get().trigger == JobRun.Trigger.COMMAND


def test_running_twice_and_after_a_correction(tree, capsys):
    a = classify(tree.a, 2018, "complete")
    first = json.loads(flag(capsys, "2018", "--json"))
    assert json.loads(flag(capsys, "2018", "--json")) == first
    assert Candidate.objects.count() == 1
    a.level, a.label = "good", "Hoàn thành tốt nhiệm vụ"
    a.save()
    assert json.loads(flag(capsys, "2018", "--json")) == []  # withdrawn: not listed
    assert Candidate.objects.get().status == Candidate.Status.WITHDRAWN


def test_text_output(tree, capsys):
    classify(tree.a, 2018, "complete")
    out = flag(capsys, "2018")
    assert "2019" in out and "D-A" in out and "Hoàn thành nhiệm vụ" in out
