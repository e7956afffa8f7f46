"""`export_audit_log [--org CODE] [--since YYYY-MM-DD] [--json]`: the change log in time order."""

import datetime
import io
import json

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from assessments.models import Classification
from assessments.services import ResultRow, classifications_write
from tests.cells.factories import make_meeting

KEYS = {"time", "actor", "action", "model", "object", "organization", "changes", "reason"}


def export(*args):
    out = io.StringIO()
    call_command("export_audit_log", *args, stdout=out)
    return out.getvalue()


def corrected(tree, alice):
    rows = [ResultRow(organization_id=tree.a.pk, year=2018, level="complete")]
    classifications_write(rows=rows, existing={}, finalize=True, user=alice)
    result = Classification.objects.get(organization=tree.a, year=2018)
    rows = [ResultRow(organization_id=tree.a.pk, year=2018, level="good", reason="Phúc tra của Ủy ban Kiểm tra")]
    classifications_write(rows=rows, existing={(tree.a.pk, 2018): result}, finalize=True, user=alice)
    return result


def test_json_entries_in_time_order_with_their_fixed_keys(tree, alice):
    result = corrected(tree, alice)
    entries = json.loads(export("--json"))
    assert all(set(entry) == KEYS for entry in entries)
    assert [e["time"] for e in entries] == sorted(e["time"] for e in entries)
    mine = [e for e in entries if e["model"] == "classification" and e["object"] == str(result.pk)]
    created, updated = mine
    assert created["action"] == "create" and updated["action"] == "update"
    assert updated["actor"] == "alice" and updated["organization"] == "D-A"
    assert updated["changes"]["level"] == ["Hoàn thành nhiệm vụ", "Hoàn thành tốt nhiệm vụ"]  # as written, not codes
    assert updated["reason"] == "Phúc tra của Ủy ban Kiểm tra" and created["reason"] is None
    moment = datetime.datetime.fromisoformat(updated["time"])
    assert moment.utcoffset() == datetime.timedelta(hours=7)
    organization = next(e for e in entries if e["model"] == "organization" and e["object"] == "D-A")
    assert organization["action"] == "create" and organization["organization"] == "D-A"
    correction = next(e for e in entries if e["model"] == "classificationchange")
    assert correction["reason"] == "Phúc tra của Ủy ban Kiểm tra"


def test_org_keeps_the_subtree(tree):
    make_meeting(tree.a1)
    make_meeting(tree.y1)
    codes = {e["organization"] for e in json.loads(export("--json", "--org", "D-A"))}
    assert codes == {"D-A", "D-A-1", "D-A-2"}


def test_since_keeps_the_entries_from_that_day(tree):
    make_meeting(tree.a1)
    LogEntry.objects.update(timestamp=datetime.datetime(2020, 5, 1, 12, tzinfo=datetime.UTC))
    make_meeting(tree.a2)
    recent = json.loads(export("--json", "--since", "2021-01-01"))
    assert [e["model"] for e in recent] == ["meeting"]
    assert len(json.loads(export("--json", "--since", "2020-01-01"))) == LogEntry.objects.count()


def test_text_lines(tree, alice):
    corrected(tree, alice)
    text = export("--org", "D-A")
    assert "Hoàn thành nhiệm vụ → Hoàn thành tốt nhiệm vụ" in text and "Phúc tra" in text


@pytest.mark.parametrize("args, message", [(["--org", "NOPE"], "NOPE"), (["--since", "01/02/2020"], "YYYY-MM-DD")])
def test_bad_arguments_are_refused_with_a_message(tree, args, message):
    with pytest.raises(CommandError, match=message):
        export(*args)


def moved(cell, parent):
    cell.parent = parent
    cell.save()
    return LogEntry.objects.get_for_object(cell).filter(action=LogEntry.Action.UPDATE).latest("pk")


def test_a_reference_is_printed_with_the_name_of_what_it_points_at(tree):
    entry = moved(tree.a1, tree.b)
    entries = json.loads(export("--json"))
    record = next(e for e in entries if e["object"] == "D-A-1" and e["action"] == "update")
    assert record["changes"]["parent"] == [
        f"Đảng bộ xã Gia Miễn (D-A) [#{tree.a.pk}]",
        f"Đảng bộ xã Tân Mỹ (D-B) [#{tree.b.pk}]",
    ]
    entry.changes = {"parent": ["987654", str(tree.b.pk)]}  # a row that no longer exists: its key
    entry.save(update_fields=["changes"])
    text = export("--org", "D")
    assert f"parent: #987654 → Đảng bộ xã Tân Mỹ (D-B) [#{tree.b.pk}]" in text


def test_names_are_read_in_bulk_whatever_the_number_of_entries(tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_of_the_export():
        with CaptureQueriesContext(connection) as queries:
            export("--json")
        return len(queries)

    moved(tree.a1, tree.b)
    few = queries_of_the_export()
    for cell in (tree.a2, tree.y1):
        moved(cell, tree.b)
    moved(tree.y, tree.d)
    assert queries_of_the_export() == few  # the entries, then one query for the organizations they name
