"""The compliance page: per cell for a commune, per commune for a district, in a fixed number of queries."""

import datetime

from django.urls import reverse

from tests.cells.factories import make_meeting
from tests.conftest import Kind, make_org

D = datetime.date


def url(org, year=2016):
    return reverse("cells:meeting_compliance", kwargs={"org_code": org.code, "year": year})


def fill(tree):
    for month in range(1, 13):
        make_meeting(tree.a2, date=D(2016, month, 5))
        make_meeting(tree.b1, date=D(2016, month, 5))
    for month in range(1, 7):
        make_meeting(tree.a1, date=D(2016, month, 5))  # Nặm Bao: 6


def test_a_commune_page_counts_cells_and_highlights_those_under_ten(client, tree, bob):
    fill(tree)
    client.force_login(bob)
    response = client.get(url(tree.a))
    body = response.content.decode()
    rows = {cell.code: cell for cell in response.context["cells"]}
    assert (rows["D-A-1"].regular, rows["D-A-1"].low) == (6, True)
    assert response.context["regular_count"] == 1 and response.context["low_count"] == 1
    assert "1/2" in body and "6/12" in body and "table-danger" in body


def test_the_district_page_shows_each_commune(client, tree, alice, django_assert_num_queries):
    fill(tree)
    for n in range(10):
        cell = make_org(f"D-B-x{n}", f"Chi bộ {n}", Kind.CELL, tree.b)
        make_meeting(cell, date=D(2016, 1, 5))
    client.force_login(alice)
    # 1 session, 2 user, 3 role, 4 the district, 5 the page of groups with the totals over all of
    # them (grouped by the database, window aggregates), 6 the low cells of that page
    with django_assert_num_queries(6):
        response = client.get(url(tree.d))
    groups = {group.code: group for group in response.context["page"]}
    assert (groups["D-A"].regular_count, groups["D-A"].cell_count) == (1, 2)
    assert (groups["D-B"].regular_count, groups["D-B"].cell_count) == (1, 11)
    assert [cell.name for cell in groups["D-A"].low_cells] == ["Chi bộ Nặm Bao"]
    assert len(groups["D-B"].low_cells) == 10
    assert (response.context["group_count"], response.context["with_records"], response.context["all_regular"]) == (
        2,
        2,
        0,
    )


def test_the_district_page_pages_groups_in_the_database(client, tree, alice, monkeypatch):
    from cells.views.meetings import ComplianceView

    fill(tree)
    for n in range(3):
        commune = make_org(f"D-Z{n}", f"Đảng bộ xã Zê {n}", Kind.GRASSROOTS_COMMITTEE, tree.d)
        cell = make_org(f"D-Z{n}-1", f"Chi bộ Zê {n}", Kind.CELL, commune)
        for month in range(1, 13):
            make_meeting(cell, date=D(2016, month, 5))
    make_org("D-E", "Đảng bộ xã Êm", Kind.GRASSROOTS_COMMITTEE, tree.d)  # no cell, no record
    monkeypatch.setattr(ComplianceView, "per_page", 2)
    client.force_login(alice)
    pages = [client.get(url(tree.d), {"page": n}).context for n in (1, 2, 3, 99, "²")]
    assert [[group.code for group in context["page"]] for context in pages] == [
        ["D-E", "D-A"],
        ["D-B", "D-Z0"],
        ["D-Z1", "D-Z2"],
        ["D-Z1", "D-Z2"],  # past the end: the last page
        ["D-E", "D-A"],  # a digit int() refuses: the first page
    ]
    assert (pages[3]["page"].number, pages[3]["page"].paginator.num_pages) == (3, 3)
    assert (pages[0]["group_count"], pages[0]["with_records"], pages[0]["all_regular"]) == (
        6,
        5,
        4,
    )  # D-B and the three Zê communes
    empty = pages[0]["page"][0]
    assert (empty.cell_count, empty.meeting_count, empty.low_cells) == (0, 0, [])


def test_the_commune_page_takes_a_fixed_number_of_queries(client, tree, bob, django_assert_num_queries):
    fill(tree)
    for n in range(10):
        make_org(f"D-A-x{n}", f"Chi bộ {n}", Kind.CELL, tree.a)
    client.force_login(bob)
    # 1 session, 2 user, 3 role, 4 the commune, 5 its cells with their meeting figures
    with django_assert_num_queries(5):
        client.get(url(tree.a))


def test_a_secretary_cannot_open_another_commune(client, tree, bob):
    client.force_login(bob)
    assert client.get(url(tree.b)).status_code == 404


def test_the_tables_export_to_excel(client, tree, alice, reports_at_once):
    import io

    from openpyxl import load_workbook

    from tests.reports import report_download

    fill(tree)
    client.force_login(alice)
    response = report_download(client, url(tree.a))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Cell meetings in 2016: Đảng bộ xã Gia Miễn"  # the title row, then the header
    assert rows[2][:5] == ("D-A-1", "Chi bộ Nặm Bao", 6, 12, 0)
    content = report_download(client, url(tree.d)).content
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[2:]] == ["D-A", "D-B"]
    assert rows[2][2:4] == (1, 2)


def test_a_year_out_of_the_calendar_is_404(client, tree, alice):
    client.force_login(alice)
    # Such addresses cannot even be reversed: the `year` converter takes four ASCII digits.
    for url in ["/sinh-hoat/tong-hop/D-A/99999/", "/phat-trien-dang/D-A/0/", "/theo-doi/10000/", "/theo-doi/1066/"]:
        assert client.get(url).status_code == 404
