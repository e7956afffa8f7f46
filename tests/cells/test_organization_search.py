"""Search by name or code, ignoring diacritics and case, inside the user's scope."""

from django.urls import reverse

from tests.conftest import Kind, make_org


def search(client, text):
    return client.get(reverse("cells:search"), {"q": text})


def names(response):
    return [org.name for org in response.context["page"].object_list]


def test_diacritics_and_case_are_ignored(client, tree, alice):
    client.force_login(alice)
    for text in ["tan my", "TÂN MỸ", "Tân  mỹ", "tân my"]:
        assert names(search(client, text)) == ["Đảng bộ xã Tân Mỹ"], text


def test_d_with_stroke_matches_plain_d(client, tree, alice):
    client.force_login(alice)
    assert "Đảng bộ huyện Đông" in names(search(client, "dang bo huyen dong"))


def test_every_word_must_match_and_codes_are_searched(client, tree, alice):
    client.force_login(alice)
    assert names(search(client, "nam bao")) == ["Chi bộ Nặm Bao"]
    assert names(search(client, "d-b-1")) == ["Chi bộ Pò Cại"]
    assert names(search(client, "nam zzz")) == []


def test_results_stay_inside_the_scope(client, tree, bob, charlie):
    client.force_login(bob)
    assert names(search(client, "tan my")) == []
    assert names(search(client, "chi bo")) == ["Chi bộ Bản Làn", "Chi bộ Nặm Bao"]
    client.force_login(charlie)
    assert names(search(client, "gia mien")) == []


def test_empty_query_shows_the_form_only(client, tree, alice):
    client.force_login(alice)
    response = search(client, "   ")
    assert response.status_code == 200 and response.context["page"] is None


def test_query_count_is_fixed(client, tree, alice, django_assert_num_queries):
    client.force_login(alice)

    def count_queries():
        # 1 session, 2 user, 3 role with its scope, 4 count of the matches (paginator),
        # 5 one page of matches with their parents
        with django_assert_num_queries(5):
            assert search(client, "chi bo").status_code == 200

    count_queries()
    for n in range(60):
        make_org(f"D-B-S{n}", f"Chi bộ thôn {n}", Kind.CELL, tree.b)
    count_queries()


def test_a_grassroots_organization_named_by_the_query_comes_before_cells(client, tree, alice):
    # Cells whose code carries the commune's name match too, and "chi bo" sorts before "dang bo".
    for n in range(3):
        make_org(f"D-B-TANMY-{n}", f"Chi bộ thôn {n}", Kind.CELL, tree.b)
    make_org("D-B-TANMY-X", "Chi bộ Tân Mỹ 2", Kind.CELL, tree.b)
    make_org("D-TANMYA", "Đảng bộ xã Tân Mỹ A", Kind.GRASSROOTS_COMMITTEE, tree.d)
    client.force_login(alice)
    found = names(search(client, "tan my"))
    assert found[:2] == ["Đảng bộ xã Tân Mỹ", "Đảng bộ xã Tân Mỹ A"]
    assert set(found[2:]) == {"Chi bộ Tân Mỹ 2", "Chi bộ thôn 0", "Chi bộ thôn 1", "Chi bộ thôn 2"}
