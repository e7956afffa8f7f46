"""meeting_signals and admission_signals: the reasons the candidate job attaches, one query each."""

import datetime

from django.utils import translation

from cells.signals import admission_signals, meeting_signals
from tests.cells.factories import make_admission, make_meeting
from tests.conftest import Kind, make_org

D = datetime.date


def meet(cell, months, year=2016):
    for month in months:
        make_meeting(cell, date=D(year, month, 5))


def test_a_cell_under_ten_regular_meetings_is_a_reason(tree, django_assert_num_queries):
    meet(tree.a1, range(1, 7))  # Nặm Bao: 6
    meet(tree.a2, range(1, 13))
    meet(tree.b1, range(1, 11))  # 10: not a signal
    with translation.override("en"), django_assert_num_queries(1):  # cells of the units with their meeting counts
        signals = meeting_signals(year=2016, organization_ids=[tree.a.pk, tree.b.pk])
    assert signals == {tree.a.pk: ["Chi bộ Nặm Bao held 6/12 regular meetings in 2016"]}


def test_one_query_whatever_the_number_of_organizations(tree, django_assert_num_queries):
    ids = []
    for n in range(20):
        unit = make_org(f"D-U{n}", f"Đảng bộ {n}", Kind.GRASSROOTS_COMMITTEE, tree.d)
        cell = make_org(f"D-U{n}-1", f"Chi bộ {n}", Kind.CELL, unit)
        meet(cell, [1, 2])
        ids.append(unit.pk)
    with django_assert_num_queries(1):
        signals = meeting_signals(year=2016, organization_ids=ids)
    assert set(signals) == set(ids)


def test_cells_under_a_section_committee_and_grassroots_cells_are_seen(tree):
    section = make_org("D-A-S", "Đảng bộ bộ phận", Kind.SECTION_COMMITTEE, tree.a)
    deep = make_org("D-A-S-1", "Chi bộ Sâu", Kind.CELL, section)
    solo = make_org("D-C", "Chi bộ Trường THPT", Kind.GRASSROOTS_CELL, tree.d)
    meet(deep, [1])
    meet(solo, [1, 2, 3])
    meet(tree.a1, range(1, 13))
    meet(tree.a2, range(1, 13))
    with translation.override("en"):
        signals = meeting_signals(year=2016, organization_ids=[tree.a.pk, solo.pk])
    assert signals[tree.a.pk] == ["Chi bộ Sâu held 1/12 regular meetings in 2016"]
    assert signals[solo.pk] == ["Chi bộ Trường THPT held 3/12 regular meetings in 2016"]


def test_a_unit_with_no_record_that_year_carries_no_signal(tree):
    meet(tree.a1, range(1, 4), year=2015)
    assert meeting_signals(year=2016, organization_ids=[tree.a.pk]) == {}
    assert meeting_signals(year=2016, organization_ids=[]) == {}


def test_years_without_an_admission_are_a_reason(tree, django_assert_num_queries):
    b2 = make_org("D-B-2", "Chi bộ Nà Mò", Kind.CELL, tree.b)
    make_admission(tree.b1, decision=D(2014, 6, 16))  # Pò Cại
    make_admission(b2, decision=D(2016, 5, 10))  # Nà Mò
    with translation.override("en"), django_assert_num_queries(1):  # cells with their last admission
        signals = admission_signals(year=2017, organization_ids=[tree.b.pk, tree.a.pk])
    # Nà Mò's one year without is no signal yet; Gia Miễn kept no admission record at all.
    assert signals == {tree.b.pk: ["Chi bộ Pò Cại admitted no new member for 3 years (2015–2017)"]}


def test_an_admission_in_the_year_ends_the_gap(tree):
    make_admission(tree.b1, decision=D(2014, 6, 16))
    make_admission(tree.b1, decision=D(2018, 8, 20))
    assert admission_signals(year=2018, organization_ids=[tree.b.pk]) == {}


def test_a_cell_that_never_admitted_counts_from_the_first_record_of_its_unit(tree):
    make_admission(tree.a1, decision=D(2015, 3, 1))
    with translation.override("en"):
        signals = admission_signals(year=2017, organization_ids=[tree.a.pk])
    assert signals == {
        tree.a.pk: [
            "Chi bộ Bản Làn admitted no new member for 3 years (2015–2017)",
            "Chi bộ Nặm Bao admitted no new member for 2 years (2016–2017)",
        ]
    }
