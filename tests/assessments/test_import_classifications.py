"""`manage.py import_classifications FILE [--dry-run]`: all or nothing, one message per problem."""

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from assessments.models import Classification, ClassificationChange
from tests.assessments.factories import classify


def write_csv(tmp_path, text, name="results.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(path, *args):
    return call_command("import_classifications", path, *args)


def failing(path, capsys):
    """Run the import expecting a refusal; return what it printed to stderr."""
    with pytest.raises(CommandError) as refusal:
        run(path)
    assert "nothing was imported" in str(refusal.value)
    return capsys.readouterr().err


def test_imports_codes_and_labels_of_the_year_in_any_case(tree, tmp_path):
    # A label with a comma is quoted, as a spreadsheet writes it; odd case and spaces are accepted.
    path = write_csv(
        tmp_path,
        'code,year,level,note\nD-A,2016,"  trong sạch, VỮNG MẠNH  ",\nD-B,2016,complete,ghi chú\n'
        "D-A,2018,Hoàn thành tốt nhiệm vụ,\nD-A-1,2018,HOÀN THÀNH NHIỆM VỤ,\n",
    )
    run(path)
    results = {(c.organization.code, c.year): c for c in Classification.objects.select_related("organization")}
    assert results["D-A", 2016].level == "excellent"
    assert results["D-A", 2016].label == "Trong sạch, vững mạnh"
    assert results["D-A", 2016].rule_set == "27-HD/BTCTW"
    assert results["D-B", 2016].label == "Hoàn thành nhiệm vụ"
    assert results["D-B", 2016].note == "ghi chú"
    assert results["D-A", 2018].level == "good"
    assert results["D-A-1", 2018].deciding_body == tree.a
    assert results["D-A", 2018].deciding_body == tree.d
    assert {c.state for c in results.values()} == {"final"}


def test_importing_the_same_file_again_changes_nothing(tree, tmp_path, capsys):
    path = write_csv(tmp_path, "code,year,level,score\nD-A,2025,good,80\nD-B,2025,complete,55\n")
    run(path)
    before = list(Classification.objects.order_by("pk").values())
    capsys.readouterr()
    run(path)
    assert "0 new, 0 changed, 2 unchanged" in capsys.readouterr().out
    assert list(Classification.objects.order_by("pk").values()) == before


def test_xlsx_files_are_read(tree, tmp_path):
    workbook = Workbook()
    workbook.active.append(["code", "year", "level", "score"])
    workbook.active.append(["D-A", 2025, "Hoàn thành xuất sắc nhiệm vụ", 95])
    path = tmp_path / "results.xlsx"
    workbook.save(path)
    run(str(path))
    result = Classification.objects.get()
    assert (result.level, result.score, result.label) == ("excellent", 95, "Hoàn thành xuất sắc nhiệm vụ")


def test_dry_run_writes_nothing(tree, tmp_path, capsys):
    run(write_csv(tmp_path, "code,year,level\nD-A,2018,good\n"), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not Classification.objects.exists()


BAD_FILES = [
    pytest.param("code,year,level\nD-Z,2018,good\n", ["Row 2, column code", "D-Z"], id="unknown code"),
    pytest.param(
        "code,year,level\nD-A,2018,good\nD-A,2018,complete\n",
        ["Row 3, column code", "row 2"],
        id="duplicate code and year",
    ),
    pytest.param(
        "code,year,level,score\nD-A,2025,excellent,75\n",
        ["Row 2, column score", "75", "Hoàn thành tốt nhiệm vụ"],
        id="score outside the level's band",
    ),
    pytest.param(
        "code,year,level\nD-A,2016,Hoàn thành xuất sắc nhiệm vụ\n",
        ["Row 2, column level", "27-HD/BTCTW", "“Trong sạch, vững mạnh”", "“Yếu kém”"],
        id="label not in that year's rule set",
    ),
    pytest.param(
        "code,year,level\nD-A,2018,Yếu kém\n",
        ["Row 2, column level", "132-QĐ/TW", "“Hoàn thành xuất sắc nhiệm vụ”"],
        id="old label after 2018",
    ),
    pytest.param("code,year,level\nD-A,hai nghìn,good\n", ["Row 2, column year", "hai nghìn"], id="bad year"),
    pytest.param(
        "code,year,level,score\nD-A,2025,good,tám mươi\n", ["Row 2, column score", "tám mươi"], id="bad score"
    ),
    pytest.param(
        "code,year,level,score\nD-A,2018,good,80\n",
        ["Row 2, column score", "no 100-point score"],
        id="score before 2025",
    ),
    pytest.param("code,year,level\nD-A,2018,rất tốt\n", ["Row 2, column level", "rất tốt"], id="unknown level"),
    pytest.param("code,year,level\nD,2018,good\n", ["Row 2, column code", "not a grassroots"], id="upper committee"),
    pytest.param("code,year,level\n,2018,good\n", ["Row 2, column code", "empty"], id="empty code"),
]


@pytest.mark.parametrize(("content", "expected"), BAD_FILES)
def test_a_bad_row_rejects_the_whole_file(tree, tmp_path, capsys, content, expected):
    # A good row after the bad one: it must not be written either.
    header = content.splitlines()[0]
    content += "D-B,2018,good" + "," * (header.count(",") - 2) + "\n"
    err = failing(write_csv(tmp_path, content), capsys)
    for text in expected:
        assert text in err, err
    assert not Classification.objects.exists()


def test_every_problem_is_reported_at_once(tree, tmp_path, capsys):
    err = failing(write_csv(tmp_path, "code,year,level\nD-Z,2018,good\nD-A,2018,tốt lắm\n"), capsys)
    assert "Row 2, column code" in err and "Row 3, column level" in err


def test_missing_column_and_unreadable_file(tree, tmp_path):
    with pytest.raises(CommandError, match="level"):
        run(write_csv(tmp_path, "code,year\nD-A,2018\n"))
    bad = tmp_path / "results.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="Excel"):
        run(str(bad))
    assert not Classification.objects.exists()


def test_a_final_result_changes_only_with_a_reason_kept_in_history(tree, tmp_path, capsys):
    classify(tree.a, 2018, "complete")
    err = failing(write_csv(tmp_path, "code,year,level\nD-A,2018,good\n"), capsys)
    assert "Row 2, column reason" in err and "reason" in err
    assert Classification.objects.get().level == "complete"

    run(write_csv(tmp_path, "code,year,level,reason\nD-A,2018,good,Kết luận kiểm tra số 12\n"))
    result = Classification.objects.get()
    assert result.level == "good" and result.change_reason == "Kết luận kiểm tra số 12"
    change = ClassificationChange.objects.get()
    assert (change.old_level, change.new_level, change.reason) == ("complete", "good", "Kết luận kiểm tra số 12")


def test_an_organization_outside_its_life_span_is_refused(tree, tmp_path, capsys):
    import datetime

    tree.b.dissolved = datetime.date(2019, 12, 31)
    tree.b.save()
    err = failing(write_csv(tmp_path, "code,year,level\nD-B,2020,good\n"), capsys)
    assert "Row 2, column year" in err and "did not exist in 2020" in err


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("results.csv", "code,year,level,note\nD-A,2018,good,Gia Miễn\n".encode("utf-16"), "UTF-8"),
        ("results.ods", b"code,year,level\n", r"CSV \(UTF-8\) or Excel"),
        ("results.csv", b"", "empty"),
    ],
    ids=["not UTF-8", "unsupported type", "empty file"],
)
def test_a_file_that_cannot_be_read_says_how_to_save_it(tree, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=expected):
        run(str(path))
    assert not Classification.objects.exists()


def test_a_missing_file(tree, tmp_path):
    with pytest.raises(CommandError, match="File not found"):
        run(str(tmp_path / "nowhere.csv"))


def ten_years(codes):
    return "code,year,level\n" + "".join(f"{code},{year},good\n" for year in range(2010, 2020) for code in codes)


def test_a_file_is_written_chunk_by_chunk_and_a_repeat_is_found_across_chunks(tree, tmp_path, monkeypatch, capsys):
    from assessments import imports

    monkeypatch.setattr(imports, "CHUNK", 4)
    monkeypatch.setattr(imports, "CACHE_LIMIT", 3)  # the organizations are read again and again
    monkeypatch.setattr(imports.RepeatFinder, "BITS", 4)  # 16 bits: most keys collide, none may be lost
    codes = ["D-A", "D-A-1", "D-A-2", "D-B", "D-B-1"]
    report = imports.classifications_import(path=write_csv(tmp_path, ten_years(codes)))
    assert (report.errors, report.written.created) == ([], 50)
    assert Classification.objects.filter(state="final").count() == 50
    again = imports.classifications_import(path=write_csv(tmp_path, ten_years(codes)))
    assert (again.written.created, again.written.updated, again.written.unchanged) == (0, 0, 50)

    Classification.objects.all().delete()
    err = failing(write_csv(tmp_path, ten_years(codes) + "d-b-1,2012,complete\n"), capsys)
    assert "Row 52, column code: d-b-1 already has a result for 2012 in row 16" in err.replace("D-B-1", "d-b-1")
    assert not Classification.objects.exists()


def test_memory_does_not_grow_with_the_file(tree, tmp_path, monkeypatch):
    import tracemalloc

    from assessments import imports
    from tests.conftest import Kind, make_org

    monkeypatch.setattr(imports, "CHUNK", 50)
    monkeypatch.setattr(imports.RepeatFinder, "BITS", 16)
    codes = [make_org(f"D-A-M{n}", f"Chi bộ {n}", Kind.CELL, tree.a).code for n in range(60)]
    peaks = []
    for years in (range(2018, 2020), range(2012, 2020)):
        text = "code,year,level\n" + "".join(f"{code},{year},good\n" for year in years for code in codes)
        tracemalloc.start()
        report = imports.classifications_import(path=write_csv(tmp_path, text), dry_run=True)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert report.written.created == 60 * len(years) and not Classification.objects.exists()
    assert peaks[1] < peaks[0] * 1.5, peaks  # four times the rows, not four times the memory
