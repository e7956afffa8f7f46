"""The watch list: units with signals, kept to those rated good or above once ratings are plugged in."""

import datetime

from django.db.models import F, Value
from django.urls import reverse

from cells.models import Organization
from cells.signals import admission_signals, meeting_signals, with_signals
from cells.views.watch import WatchListView
from tests.cells.factories import make_admission, make_meeting
from tests.conftest import Kind, make_org

D = datetime.date
URL = reverse("cells:watch_list", kwargs={"year": 2016})
RATED = {}


def rated(year):
    """Stands in for the ratings that `assessments` provides through settings."""
    rows = Organization.objects.filter(pk__in=list(RATED))
    return rows.values(organization_id=F("pk"), label=Value("Hoàn thành tốt nhiệm vụ"))


def signals(tree):
    for month in range(1, 7):
        make_meeting(tree.a1, date=D(2016, month, 5))  # Nặm Bao: 6
    make_admission(tree.b1, decision=D(2013, 5, 5))  # Pò Cại: none since 2013
    make_meeting(tree.y1, date=D(2016, 1, 5))  # another district


def test_without_ratings_every_unit_with_a_signal_is_listed(client, tree, alice, settings, django_assert_num_queries):
    settings.VANLANG_WATCH_LIST_RATINGS = None
    signals(tree)
    client.force_login(alice)
    # 1 session, 2 user, 3 role, 4 the page of grassroots organizations with a signal (decided by the
    # database), 5 their meeting signals, 6 their admission signals
    with django_assert_num_queries(6):
        response = client.get(URL)
    rows = {row["unit"].code: row["reasons"] for row in response.context["rows"]}
    assert set(rows) == {"D-A", "D-B"}
    assert any("Nặm Bao" in reason and "6/12" in reason for reason in rows["D-A"])
    assert any("Pò Cại" in reason for reason in rows["D-B"])
    assert not response.context["ratings_known"]


def test_with_ratings_only_units_rated_good_or_above_are_listed(client, tree, alice, settings):
    signals(tree)
    settings.VANLANG_WATCH_LIST_RATINGS = "tests.cells.test_watch_list.rated"
    RATED.clear()
    RATED[tree.a.pk] = "Hoàn thành tốt nhiệm vụ"
    client.force_login(alice)
    response = client.get(URL)
    assert [row["unit"].code for row in response.context["rows"]] == ["D-A"]
    assert "Hoàn thành tốt nhiệm vụ" in response.content.decode()


def test_a_secretary_sees_only_the_own_unit(client, tree, bob, settings):
    settings.VANLANG_WATCH_LIST_RATINGS = None
    signals(tree)
    client.force_login(bob)
    assert [row["unit"].code for row in client.get(URL).context["rows"]] == ["D-A"]


def test_the_ratings_come_from_the_final_classifications(client, tree, alice):
    from assessments.models import Classification
    from tests.assessments.factories import classify

    signals(tree)
    classify(tree.a, 2016, "good")
    classify(tree.b, 2016, "complete")  # weak: on the candidates list, not the watch list
    client.force_login(alice)
    response = client.get(URL)
    assert response.context["ratings_known"]
    assert [row["unit"].code for row in response.context["rows"]] == ["D-A"]
    Classification.objects.filter(organization=tree.a).update(state=Classification.State.DRAFT)
    assert client.get(URL).context["rows"] == []


def test_the_list_is_paged_by_the_database(client, tree, alice, settings, monkeypatch, django_assert_num_queries):
    settings.VANLANG_WATCH_LIST_RATINGS = "tests.cells.test_watch_list.rated"
    RATED.clear()
    for n in range(5):
        unit = make_org(f"D-W{n}", f"Đảng bộ xã Vọng {n}", Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")
        make_meeting(make_org(f"D-W{n}-1", f"Chi bộ Vọng {n}", Kind.CELL, unit), date=D(2016, 1, 5))
        RATED[unit.pk] = "Hoàn thành tốt nhiệm vụ"
    quiet = make_org("D-Q", "Đảng bộ xã Vọng Yên", Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")  # no signal
    RATED[quiet.pk] = "Hoàn thành tốt nhiệm vụ"
    monkeypatch.setattr(WatchListView, "per_page", 2)
    client.force_login(alice)
    client.get(URL)
    # 1 session, 2 user, 3 role, 4 the page of units with a signal, 5 their labels, 6-7 their signals
    with django_assert_num_queries(7):
        second = client.get(URL, {"page": 2})
    first, last = client.get(URL).context, client.get(URL, {"page": 3}).context
    assert [row["unit"].code for row in first["rows"]] == ["D-W0", "D-W1"]
    assert [row["unit"].code for row in second.context["rows"]] == ["D-W2", "D-W3"]
    assert [row["unit"].code for row in last["rows"]] == ["D-W4"]
    assert first["page"].has_next() and not last["page"].has_next()
    assert all(row["reasons"] and row["level"] == "Hoàn thành tốt nhiệm vụ" for row in second.context["rows"])
    body = second.content.decode()
    assert "?page=1" in body and "?page=3" in body


def test_the_database_lists_exactly_the_units_whose_signals_python_writes(tree):
    """`with_signals` (SQL, for paging) and the reason sentences (Python, for the page) agree."""
    sections = make_org("D-S", "Đảng bộ Trường", Kind.GRASSROOTS_COMMITTEE, tree.d, "agency")
    section = make_org("D-S-BP", "Đảng bộ bộ phận Khối A", Kind.SECTION_COMMITTEE, sections)
    deep = make_org("D-S-BP-1", "Chi bộ Lớp 1", Kind.CELL, section)
    lone = make_org("D-L", "Chi bộ cơ sở Công an", Kind.GRASSROOTS_CELL, tree.d, "police")
    late = make_org("D-N", "Đảng bộ xã Mới", Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")
    late_cell = make_org("D-N-1", "Chi bộ Mới Lập", Kind.CELL, late)
    ended = make_org("D-E", "Đảng bộ xã Cũ", Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")
    ended_cell = make_org("D-E-1", "Chi bộ Cũ", Kind.CELL, ended)
    Organization.objects.filter(pk__in=[ended.pk, ended_cell.pk]).update(dissolved=D(2015, 12, 31))
    for month in range(1, 13):
        make_meeting(tree.a1, date=D(2016, month, 5))  # A1: every month; A2: no record at all
        if month % 2:
            make_meeting(lone, date=D(2016, month, 5))  # 6/12: low
    make_meeting(deep, date=D(2016, 2, 5))  # under a section committee: 1/12, low
    make_admission(tree.a1, decision=D(2015, 3, 1))  # A2 never admitted: its gap runs from 2015, 2 years
    make_admission(tree.b1, decision=D(2016, 3, 1))  # B: admitted this year, no gap
    make_admission(late_cell, decision=D(2016, 4, 1))  # records start this year: no gap yet
    make_admission(ended_cell, decision=D(2010, 4, 1))  # ended before the year: not listed
    for year in (2016, 2017, 2018):
        units = Organization.objects.grassroots().within(tree.province).active_in(year)
        ids = list(units.values_list("pk", flat=True))
        written = set(meeting_signals(year=year, organization_ids=ids)) | set(
            admission_signals(year=year, organization_ids=ids)
        )
        decided = set(with_signals(units, year=year, today=D(2019, 1, 1)).values_list("pk", flat=True))
        assert decided == written, year
    units = Organization.objects.grassroots().within(tree.province).active_in(2016)
    assert set(with_signals(units, year=2016).values_list("code", flat=True)) == {"D-A", "D-S", "D-L"}
