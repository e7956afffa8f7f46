"""`import_organizations` with the optional life-span columns: active_from, active_to, successor_code."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.utils import translation

from cells.importing import organizations_import
from cells.models import Organization
from tests.cells.importfiles import write_csv, write_xlsx

D = datetime.date
HEADER = ("code", "name", "kind", "parent_code", "sector", "active_from", "active_to", "successor_code")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def reform_rows(cell_parent="D-A"):
    """The 2019 merger as a file: Trùng Quán ends and goes into Bắc Hùng; one cell moves along."""
    return [
        ("D-TQ", "Đảng bộ xã Trùng Quán", "Đảng bộ cơ sở", "D", "xã", "", "31/12/2019", "D-BH"),
        ("D-BH", "Đảng bộ xã Bắc Hùng", "Đảng bộ cơ sở", "D", "xã", "2020-01-01", "", ""),
        ("D-TQ-1", "Chi bộ thôn Pò Mới", "Chi bộ trực thuộc", "D-TQ", "", "", "", ""),
        ("D-TQ-2", "Chi bộ thôn Nà Lầy", "Chi bộ trực thuộc", "D-BH", "", "", "", ""),  # moved to the successor
    ]


def test_the_reform_is_imported_with_life_spans_and_the_successor(tmp_path, tree):
    result = organizations_import(path=write_csv(tmp_path, reform_rows(), header=HEADER))
    assert result.ok, result.errors
    old, new = Organization.objects.get(code="D-TQ"), Organization.objects.get(code="D-BH")
    assert (old.dissolved, old.successor_id, old.founded) == (D(2019, 12, 31), new.pk, None)
    assert (new.founded, new.dissolved) == (D(2020, 1, 1), None)
    # The cell that stayed ends with its commune; the cell moved to the successor goes on.
    assert Organization.objects.get(code="D-TQ-1").dissolved == D(2019, 12, 31)
    assert Organization.objects.get(code="D-TQ-2").dissolved is None
    assert list(Organization.objects.within(old).active_in(2020)) == []


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_the_same_file_again_changes_nothing(tmp_path, tree, writer):
    path = writer(tmp_path, reform_rows(), header=HEADER)
    assert organizations_import(path=path).ok
    entries = LogEntry.objects.count()
    again = organizations_import(path=path)
    assert again.ok and (again.created, again.updated, again.moved) == (0, 0, 0)
    assert again.unchanged == 4
    assert LogEntry.objects.count() == entries


def test_existing_units_get_their_end_and_the_change_is_previewed_and_audited(tmp_path, tree):
    rows = [
        ("D-A", "Đảng bộ xã Gia Miễn", "Đảng bộ cơ sở", "D", "xã", "", "30/06/2025", "D-B"),
    ]
    preview = organizations_import(path=write_csv(tmp_path, rows, header=HEADER), dry_run=True)
    assert preview.ok and preview.updated == 1
    assert ("active_to", "", "30/06/2025") in preview.changes[0].fields
    assert ("successor_code", "", "D-B") in preview.changes[0].fields
    assert Organization.objects.get(code="D-A").dissolved is None  # a dry run writes nothing
    result = organizations_import(path=write_csv(tmp_path, rows, header=HEADER))
    assert result.ok
    for code in ("D-A", "D-A-1", "D-A-2"):
        unit = Organization.objects.get(code=code)
        assert unit.dissolved == D(2025, 6, 30), code
        entry = LogEntry.objects.get_for_object(unit).latest("timestamp")
        assert entry.changes["dissolved"] == ["None", "2025-06-30"]


def test_a_file_without_the_columns_keeps_the_life_spans(tmp_path, tree):
    tree.a.dissolved, tree.a.successor = D(2019, 12, 31), tree.b
    tree.a.save()
    rows = [("D-A", "Đảng bộ xã Gia Miễn", "Đảng bộ cơ sở", "D", "xã")]
    assert organizations_import(path=write_csv(tmp_path, rows)).ok
    unit = Organization.objects.get(code="D-A")
    assert (unit.dissolved, unit.successor_id) == (D(2019, 12, 31), tree.b.pk)


@pytest.mark.parametrize(
    "row, column, message",
    [
        (
            ("D-N", "Đảng bộ xã Mới", "Đảng bộ cơ sở", "D", "xã", "2020-01-01", "2019-12-31", ""),
            "active_to",
            "before the start",
        ),
        (("D-N", "Đảng bộ xã Mới", "Đảng bộ cơ sở", "D", "xã", "12/31/2019", "", ""), "active_from", "is not a date"),
        (
            ("D-N", "Đảng bộ xã Mới", "Đảng bộ cơ sở", "D", "xã", "", "31/12/2019", "NOPE"),
            "successor_code",
            "No organization has the code",
        ),
        (("D-N", "Đảng bộ xã Mới", "Đảng bộ cơ sở", "D", "xã", "", "", "D-B"), "successor_code", "active_to is empty"),
        (
            ("D-N", "Đảng bộ xã Mới", "Đảng bộ cơ sở", "D", "xã", "", "31/12/2019", "D-N"),
            "successor_code",
            "cannot succeed itself",
        ),
        (
            ("D-N", "Đảng bộ xã Mới", "Đảng bộ cơ sở", "D", "xã", "", "31/12/2019", "X-Y"),
            "successor_code",
            "not active on 01/01/2020",
        ),
    ],
)
def test_a_bad_life_span_rejects_the_whole_file(tmp_path, tree, row, column, message):
    tree.y.dissolved = D(2018, 6, 30)  # Yên Ngoại ended before: it cannot take over in 2020
    tree.y.save()
    good = ("D-G", "Đảng bộ xã Tốt", "Đảng bộ cơ sở", "D", "xã", "", "", "")
    result = organizations_import(path=write_csv(tmp_path, [good, row], header=HEADER))
    assert not result.ok
    assert any(error.column == column and message in error.message for error in result.errors), result.errors
    assert not Organization.objects.filter(code__in=["D-G", "D-N"]).exists()


def test_a_successor_founded_later_in_the_file_is_refused(tmp_path, tree):
    rows = [
        ("D-TQ", "Đảng bộ xã Trùng Quán", "Đảng bộ cơ sở", "D", "xã", "", "31/12/2019", "D-BH"),
        ("D-BH", "Đảng bộ xã Bắc Hùng", "Đảng bộ cơ sở", "D", "xã", "01/03/2020", "", ""),
    ]
    result = organizations_import(path=write_csv(tmp_path, rows, header=HEADER))
    assert [error.column for error in result.errors] == ["successor_code"]
    assert "01/01/2020" in result.errors[0].message


def test_an_end_before_the_stored_start_is_refused(tmp_path, tree):
    tree.b.founded = D(2015, 1, 1)
    tree.b.save()
    rows = [("D-B", "Đảng bộ xã Tân Mỹ", "Đảng bộ cơ sở", "D", "xã", "31/12/2014")]
    header = ("code", "name", "kind", "parent_code", "sector", "active_to")
    result = organizations_import(path=write_csv(tmp_path, rows, header=header))
    assert [error.column for error in result.errors] == ["active_to"]
    assert Organization.objects.get(code="D-B").dissolved is None
