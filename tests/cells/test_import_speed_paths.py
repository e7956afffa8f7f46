"""The short cuts the imports take at national scale give the same results as the long way.

- `field__any=[...]` (one array parameter on PostgreSQL) selects what `field__in=[...]` does;
- a CSV row is checked whole, and cell by cell only when it holds something suspicious;
- the organization import compares stored rows as tuples, yet still repairs what differs;
- `audit_bulk` writes the entry of a new object that django-auditlog's own diff describes.
"""

import datetime

import pytest
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from assessments.models import Classification
from cells.audit import audit_bulk, readable
from cells.importing import organizations_import
from cells.models import Meeting, Organization
from cells.tabular import read_rows
from tests.cells.importfiles import write_csv


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_any_selects_what_in_selects(tree):
    codes = ["D-A", "D-B-1", "nothing-here", None]
    assert sorted(Organization.objects.filter(code__any=codes).values_list("code", flat=True)) == ["D-A", "D-B-1"]
    pks = [tree.a.pk, tree.y1.pk]
    assert set(Organization.objects.filter(pk__any=pks)) == set(Organization.objects.filter(pk__in=pks))
    # A foreign key takes the keys, as `__in` does.
    children = Organization.objects.filter(parent_id__any=[tree.a.pk, tree.b.pk]).values_list("code", flat=True)
    assert sorted(children) == ["D-A-1", "D-A-2", "D-B-1"]
    assert sorted(Organization.objects.filter(parent__any=[tree.x.pk]).values_list("code", flat=True)) == ["X-Y"]
    # Text with the characters an array literal escapes, and dates.
    odd = Organization.objects.create(code="ODD", name='Chi bộ "Tân Mỹ" \\ 1, {2}', kind=Organization.Kind.CELL)
    assert list(Organization.objects.filter(name__any=[odd.name, "other"])) == [odd]
    assert Organization.objects.filter(founded__any=[datetime.date(2020, 1, 1)]).count() == 0
    assert not Organization.objects.filter(pk__any=[]).exists()
    assert not Organization.objects.filter(pk__any=[None]).exists()
    # A subquery stays a subquery.
    inner = Organization.objects.filter(code="D").values("pk")
    assert sorted(Organization.objects.filter(parent__any=inner).values_list("code", flat=True)) == ["D-A", "D-B"]


def test_a_csv_row_checked_whole_keeps_every_cell_and_problem(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(
        "code,name,kind,parent_code\n"
        " A1 , Chi bộ  1 ,Chi bộ trực thuộc,P\n"  # spaces around cells
        "A2,Chi bộ 2\n"  # a short row: the missing cells are empty
        "A3,#REF!,Chi bộ trực thuộc,P\n"  # an Excel error
        "A4,Chi\x00bộ,Chi bộ trực thuộc,P\n"  # a control character
        ",,,,\n"  # an empty row
        ",,,,extra\n",  # a value beyond the named columns only
        encoding="utf-8",
    )
    errors = []
    rows = list(read_rows(path, required=("code", "name", "kind", "parent_code"), errors=errors))
    assert rows[0] == (2, {"code": "A1", "name": "Chi bộ  1", "kind": "Chi bộ trực thuộc", "parent_code": "P"})
    assert rows[1] == (3, {"code": "A2", "name": "Chi bộ 2", "kind": "", "parent_code": ""})
    assert rows[2][1]["name"] == "" and rows[3][1]["name"] == "Chibộ"
    assert rows[4] == (7, {"code": "", "name": "", "kind": "", "parent_code": ""})
    assert len(rows) == 5
    assert [(error.row, error.column) for error in errors] == [(4, "name"), (5, "name")]
    assert "#REF!" in errors[0].message and "U+0000" in errors[1].message


def test_a_reimport_updates_only_what_differs_and_repairs_a_stale_search_name(tree, tmp_path):
    rows = [
        ("D-A", "Đảng bộ xã Gia Miễn", "Đảng bộ cơ sở", "D", "xã"),
        ("D-A-1", "Chi bộ Nặm Bao", "Chi bộ trực thuộc", "D-A", ""),
        ("D-A-2", "Chi bộ Bản Làn mới", "Chi bộ trực thuộc", "D-A", ""),
    ]
    Organization.objects.filter(pk=tree.a1.pk).update(name_folded="stale")
    entries = LogEntry.objects.count()
    result = organizations_import(path=write_csv(tmp_path, rows))
    assert not result.errors
    assert (result.created, result.updated, result.unchanged, result.moved) == (0, 2, 1, 0)
    tree.a1.refresh_from_db()
    tree.a2.refresh_from_db()
    assert tree.a1.name_folded == "chi bo nam bao"
    assert (tree.a2.name, tree.a2.name_folded) == ("Chi bộ Bản Làn mới", "chi bo ban lan moi")
    assert LogEntry.objects.count() == entries + 2
    assert LogEntry.objects.get_for_object(tree.a2).latest("pk").changes["name"] == [
        "Chi bộ Bản Làn",
        "Chi bộ Bản Làn mới",
    ]
    again = organizations_import(path=write_csv(tmp_path, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert LogEntry.objects.count() == entries + 2


@pytest.mark.parametrize("make", ["meeting", "classification"])
def test_a_bulk_create_entry_is_what_auditlog_would_write(tree, make):
    if make == "meeting":
        obj = Meeting(
            organization=tree.a1,
            date=datetime.date(2025, 3, 5),
            kind=Meeting.Kind.THEMED,
            members_total=12,
            members_present=10,
            duration_minutes=None,
            topic="Học tập",
        )
        Meeting.objects.bulk_create([obj])
    else:
        obj = Classification(organization=tree.a1, year=2024, level="good", label="Hoàn thành tốt nhiệm vụ")
        Classification.objects.bulk_create([obj])
    obj = type(obj).objects.get(pk=obj.pk)
    expected = readable(obj, {name: list(values) for name, values in model_instance_diff(None, obj).items()})
    assert audit_bulk(action="create", objects=[obj]) == 1
    entry = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).latest("pk")
    assert entry.action == LogEntry.Action.CREATE
    assert entry.changes == expected
    assert entry.changes["organization"] == ["None", str(tree.a1.pk)]


def test_a_bulk_insert_keeps_quotes_and_backslashes(tree):
    """Django sends a bulk insert as arrays (UNNEST); `cells.arrays.ArrayDumper` escapes their text."""
    topics = ['Học tập "Di chúc"', "a \\ b", 'c\\"d', "e, {f}", "NULL", ""]
    Meeting.objects.bulk_create(
        Meeting(
            organization=tree.a1,
            date=datetime.date(2025, 1, day),
            kind=Meeting.Kind.REGULAR,
            members_total=9,
            members_present=8,
            topic=topic,
        )
        for day, topic in enumerate(topics, start=1)
    )
    stored = (
        Meeting.objects.filter(organization=tree.a1, date__year=2025).order_by("date").values_list("topic", flat=True)
    )
    assert list(stored) == topics
    assert audit_bulk(action="create", objects=list(Meeting.objects.filter(organization=tree.a1))) == len(topics)
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Meeting)).count() == len(topics)
    assert {
        entry.changes["topic"][1]
        for entry in LogEntry.objects.filter(content_type__model="meeting")
        if "topic" in entry.changes
    } == set(topics)
