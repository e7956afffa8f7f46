"""`manage.py import_organizations` and the service behind it (cells.importing)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cells.importing import MAX_LEVELS, organizations_import
from cells.models import Organization
from tests.cells.importfiles import district, write_csv, write_xlsx

Kind = Organization.Kind
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted on their English msgids, whatever the catalog holds."""
    with translation.override("en"):
        yield


def run(path, *args):
    """Run the command; return (stdout, stderr), raising CommandError on a rejected file."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_organizations", str(path), *args, stdout=out, stderr=err)
    finally:
        run.stderr = err.getvalue()
    return out.getvalue(), err.getvalue()


def org(code):
    return Organization.objects.get(code=code)


def snapshot():
    return (
        list(Organization.objects.order_by("pk").values_list("pk", "code", "name", "kind", "sector", "parent", "path")),
        LogEntry.objects.count(),
    )


# The happy paths.


@pytest.mark.django_db
@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_creates_the_tree_in_any_order_with_paths_and_audit(tmp_path, writer):
    # Cells first, the district last: a parent may come after its children.
    path = writer(tmp_path, district("H", cells=2))

    out, _ = run(path)

    assert "Created: 4, updated: 0, unchanged: 0." in out
    h, c0, cell = org("H"), org("H-C0"), org("H-C0-1")
    assert (h.parent, c0.parent, cell.parent) == (None, h, c0)
    assert (h.path, c0.path, cell.path) == (f"/{h.pk}/", f"/{h.pk}/{c0.pk}/", f"/{h.pk}/{c0.pk}/{cell.pk}/")
    assert (h.depth, c0.depth, cell.depth) == (0, 1, 2)
    assert (c0.kind, c0.sector, cell.kind, h.kind) == (
        Kind.GRASSROOTS_COMMITTEE,
        "commune",
        Kind.CELL,
        Kind.UPPER_COMMITTEE,
    )
    assert c0.name_folded == "dang bo xa so 0"
    # The tree answers subtree queries at once.
    assert Organization.objects.filter(path__startswith=h.path).count() == 4
    # One audit entry per created organization, from no user (the command), with its values.
    entries = LogEntry.objects.get_for_model(Organization)
    assert entries.count() == 4
    entry = LogEntry.objects.get_for_object(c0).get()
    assert entry.action == LogEntry.Action.CREATE and entry.actor is None
    assert entry.additional_data["job"] == "import_organizations"
    assert entry.additional_data["organization"] == "H-C0"
    assert entry.changes["code"] == ["None", "H-C0"]
    assert entry.changes["parent"] == ["None", str(h.pk)]
    # In the words a user reads; the path, derived from the parent, is not history.
    assert entry.changes["kind"] == ["None", "Grassroots party committee"]
    assert "path" not in entry.changes


@pytest.mark.django_db
def test_attaches_to_parents_already_in_the_database(tmp_path, tree):
    path = write_csv(tmp_path, [("D-A-9", "Chi bộ Khuổi Mò", "cell", "D-A", "")])

    run(path)

    new = org("D-A-9")
    assert new.parent == tree.a
    assert new.path == f"{tree.a.path}{new.pk}/" and new.depth == tree.a.depth + 1


@pytest.mark.django_db
def test_vietnamese_names_and_codes_in_any_case_and_spacing(tmp_path):
    rows = [
        ("R", "Tỉnh ủy", "  đảng   BỘ cấp TRÊN cơ sở ", "", ""),
        ("R-1", "Xã Một", "ĐẢNG BỘ CƠ SỞ", "R", "  XÃ "),
        ("R-2", "Thị trấn Hai", "Grassroots_Committee", "R", "Thị Trấn"),
        ("R-3", "Phường Ba", "grassroots committee", "R", "PHƯỜNG"),
        ("R-4", "Công ty", "chi bộ cơ sở", "R", "Doanh nghiệp"),
        ("R-1-1", "Chi bộ quân sự", "Chi Bộ Trực Thuộc", "R-1", "Quân sự"),
        ("R-1-2", "Chi bộ công an", "CELL", "R-1", "công an"),
        ("R-1-3", "Đảng bộ bộ phận", "đảng bộ bộ phận", "R-1", "đơn vị sự nghiệp"),
        ("R-5", "Cơ quan", "Chi bộ cơ sở", "R", "cơ quan"),
        ("R-6", "Khác", "Chi bộ cơ sở", "R", "Khác"),
        ("R-7", "Không dấu", "dang bo co so", "R", "xa"),
    ]
    run(write_csv(tmp_path, rows))

    got = dict(Organization.objects.values_list("code", "kind"))
    sectors = dict(Organization.objects.values_list("code", "sector"))
    assert got == {
        "R": Kind.UPPER_COMMITTEE,
        "R-1": Kind.GRASSROOTS_COMMITTEE,
        "R-2": Kind.GRASSROOTS_COMMITTEE,
        "R-3": Kind.GRASSROOTS_COMMITTEE,
        "R-4": Kind.GRASSROOTS_CELL,
        "R-1-1": Kind.CELL,
        "R-1-2": Kind.CELL,
        "R-1-3": Kind.SECTION_COMMITTEE,
        "R-5": Kind.GRASSROOTS_CELL,
        "R-6": Kind.GRASSROOTS_CELL,
        "R-7": Kind.GRASSROOTS_COMMITTEE,
    }
    assert sectors == {
        "R": "",
        "R-1": "commune",
        "R-2": "town",
        "R-3": "town",
        "R-4": "enterprise",
        "R-1-1": "military",
        "R-1-2": "police",
        "R-1-3": "public_service",
        "R-5": "agency",
        "R-6": "other",
        "R-7": "commune",
    }


@pytest.mark.django_db
def test_excel_csv_with_a_byte_order_mark(tmp_path):
    path = write_csv(tmp_path, district("H", cells=1), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    run(path)

    assert org("H-C0-0").name == "Chi bộ thôn 0"


@pytest.mark.django_db
def test_dry_run_reports_and_writes_nothing(tmp_path, tree):
    rows = [("D-A", "Đảng bộ xã Gia Miễn mới", "grassroots_committee", "D", "commune")] + district("H", cells=2)
    before = snapshot()

    out, _ = run(write_csv(tmp_path, rows), "--dry-run")

    assert "Dry run, nothing was written. Would create 4, update 1 and leave 0 unchanged." in out
    assert "Row 2: update D-A: name: Đảng bộ xã Gia Miễn → Đảng bộ xã Gia Miễn mới" in out
    assert "Row 3: create H-C0-0 (Chi bộ thôn 0)" in out
    assert snapshot() == before


# Re-importing.


@pytest.mark.django_db
@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_the_same_file_again_changes_nothing(tmp_path, writer):
    path = writer(tmp_path, district("H", cells=3, communes=2))
    run(path)
    before = snapshot()

    with CaptureQueriesContext(connection) as queries:
        out, _ = run(path)

    assert "Created: 0, updated: 0, unchanged: 9." in out
    assert snapshot() == before
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert [sql for sql in writes if '"cells_run"' not in sql] == []  # only the run's own record


@pytest.mark.django_db
def test_update_by_code_records_before_and_after(tmp_path, tree, alice):
    path = write_csv(
        tmp_path,
        [
            ("D-A", "Đảng bộ xã Gia Miễn (mới)", "Chi bộ cơ sở", "D", "xã"),
            ("D-A-1", "Chi bộ Nặm Bao", "Chi bộ trực thuộc", "D-A", ""),
        ],
    )

    out, _ = run(path)

    assert "Created: 0, updated: 1, unchanged: 1." in out
    a = org("D-A")
    assert (a.name, a.name_folded, a.kind, a.path) == (
        "Đảng bộ xã Gia Miễn (mới)",
        "dang bo xa gia mien (moi)",
        Kind.GRASSROOTS_CELL,
        tree.a.path,
    )
    entry = LogEntry.objects.get_for_object(a).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes == {
        "name": ["Đảng bộ xã Gia Miễn", "Đảng bộ xã Gia Miễn (mới)"],
        "kind": ["Grassroots party committee", "Grassroots party cell"],  # the words a user reads
    }
    assert entry.actor is None
    assert not LogEntry.objects.get_for_object(tree.a1).filter(action=LogEntry.Action.UPDATE).exists()


@pytest.mark.django_db
def test_a_changed_parent_moves_the_subtree(tmp_path, tree):
    # Commune A moves from district D to district X, and its cell A2 moves to commune B at the
    # same time: the nested move must not be undone by its ancestor's.
    path = write_csv(
        tmp_path,
        [
            ("D-A-2", "Chi bộ Bản Làn", "cell", "D-B", ""),
            ("D-A", "Đảng bộ xã Gia Miễn", "grassroots_committee", "X", "commune"),
            ("X-NEW", "Chi bộ mới", "cell", "D-A-1", ""),
        ],
    )

    out, _ = run(path)

    assert "Created: 1, updated: 2, unchanged: 0." in out
    a, a1, a2, new = org("D-A"), org("D-A-1"), org("D-A-2"), org("X-NEW")
    x, b = tree.x, tree.b
    assert a.parent == x and a.path == f"{x.path}{a.pk}/" and a.depth == 2
    assert a1.path == f"{a.path}{a1.pk}/" and a1.depth == 3  # carried along, not in the file
    assert a2.parent == b and a2.path == f"{b.path}{a2.pk}/" and a2.depth == 3
    assert new.path == f"{a1.path}{new.pk}/" and new.depth == 4
    entry = LogEntry.objects.get_for_object(a).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes["parent"] == [str(tree.d.pk), str(x.pk)]
    # Every path agrees with the parents.
    for organization in Organization.objects.all():
        assert organization.path == organization.expected_path()


@pytest.mark.django_db
def test_a_file_without_the_sector_column_keeps_sectors(tmp_path, tree):
    path = write_csv(tmp_path, [("D-A", "Đảng bộ xã Gia Miễn", "grassroots_committee", "D")], header=HEADER4)

    out, _ = run(path)

    assert "unchanged: 1." in out
    assert org("D-A").sector == "commune"


HEADER4 = ("code", "name", "kind", "parent_code")


# Bad input: the whole file is refused, with one message per problem, and nothing is written.

GOOD = ("OK-1", "Chi bộ tốt", "cell", "D-A", "")
BAD_ROWS = [
    pytest.param(
        ("N-1", "Chi bộ", "cell", "NOWHERE", ""),
        "parent_code",
        "No organization has the code “NOWHERE”",
        id="unknown-parent",
    ),
    pytest.param(("", "Chi bộ", "cell", "D-A", ""), "code", "The code is empty", id="missing-code"),
    pytest.param(("N-1", "  ", "cell", "D-A", ""), "name", "The name is empty", id="missing-name"),
    pytest.param(
        ("N-1", "Chi bộ", "", "D-A", ""),
        "kind",
        "The kind is empty. Write one of: “Đảng bộ cấp trên cơ sở”",
        id="missing-kind",
    ),
    pytest.param(
        ("N-1", "Chi bộ", "tổ đảng", "D-A", ""),
        "kind",
        "“tổ đảng” is not a kind of organization. Write one of:",
        id="unknown-kind",
    ),
    pytest.param(
        ("N-1", "Chi bộ", "cell", "D-A", "nông thôn"),
        "sector",
        "“nông thôn” is not a sector. Write one of: “xã”",
        id="unknown-sector",
    ),
    pytest.param(
        ("N" * 65, "Chi bộ", "cell", "D-A", ""),
        "code",
        "This value has 65 characters; at most 64 are allowed.",
        id="long-code",
    ),
    pytest.param(
        ("N-1", "C" * 256, "cell", "D-A", ""),
        "name",
        "This value has 256 characters; at most 255 are allowed.",
        id="long-name",
    ),
    pytest.param(
        ("N 1", "Chi bộ", "cell", "D-A", ""), "code", "The code “N 1” may hold only letters A–Z", id="code-space"
    ),
    pytest.param(
        ("TÂN-MỸ", "Chi bộ", "cell", "D-A", ""), "code", "The code “TÂN-MỸ” may hold only letters", id="code-diacritics"
    ),
    pytest.param(("N/1", "Chi bộ", "cell", "D-A", ""), "code", "The code “N/1” may hold only letters", id="code-slash"),
    pytest.param(
        ("N-1", "Chi bộ", "cell", "N-1", ""),
        "parent_code",
        "An organization cannot be its own parent",
        id="self-parent",
    ),
    pytest.param(
        ("OK-1", "Chi bộ khác", "cell", "D-A", ""), "code", "The code “OK-1” is already used on row 2", id="duplicate"
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "column", "message"), BAD_ROWS)
def test_a_bad_row_rejects_the_whole_file(tmp_path, tree, row, column, message):
    path = write_csv(tmp_path, [GOOD, row])
    before = snapshot()

    with pytest.raises(CommandError, match=r"1 problem\(s\) found. Nothing was changed."):
        run(path)

    assert f"Row 3, column {column}: {message}" in run.stderr
    assert snapshot() == before


@pytest.mark.django_db
def test_every_problem_is_reported_in_one_run(tmp_path, tree):
    rows = [
        ("L-1", "Vòng một", "cell", "L-2", ""),
        ("L-2", "Vòng hai", "cell", "L-1", ""),
        ("", "Không mã", "cell", "D-A", ""),
        ("Q-1", "Chi bộ", "lạ", "MISSING", ""),
    ]
    before = snapshot()

    result = organizations_import(path=write_csv(tmp_path, rows))

    assert [(e.row, e.column) for e in result.errors] == [
        (2, "parent_code"),
        (4, "code"),
        (5, "kind"),
        (5, "parent_code"),
    ]
    assert "The parent codes form a loop: L-1 → L-2 → L-1 (rows 2, 3)." in result.errors[0].message
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_loop_through_the_database_is_refused(tmp_path, tree):
    # District D would move under its own commune A, which the file does not mention.
    path = write_csv(tmp_path, [("D", "Đảng bộ huyện Đông", "upper_committee", "D-A-1", "")])
    before = snapshot()

    with pytest.raises(CommandError):
        run(path)

    assert "Row 2, column parent_code: The parent codes form a loop: D → D" in run.stderr
    assert snapshot() == before


@pytest.mark.django_db
def test_a_tree_too_deep_is_refused(tmp_path):
    rows = [("L0", "Gốc", "upper_committee", "", "")]
    rows += [(f"L{n}", f"Tầng {n}", "cell", f"L{n - 1}", "") for n in range(1, MAX_LEVELS + 1)]

    result = organizations_import(path=write_csv(tmp_path, rows))

    assert [(e.row, e.column) for e in result.errors] == [(MAX_LEVELS + 2, "parent_code")]
    assert "would lie 31 levels deep; at most 30 levels are allowed" in result.errors[0].message
    assert not Organization.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        pytest.param(b"", ".csv", "The file is empty: the first row must name the columns.", id="empty"),
        pytest.param(
            b"code,name,kind,parent_code\n", ".csv", "The file has a header row but no organizations.", id="header-only"
        ),
        pytest.param(
            b"code,name,parent\nA,B,C\n", ".csv", "lacks the column(s) kind, parent_code", id="missing-columns"
        ),
        pytest.param(
            "code,name,kind,parent_code\nA,Tân Lang,cell,\n".encode("cp1258"),
            ".csv",
            "The file is not UTF-8 text: it looks saved in an old Vietnamese encoding (Windows-1258).",
            id="not-utf8",
        ),
        pytest.param(b"PK\x03\x04garbage", ".xlsx", "not a readable Excel (.xlsx) workbook", id="broken-xlsx"),
        pytest.param(b"code", ".ods", "Unsupported file type .ods", id="other-type"),
    ],
)
def test_an_unreadable_file_is_refused(tmp_path, tree, content, suffix, message):
    path = tmp_path / f"orgs{suffix}"
    path.write_bytes(content)
    before = snapshot()

    with pytest.raises(CommandError):
        run(path)

    assert message in run.stderr
    assert snapshot() == before


@pytest.mark.django_db
def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "nowhere.csv")
    assert "File not found" in run.stderr


def test_the_command_exits_with_status_1(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("code,name\nA,B\n", encoding="utf-8")
    # A database of its own: the command records its run (failed) there.
    env = {**os.environ, "DJANGO_LANGUAGE_CODE": "en", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True)

    finished = subprocess.run(
        [sys.executable, "manage.py", "import_organizations", str(path)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert finished.returncode == 1
    assert "lacks the column(s) kind, parent_code" in finished.stderr
    runs = subprocess.run(
        [sys.executable, "manage.py", "job_runs", "--json"], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    [run] = json.loads(runs.stdout)
    assert (run["kind"], run["state"]) == ("import_organizations", "failed")
    assert "lacks the column(s) kind, parent_code" in run["error"]


# Scale: the queries grow with the number of batches, not of rows.


@pytest.mark.django_db
def test_query_count_does_not_grow_with_rows(tmp_path, django_assert_max_num_queries):
    small = write_csv(tmp_path, district("S", cells=48), name="small.csv")  # 50 rows
    large = write_csv(tmp_path, district("L", cells=498), name="large.csv")  # 500 rows

    with CaptureQueriesContext(connection) as first:
        assert organizations_import(path=small).created == 50
    with django_assert_max_num_queries(len(first)):
        assert organizations_import(path=large).created == 500

    # And again, as updates: every name changes.
    renamed = [
        (code, name + " (sửa)", kind, parent, sector) for code, name, kind, parent, sector in district("S", cells=48)
    ]
    with CaptureQueriesContext(connection) as update_small:
        assert organizations_import(path=write_csv(tmp_path, renamed, name="s2.csv")).updated == 50
    renamed = [
        (code, name + " (sửa)", kind, parent, sector) for code, name, kind, parent, sector in district("L", cells=498)
    ]
    with django_assert_max_num_queries(len(update_small)):
        assert organizations_import(path=write_csv(tmp_path, renamed, name="l2.csv")).updated == 500
    assert LogEntry.objects.filter(action=LogEntry.Action.UPDATE).count() == 550


@pytest.mark.django_db
def test_auditors_see_the_import_in_the_admin_history(tmp_path, tree, auditor, client):
    run(write_csv(tmp_path, [("D-A", "Đảng bộ xã Gia Miễn (sửa)", "grassroots_committee", "D", "commune")]))
    run(write_csv(tmp_path, [("D-A-9", "Chi bộ Khuổi Mò", "cell", "D-A", "")], name="new.csv"))
    client.force_login(auditor)
    client.cookies["django_language"] = "en"

    changed = client.get(reverse("admin:cells_organization_auditlog", args=[tree.a.pk]))
    created = client.get(reverse("admin:cells_organization_auditlog", args=[org("D-A-9").pk]))

    assert changed.status_code == created.status_code == 200
    assert [entry.action for entry in changed.context["log_entries"]][:1] == [LogEntry.Action.UPDATE]
    assert "Đảng bộ xã Gia Miễn (sửa)" in changed.content.decode()
    assert [entry.action for entry in created.context["log_entries"]] == [LogEntry.Action.CREATE]
    assert "Khuổi Mò" in created.content.decode()
