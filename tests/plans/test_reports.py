"""The four reports of a scope and a year: on screen, as a workbook read back with openpyxl and as a
party document read back with pypdf; final results of units active in the year only; fixed queries."""

import datetime
import html
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from assessments.models import Classification
from cells.models import AdmissionQuota, Organization, Run
from plans.models import Candidate, Plan
from plans.queries import reports as report_queries
from plans.report_files import KINDS as REPORT_KINDS
from tests.assessments.factories import classify
from tests.cells.factories import make_admission, make_meeting
from tests.conftest import make_org
from tests.plans.factories import make_candidate, make_plan
from tests.reports import report_download, report_run

KINDS = ["xep-loai", "cung-co", "sinh-hoat", "phat-trien-dang"]
pytestmark = pytest.mark.usefixtures("reports_at_once")


def url(org, year, kind, **query):
    address = reverse("plans:report", kwargs={"org_code": org.code, "year": year, "kind": kind})
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def workbook(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def rows_of(sheet):
    return list(sheet.iter_rows(values_only=True))


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def assert_table_layout(sheet, title_start):
    """Every sheet: the title row, then the header frozen under it with a filter, columns sized."""
    assert str(sheet["A1"].value).startswith(title_start), sheet["A1"].value
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref.startswith("A2:")
    assert sheet.column_dimensions["A"].width >= 10


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)
    return Organization.objects.get(code="VL")


@pytest.fixture
def canbo(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="canbo"))
    return client


@pytest.mark.vietnamese
def test_the_demo_2018_classification_reads_49_of_53_in_every_format(canbo, demo):
    screen = canbo.get(url(demo, 2018, "xep-loai")).content.decode()
    assert "49/53 = 92,45%" in screen

    book = workbook(report_download(canbo, url(demo, 2018, "xep-loai"), format="xlsx"))
    summary = book["Tổng hợp"]
    assert_table_layout(summary, "Xếp loại chất lượng tổ chức cơ sở đảng năm 2018: Đảng bộ huyện Văn Lãng")
    figures = {row[0]: row[1:] for row in rows_of(summary)[2:]}
    good = figures["Hoàn thành tốt nhiệm vụ trở lên"]
    assert good[0] == 49 and isinstance(good[0], int)
    share = next(row[2] for row in summary.iter_rows(min_row=3) if row[0].value == "Hoàn thành tốt nhiệm vụ trở lên")
    assert share.value == pytest.approx(0.9245) and share.number_format == "0.00%"  # shown as 92,45%
    assert figures["Đã xếp loại (kết quả chính thức)"][0] == 53
    assert figures["Hoàn thành xuất sắc nhiệm vụ"][0] + figures["Hoàn thành tốt nhiệm vụ"][0] == 49
    units = book["Danh sách"]
    assert_table_layout(units, "Xếp loại chất lượng")
    listed = rows_of(units)[2:]
    assert len(listed) == 53
    tan_my = next(row for row in listed if row[1] == "Đảng bộ xã Tân Mỹ")
    assert tan_my[4] == "Hoàn thành tốt nhiệm vụ"
    sectors = rows_of(book["Theo loại hình"])[2:]
    assert sum(row[5] for row in sectors) == 53

    text = pdf_text(report_download(canbo, url(demo, 2018, "xep-loai"), format="pdf"))
    for expected in [
        "ĐẢNG BỘ TỈNH LẠNG SƠN",
        "HUYỆN ỦY VĂN LÃNG",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "-BC/HU",
        "BÁO CÁO",
        "Kết quả đánh giá, xếp loại chất lượng tổ chức cơ sở đảng năm 2018",
        "49/53 = 92,45%",
        "Đảng bộ xã Tân Mỹ",
        "T/M BAN THƯỜNG VỤ",
        "Nơi nhận:",
    ]:
        assert expected in text, expected


@pytest.mark.vietnamese
def test_the_demo_consolidation_2018_shows_tan_my_improved(canbo, demo):
    screen = canbo.get(url(demo, 2018, "cung-co")).content.decode()
    assert "Đảng bộ xã Tân Mỹ" in screen and "1/1 = 100,00%" in screen

    book = workbook(report_download(canbo, url(demo, 2018, "cung-co"), format="xlsx"))
    assert_table_layout(book["Tổng hợp"], "Củng cố tổ chức cơ sở đảng năm 2018")
    figures = {row[0]: row[1:] for row in rows_of(book["Tổng hợp"])[2:]}
    assert figures["Được chọn để củng cố"][0] == 1 and figures["Tiến bộ"][0] == 1
    candidates = rows_of(book["Đơn vị cần củng cố"])[2:]
    tan_my = next(row for row in candidates if row[1] == "Đảng bộ xã Tân Mỹ")
    assert tan_my[2] == "Hoàn thành nhiệm vụ" and tan_my[9] == "Hoàn thành tốt nhiệm vụ" and tan_my[10] == "Tiến bộ"
    assert isinstance(tan_my[6], datetime.datetime)  # the decision date is a date cell

    text = pdf_text(report_download(canbo, url(demo, 2018, "cung-co"), format="pdf"))
    assert "Kết quả củng cố, kiện toàn tổ chức cơ sở đảng năm 2018" in text
    assert "Đảng bộ xã Tân Mỹ" in text and "1/1 = 100,00%" in text


@pytest.mark.vietnamese
def test_the_demo_meeting_report_reads_the_cells_of_gia_mien(canbo, demo):
    gia_mien = Organization.objects.get(name="Đảng bộ xã Gia Miễn")
    year = 2017
    screen = canbo.get(url(demo, year, "sinh-hoat")).content.decode()
    assert "Đảng bộ xã Gia Miễn" in screen

    book = workbook(report_download(canbo, url(demo, year, "sinh-hoat"), format="xlsx"))
    assert_table_layout(book["Danh sách"], "Sinh hoạt chi bộ năm 2017")
    row = next(row for row in rows_of(book["Danh sách"])[2:] if row[1] == "Đảng bộ xã Gia Miễn")
    assert row[3] == 16  # its 16 cells, a number cell
    text = pdf_text(report_download(canbo, url(demo, year, "sinh-hoat"), format="pdf"))
    assert "Tình hình sinh hoạt chi bộ năm 2017" in text and "Đảng bộ xã Gia Miễn" in text

    cells = workbook(report_download(canbo, url(gia_mien, year, "sinh-hoat"), format="xlsx"))
    names = [row[1] for row in rows_of(cells["Danh sách"])[2:]]
    assert len(names) == 16 and "Chi bộ Nặm Bao" in names


@pytest.mark.vietnamese
def test_the_demo_party_development_counts_tan_my_admissions_against_quotas(canbo, demo):
    tan_my = Organization.objects.get(name="Đảng bộ xã Tân Mỹ")
    screen = canbo.get(url(tan_my, 2018, "phat-trien-dang")).content.decode()
    assert "3/3 = 100,00%" in screen and "Chi bộ Pò Cại" in screen

    book = workbook(report_download(canbo, url(tan_my, 2018, "phat-trien-dang"), format="xlsx"))
    assert_table_layout(book["Danh sách"], "Phát triển đảng viên năm 2018: Đảng bộ xã Tân Mỹ")
    po_cai = next(row for row in rows_of(book["Danh sách"])[2:] if row[1] == "Chi bộ Pò Cại")
    assert po_cai[3:5] == (1, 1) and isinstance(po_cai[5], datetime.datetime)
    district = workbook(report_download(canbo, url(demo, 2018, "phat-trien-dang"), format="xlsx"))
    row = next(row for row in rows_of(district["Danh sách"])[2:] if row[1] == "Đảng bộ xã Tân Mỹ")
    assert row[4] == 3  # its cells' admissions, counted for the grassroots organization

    text = pdf_text(report_download(canbo, url(tan_my, 2018, "phat-trien-dang"), format="pdf"))
    assert "Kết quả kết nạp đảng viên năm 2018" in text and "ĐẢNG ỦY XÃ TÂN MỸ" in text and "Chi bộ Pò Cại" in text


def test_reports_count_final_results_of_units_active_in_the_year(client, tree, alice):
    classify(tree.a, 2018, "good")
    classify(tree.b, 2018, "excellent", state=Classification.State.DRAFT)  # a draft is not counted
    gone = make_org("D-G", "Đảng bộ xã Đã Giải Thể", Organization.Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")
    gone.dissolved = datetime.date(2017, 12, 31)
    gone.save()
    classify(gone, 2018, "incomplete")  # a stray result of a unit that no longer existed
    classify(tree.y, 2018, "incomplete")  # district X
    client.force_login(alice)

    body = client.get(url(tree.d, 2018, "xep-loai")).content.decode()
    assert "1/1 = 100.00%" in body
    assert "Đã Giải Thể" not in body and "Yên Ngoại" not in body
    units = rows_of(workbook(report_download(client, url(tree.d, 2018, "xep-loai"), format="xlsx"))["List"])[2:]
    assert [(row[1], row[4]) for row in units] == [
        ("Đảng bộ xã Gia Miễn", "Hoàn thành tốt nhiệm vụ"),
        ("Đảng bộ xã Tân Mỹ", "No final result"),
    ]


def test_consolidation_outcome_reads_final_results_only(client, tree, alice):
    make_plan(tree.a, 2018)  # selected after "complete" in 2017
    classify(tree.a, 2018, "good", state=Classification.State.DRAFT)
    client.force_login(alice)

    def figures():
        book = workbook(report_download(client, url(tree.d, 2018, "cung-co"), format="xlsx"))
        return {row[0]: row[1] for row in rows_of(book["Summary"])[2:]}

    assert (figures()["Plans"], figures()["Improved"], figures()["Plans whose outcome is known"]) == (1, 0, 0)
    Classification.objects.filter(organization=tree.a, year=2018).update(state=Classification.State.FINAL)
    assert (figures()["Improved"], figures()["Plans whose outcome is known"]) == (1, 1)


def test_a_year_without_meeting_records_says_so(client, tree, alice):
    client.force_login(alice)
    assert 'id="no-records"' in client.get(url(tree.d, 2018, "sinh-hoat")).content.decode()
    make_meeting(tree.a1, date=datetime.date(2018, 3, 5))
    assert 'id="no-records"' not in client.get(url(tree.d, 2018, "sinh-hoat")).content.decode()


def test_admissions_against_quotas(client, tree, alice):
    AdmissionQuota.objects.create(organization=tree.a, year=2018, quota=2)
    make_admission(tree.a1, decision=datetime.date(2018, 5, 1))
    make_admission(tree.a2, decision=datetime.date(2017, 5, 1))
    client.force_login(alice)
    rows = rows_of(workbook(report_download(client, url(tree.d, 2018, "phat-trien-dang"), format="xlsx"))["List"])[2:]
    assert [row[1:5] for row in rows] == [
        ("Đảng bộ xã Gia Miễn", "Đảng bộ huyện Đông", 2, 1),
        ("Đảng bộ xã Tân Mỹ", "Đảng bộ huyện Đông", None, 0),
    ]
    assert "1/2 = 50.00%" in client.get(url(tree.d, 2018, "phat-trien-dang")).content.decode()


@pytest.mark.parametrize("kind", KINDS)
def test_an_outsider_gets_404_in_every_format(client, tree, charlie, kind):
    client.force_login(charlie)
    assert client.get(url(tree.a, 2018, kind)).status_code == 404
    assert client.get(url(tree.d, 2018, kind, page=2)).status_code == 404
    for output in ["xlsx", "pdf"]:
        assert client.post(url(tree.a, 2018, kind), {"format": output}).status_code == 404
    assert not Run.objects.exists()


def test_bad_addresses_are_404_and_bad_parameters_harmless(client, tree, alice):
    client.force_login(alice)
    assert client.get(url(tree.d, 2018, "nothing")).status_code == 404
    assert client.get("/bao-cao/D/99999/xep-loai/").status_code == 404  # not a year: no address
    assert client.get(url(tree.d, 2018, "xep-loai", page="abc", format="doc")).status_code == 200
    assert client.post(url(tree.d, 2018, "xep-loai"), {"format": "doc"}).status_code == 404
    assert client.post(url(tree.d, 2018, "nothing"), {"format": "xlsx"}).status_code == 404
    assert not Run.objects.exists()


def test_the_reports_page_and_the_menu_link_to_them(client, tree, alice):
    classify(tree.a, 2018, "good")
    client.force_login(alice)
    response = client.get(reverse("plans:reports"))
    assert response.url == reverse("plans:report_list", kwargs={"org_code": "D", "year": 2018})
    body = client.get(response.url).content.decode()
    for kind in KINDS:  # each report's two buttons post to it
        assert body.count(f'action="{url(tree.d, 2018, kind)}"') == 2
    assert body.count('name="format" value="xlsx"') == body.count('name="format" value="pdf"') == 4
    assert reverse("plans:reports") in body  # the menu
    year_page = client.get(reverse("assessments:year", kwargs={"org_code": "D", "year": 2018})).content.decode()
    assert year_page.count(f'action="{url(tree.d, 2018, "xep-loai")}"') == 2


def _grow(tree, first, last):
    """More grassroots organizations, each with a cell, a final result, a quota, a meeting, an
    admission and a selected candidate with a plan."""
    for i in range(first, last):
        unit = make_org(f"D-N{i}", f"Đảng bộ xã Mới {i}", Organization.Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")
        cell = make_org(f"D-N{i}-1", f"Chi bộ Mới {i}", Organization.Kind.CELL, unit)
        classify(unit, 2018, "good")
        AdmissionQuota.objects.create(organization=unit, year=2018, quota=1)
        make_meeting(cell, date=datetime.date(2018, 2, 5))
        make_admission(cell, decision=datetime.date(2018, 6, 1))
        make_plan(unit, 2018)


# Each screen: 1 session, 2 user, 3 role with its scope, 4 the unit inside the scope, then the report's own.
QUERIES = {
    # 5 summary by level, 6 by sector, 7 count of the units, 8 the page of units
    "xep-loai": 8,
    # 5 the figures of every candidate, 6 the page of candidates with their organization, plan and levels
    "cung-co": 6,
    # 5 the figures of every grassroots organization, 6 the page of them, 7 the low cells of the page
    "sinh-hoat": 7,
    # 5 the totals (which count the units), 6 the page of units with quota, admitted, last admission
    "phat-trien-dang": 6,
}


@pytest.mark.parametrize("kind", KINDS)
def test_query_count_does_not_grow_with_the_rows(client, tree, alice, django_assert_num_queries, kind, monkeypatch):
    monkeypatch.setattr(report_queries, "SCREEN_PAGE", 3)  # the larger tree's list spans pages
    client.force_login(alice)
    files = {}
    for first, last in [(0, 2), (2, 8)]:
        _grow(tree, first, last)
        with django_assert_num_queries(QUERIES[kind]):
            assert client.get(url(tree.d, 2018, kind)).status_code == 200
        for output in ["xlsx", "pdf"]:
            # The button's request, its run (in this process: sent as the request ends) and the file.
            with CaptureQueriesContext(connection) as queries:
                report_download(client, url(tree.d, 2018, kind), format=output)
            files.setdefault(output, []).append(len(queries))
    assert files["xlsx"][0] == files["xlsx"][1] and files["pdf"][0] == files["pdf"][1], files


def test_without_weasyprint_the_report_says_what_to_install(client, tree, alice, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as when Pango is missing
    client.force_login(alice)
    run = report_run(client, url(tree.d, 2018, "xep-loai"), format="pdf")
    run.refresh_from_db()
    assert run.state == Run.State.FAILED
    body = client.get(reverse("cells:report_run", kwargs={"report_run_id": run.pk})).content.decode()
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2" in body
    assert url(tree.d, 2018, "xep-loai") in body  # back to the report


def test_the_meeting_report_of_a_grassroots_scope_reads_its_cells_in_fixed_queries(
    client, tree, alice, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(report_queries, "SCREEN_PAGE", 3)
    client.force_login(alice)
    for first, last in [(0, 1), (1, 7)]:
        for i in range(first, last):
            make_meeting(make_org(f"D-A-N{i}", f"Chi bộ Mới {i}", Organization.Kind.CELL, tree.a))
        # 1-4 the user, role and unit, 5 the figures of every cell, 6 the page of cells
        with django_assert_num_queries(6):
            assert client.get(url(tree.a, 2018, "sinh-hoat")).status_code == 200


def _varied(tree):
    """Five more grassroots organizations in D with cells that met regularly, too rarely or never,
    and candidates improved, cancelled, pending, not selected and worse (a level read from the year before)."""
    units = [
        make_org(f"D-N{i}", f"Đảng bộ xã Mới {i}", Organization.Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")
        for i in range(5)
    ]
    cells = [
        make_org(f"{unit.code}-1", f"Chi bộ Mới {i}", Organization.Kind.CELL, unit) for i, unit in enumerate(units)
    ]
    for month in range(1, 13):
        make_meeting(cells[0], date=datetime.date(2018, month, 5))
        make_meeting(tree.a1, date=datetime.date(2018, month, 6))
        if month < 10:
            make_meeting(tree.a2, date=datetime.date(2018, month, 7))  # 9 of 12: under 10
    make_meeting(cells[1], date=datetime.date(2018, 4, 5))
    make_plan(units[0], 2018)
    classify(units[0], 2018, "good")  # improved
    make_plan(units[1], 2018, state=Plan.State.CANCELLED)
    classify(units[1], 2018, "good")  # listed, not measured
    make_candidate(units[2], 2018)
    make_candidate(units[3], 2018, decision=Candidate.Decision.NOT_SELECTED)
    worse = make_plan(units[4], 2018)
    Candidate.objects.filter(pk=worse.candidate_id).update(level="")  # the final level of 2017 triggered it
    classify(units[4], 2018, "incomplete")
    for unit in units:
        AdmissionQuota.objects.create(organization=unit, year=2018, quota=1)
    make_admission(cells[0], decision=datetime.date(2018, 6, 1))
    return units


FIGURES = {
    "cung-co": ["candidates", "selected", "not_selected", "pending", "plans", "measured", "improved"],
    "sinh-hoat": ["summary"],
    "xep-loai": ["summary"],
    "phat-trien-dang": ["summary"],
}


@pytest.mark.parametrize("kind", KINDS)
def test_the_screen_figures_count_the_whole_scope_not_the_page(client, tree, alice, kind, monkeypatch):
    _varied(tree)
    monkeypatch.setattr(report_queries, "SCREEN_PAGE", 2)
    report_kind = REPORT_KINDS[kind]
    for scope in [tree.d, tree.a]:
        whole = report_kind.build(scope=scope, year=2018)  # what the files hold
        screen, page = report_kind.screen(scope=scope, year=2018, page="1")
        assert len(page) <= 2
        for name in FIGURES[kind]:
            assert getattr(screen, name) == getattr(whole, name), (scope, name)
    client.force_login(alice)
    body = client.get(url(tree.d, 2018, kind)).content.decode()
    if kind == "cung-co":
        assert "1/2 = 50.00%" in body  # improved of the measured plans: the cancelled one is not measured
    if kind == "sinh-hoat":
        screen, _ = report_kind.screen(scope=tree.d, year=2018, page="1")
        # Gia Miễn's Nặm Bao and Mới 0 met regularly, of the 4 cells of the 3 organizations with records.
        assert screen.summary == {"units": 7, "recorded": 3, "cells": 4, "regular": 2, "low": 2, "meetings": 34}
        assert 'id="met-regularly">2/4<' in body


def _names(body: str) -> list[str]:
    """The unit names of the report's list, in order (each row's first cell links to the unit)."""
    table = body[body.rindex("<tbody>") :]
    return [html.unescape(name) for name in re.findall(r'<tr[^>]*>\s*<td><a href="[^"]*">([^<]+)</a>', table)]


def _row_name(kind, row) -> str:
    if kind == "cung-co":
        return row.candidate.organization.name
    return row["name"] if isinstance(row, dict) else row.name


@pytest.mark.parametrize("kind", KINDS)
def test_page_two_shows_the_next_rows(client, tree, alice, kind, monkeypatch):
    _varied(tree)
    monkeypatch.setattr(report_queries, "SCREEN_PAGE", 2)
    client.force_login(alice)
    expected = [_row_name(kind, row) for row in REPORT_KINDS[kind].build(scope=tree.d, year=2018).rows]
    assert len(expected) >= 5
    first = client.get(url(tree.d, 2018, kind)).content.decode()
    second = client.get(url(tree.d, 2018, kind, page=2)).content.decode()
    assert _names(first) == expected[:2] and _names(second) == expected[2:4]
    assert "page=3" in second and "page=1" in second  # next and previous
    last = (len(expected) + 1) // 2
    assert _names(client.get(url(tree.d, 2018, kind, page=999)).content.decode()) == expected[(last - 1) * 2 :]
    assert _names(client.get(url(tree.d, 2018, kind, page="x")).content.decode()) == expected[:2]
