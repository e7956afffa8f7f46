"""The meeting list: scoped, filtered, a fixed number of queries."""

import datetime

from django.urls import reverse

from tests.cells.factories import make_meeting

D = datetime.date
URL = reverse("cells:meeting_list")


def test_a_secretary_sees_only_the_own_cells_meetings(client, tree, bob):
    mine = make_meeting(tree.a1)
    make_meeting(tree.b1)
    make_meeting(tree.y1)
    client.force_login(bob)
    response = client.get(URL)
    assert list(response.context["page"]) == [mine]


def test_staff_filter_by_year_and_unit(client, tree, alice):
    make_meeting(tree.a1, date=D(2017, 3, 5))
    new = make_meeting(tree.a1, date=D(2018, 3, 5))
    other = make_meeting(tree.b1, date=D(2018, 3, 5))
    client.force_login(alice)
    assert set(client.get(URL, {"nam": "2018"}).context["page"]) == {new, other}
    assert list(client.get(URL, {"nam": "2018", "to-chuc": "D-A"}).context["page"]) == [new]
    assert client.get(URL, {"to-chuc": "X-Y"}).status_code == 404  # another district's unit


def test_the_list_takes_a_fixed_number_of_queries(client, tree, alice, django_assert_num_queries):
    for month in range(1, 13):
        make_meeting(tree.a1, date=D(2018, month, 5))
        make_meeting(tree.b1, date=D(2018, month, 6))
    client.force_login(alice)
    # 1 session, 2 user, 3 role with its organization, 4 the page (and one row more) with their cells:
    # no count of the meetings any more, which over millions of rows cost more than the page.
    with django_assert_num_queries(4):
        response = client.get(URL)
    assert len(response.context["page"]) == 24


def test_the_next_page_keeps_the_filters(client, tree, alice):
    for day in range(1, 29):
        make_meeting(tree.a1, date=D(2018, 2, day), kind="themed")
        make_meeting(tree.a1, date=D(2018, 3, day), kind="themed")
    client.force_login(alice)
    body = client.get(URL, {"nam": "2018", "to-chuc": "D-A-1"}).content.decode()
    assert "?nam=2018&amp;to-chuc=D-A-1&amp;page=2" in body
