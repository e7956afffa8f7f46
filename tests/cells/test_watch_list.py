"""The watch list: units with signals, kept to those rated good or above once ratings are plugged in."""

import datetime

from django.urls import reverse

from tests.cells.factories import make_admission, make_meeting

D = datetime.date
URL = reverse("cells:watch_list", kwargs={"year": 2016})
RATED = {}


def rated(year, organization_ids):
    """Stands in for the ratings that `assessments` provides through settings."""
    return {pk: label for pk, label in RATED.items() if pk in organization_ids}


def signals(tree):
    for month in range(1, 7):
        make_meeting(tree.a1, date=D(2016, month, 5))  # Nặm Bao: 6
    make_admission(tree.b1, decision=D(2013, 5, 5))  # Pò Cại: none since 2013
    make_meeting(tree.y1, date=D(2016, 1, 5))  # another district


def test_without_ratings_every_unit_with_a_signal_is_listed(client, tree, alice, settings, django_assert_num_queries):
    settings.VANLANG_WATCH_LIST_RATINGS = None
    signals(tree)
    client.force_login(alice)
    # 1 session, 2 user, 3 role, 4 grassroots organizations in scope, 5 meeting signals, 6 admission signals
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
