"""The machinery the web imports share (cells/import_uploads.py): the bar of a run that reads a
file, the session's uploads waiting for their confirmation, and the organization check's change lists."""

from importlib import import_module

from django.conf import settings
from openpyxl import Workbook

from cells.import_uploads import (
    CHANGES_PER_KIND,
    changes_summary,
    pending_add,
    pending_has,
    pending_take,
    rows_progress,
)
from cells.importing.plan import ImportResult, PlannedChange
from cells.uploads import table_rows_estimate


def test_the_bar_follows_the_rows_read_against_the_files_estimate(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("code,year,level\n" + "D-A,2018,good\n" * 1999, encoding="utf-8")
    heard = []

    rows_read = rows_progress(path, lambda percent, step: heard.append((percent, step)))
    for rows in (0, 1000, 1999, 2500):  # an estimate may fall short: the bar never passes 95 %
        rows_read(rows)

    assert table_rows_estimate(path) == 2000
    assert [percent for percent, _step in heard] == [5, 50, 94, 95]
    assert heard[1][1] == "1,000 rows checked"


def test_a_workbook_says_its_rows_before_it_is_read(tmp_path):
    workbook = Workbook()
    for number in range(1, 301):
        workbook.active.append(["D-A", 2018, number])
    workbook.save(tmp_path / "rows.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")

    assert table_rows_estimate(tmp_path / "rows.xlsx") == 300
    assert table_rows_estimate(tmp_path / "broken.xlsx") is None
    heard = []
    rows_progress(tmp_path / "broken.xlsx", lambda percent, step: heard.append(percent))(10)
    assert heard == [50]  # no estimate: half way, until the run ends


def test_an_upload_waits_in_its_session_and_is_taken_once():
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    for number in range(7):
        pending_add(session, "imports_x", f"token{number}", f"file{number}.csv")

    assert not pending_has(session, "imports_x", "token0")  # only the last five wait
    assert pending_has(session, "imports_x", "token6") and not pending_has(session, "imports_x", "")
    assert pending_take(session, "imports_x", "token6") == "file6.csv"
    assert pending_take(session, "imports_x", "token6") is None
    assert not pending_has(session, "imports_y", "token5")


def test_the_change_lists_sort_each_change_under_each_of_its_kinds_and_stay_bounded():
    both = PlannedChange(
        3, "D-A-1", "Chi bộ mới", False, [("name", "Chi bộ cũ", "Chi bộ mới"), ("parent_code", "D-A", "D-B")]
    )
    ended = PlannedChange(4, "D-A-2", "Chi bộ Bản Làn", False, [("active_to", "", "31/12/2018")])
    founded = PlannedChange(5, "D-B", "Đảng bộ xã Tân Mỹ", False, [("active_from", "", "01/01/2000")])
    created = [PlannedChange(10 + n, f"N{n}", "Chi bộ", True) for n in range(CHANGES_PER_KIND + 5)]
    result = ImportResult(created=len(created) + 40, updated=3, moved=1, changes=[both, ended, founded, *created])

    summary = changes_summary(result)

    kinds = summary["kinds"]
    assert {kind: [c["code"] for c in part["listed"]] for kind, part in kinds.items() if kind != "created"} == {
        "moved": ["D-A-1"],
        "renamed": ["D-A-1"],
        "ended": ["D-A-2"],
        "other": ["D-B"],
    }
    assert (kinds["created"]["count"], len(kinds["created"]["listed"])) == (CHANGES_PER_KIND + 45, CHANGES_PER_KIND)
    assert (summary["sorted"], summary["complete"]) == (CHANGES_PER_KIND + 8, False)
    assert kinds["ended"]["listed"][0] == {
        "row": 4,
        "code": "D-A-2",
        "name": "Chi bộ Bản Làn",
        "fields": [("active_to", "", "31/12/2018")],
    }
