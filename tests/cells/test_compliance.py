"""meeting_counts, admissions_count and the compliance tables: right numbers, a fixed number of queries."""

import datetime

from cells.compliance import admissions_count, cell_compliance, grassroots_compliance, meeting_counts
from cells.models import Meeting
from tests.cells.factories import make_admission, make_meeting
from tests.conftest import Kind, make_org

D = datetime.date
Regular, Themed, Combined = Meeting.Kind.REGULAR, Meeting.Kind.THEMED, Meeting.Kind.COMBINED


def twelve_regular(cell, year=2018):
    for month in range(1, 13):
        make_meeting(cell, date=D(year, month, 5))


def test_meeting_counts_combined_counts_in_both(tree):
    make_meeting(tree.a1, date=D(2018, 1, 5))
    make_meeting(tree.a1, date=D(2018, 2, 5))
    make_meeting(tree.a1, date=D(2018, 3, 5), kind=Combined)
    make_meeting(tree.a1, date=D(2018, 3, 20), kind=Themed)
    make_meeting(tree.a1, date=D(2017, 12, 5))  # another year
    make_meeting(tree.b1, date=D(2018, 1, 5))
    make_meeting(tree.y1, date=D(2018, 1, 5))  # another district

    assert meeting_counts(organization=tree.a, year=2018) == {
        tree.a1.pk: {"regular": 3, "themed": 2},
        tree.a2.pk: {"regular": 0, "themed": 0},
    }
    assert meeting_counts(organization=tree.d, year=2018)[tree.b1.pk] == {"regular": 1, "themed": 0}
    assert tree.y1.pk not in meeting_counts(organization=tree.d, year=2018)


def test_meeting_counts_leaves_out_cells_that_did_not_exist_that_year(tree):
    gone = make_org("D-A-9", "Chi bộ Cũ", Kind.CELL, tree.a, dissolved=D(2016, 12, 31))
    later = make_org("D-A-8", "Chi bộ Mới", Kind.CELL, tree.a, founded=D(2019, 1, 1))
    counts = meeting_counts(organization=tree.a, year=2018)
    assert gone.pk not in counts and later.pk not in counts


def test_a_grassroots_cell_counts_as_its_own_cell(tree):
    solo = make_org("D-C", "Chi bộ Trường THPT", Kind.GRASSROOTS_CELL, tree.d)
    make_meeting(solo, date=D(2018, 4, 2))
    assert meeting_counts(organization=solo, year=2018) == {solo.pk: {"regular": 1, "themed": 0}}


def test_meeting_counts_is_one_query_whatever_the_number_of_cells(tree, django_assert_num_queries):
    for n in range(30):
        cell = make_org(f"D-A-x{n}", f"Chi bộ {n}", Kind.CELL, tree.a)
        make_meeting(cell, date=D(2018, 5, 5))
    with django_assert_num_queries(1):  # the cells of the subtree, joined to their row of the meeting summary
        counts = meeting_counts(organization=tree.d, year=2018)
    assert len(counts) == 33


def test_admissions_count_counts_decisions_of_the_year_in_the_subtree(tree, django_assert_num_queries):
    make_admission(tree.a1, decision=D(2018, 1, 2))
    make_admission(tree.a2, decision=D(2018, 12, 31))
    make_admission(tree.a2, decision=D(2017, 12, 31))
    make_admission(tree.a2, decision=None)  # still under way
    make_admission(tree.b1, decision=D(2018, 6, 1))
    make_admission(tree.y1, decision=D(2018, 6, 1))
    with django_assert_num_queries(1):
        assert admissions_count(organization=tree.a, year=2018) == 2
    assert admissions_count(organization=tree.d, year=2018) == 3
    assert admissions_count(organization=tree.a1, year=2017) == 0


def test_cell_compliance_figures(tree):
    twelve_regular(tree.a1)
    make_meeting(tree.a1, date=D(2018, 3, 20), kind=Themed, guest="Nông Văn Tú", total=20, present=10)
    for month in range(1, 7):
        make_meeting(tree.a2, date=D(2018, month, 5))
    rows = {row.code: row for row in cell_compliance(organization=tree.a, year=2018, today=D(2019, 1, 1))}
    a1, a2 = rows["D-A-1"], rows["D-A-2"]
    assert (a1.regular, a1.themed, a1.expected_regular, a1.expected_themed) == (12, 1, 12, 4)
    assert a1.met_regularly and not a1.low
    assert a1.with_guest == 1
    assert round(a1.attendance_percent, 2) == round(100 * (12 * 18 + 10) / (13 * 20), 2)
    assert (a2.regular, a2.met_regularly, a2.low) == (6, False, True)


def test_the_current_year_expects_only_the_months_so_far(tree):
    rows = cell_compliance(organization=tree.a1, year=2018, today=D(2018, 3, 15))
    assert rows[0].expected_regular == 3


def test_grassroots_compliance_groups_cells_in_two_queries(tree, django_assert_num_queries):
    twelve_regular(tree.a1)
    twelve_regular(tree.a2)
    twelve_regular(tree.b1)
    for month in range(1, 10):
        make_meeting(tree.b1, date=D(2018, month, 20), kind=Themed)
    section = make_org("D-B-S", "Đảng bộ bộ phận", Kind.SECTION_COMMITTEE, tree.b)
    deep = make_org("D-B-S-1", "Chi bộ Sâu", Kind.CELL, section)
    for month in range(1, 7):
        make_meeting(deep, date=D(2018, month, 5))
    with django_assert_num_queries(2):  # 1: the groups, counted by the database; 2: their low cells
        groups = {g.code: g for g in grassroots_compliance(organization=tree.d, year=2018, today=D(2019, 1, 1))}
    assert (groups["D-A"].regular_count, groups["D-A"].cell_count) == (2, 2)
    assert (groups["D-B"].regular_count, groups["D-B"].cell_count) == (1, 2)
    assert [cell.code for cell in groups["D-B"].low_cells] == ["D-B-S-1"]
