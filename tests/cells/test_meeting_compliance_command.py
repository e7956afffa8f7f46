"""manage.py meeting_compliance YEAR [--org CODE] [--json]."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from cells.models import Meeting
from tests.cells.factories import make_meeting
from tests.conftest import Kind, make_org

D = datetime.date


def run(*args) -> str:
    out = io.StringIO()
    call_command("meeting_compliance", *args, stdout=out)
    return out.getvalue()


def test_json_lists_every_cell_of_the_scope_sorted_by_code(tree):
    make_meeting(tree.a2, date=D(2018, 1, 5))
    make_meeting(tree.a2, date=D(2018, 2, 5), kind=Meeting.Kind.COMBINED)
    make_meeting(tree.a2, date=D(2018, 3, 5), kind=Meeting.Kind.THEMED)
    make_meeting(tree.b1, date=D(2017, 3, 5))
    assert json.loads(run("2018", "--org", "D-A", "--json")) == [
        {"code": "D-A-1", "regular_meetings": 0, "themed_meetings": 0},
        {"code": "D-A-2", "regular_meetings": 2, "themed_meetings": 2},
    ]


def test_without_org_every_cell_is_listed(tree):
    codes = [row["code"] for row in json.loads(run("2018", "--json"))]
    assert codes == ["D-A-1", "D-A-2", "D-B-1", "X-Y-1"]


def test_the_table_says_how_many_cells_met_regularly(tree):
    for month in range(1, 13):
        make_meeting(tree.a1, date=D(2018, month, 5))
    out = run("2018", "--org", "D-A")
    assert "D-A-1" in out and "12/12" in out and "1/2" in out


def test_an_unknown_org_is_an_error(tree):
    with pytest.raises(CommandError, match="NOPE"):
        run("2018", "--org", "NOPE")


def test_the_json_is_a_list_with_a_cell_a_line(tree):
    make_meeting(tree.a2, date=D(2018, 1, 5))
    lines = run("2018", "--org", "D-A", "--json").splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    assert json.loads(lines[2]) == {"code": "D-A-2", "regular_meetings": 1, "themed_meetings": 0}
    make_org("E", "Đảng bộ huyện Mới", Kind.UPPER_COMMITTEE, tree.province)  # no cell under it
    assert run("2018", "--org", "E", "--json") == "[]\n"
