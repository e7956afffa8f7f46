"""The browsable tree and the branch fragment its JavaScript fetches when a branch opens."""

import datetime

from django.urls import reverse

from tests.conftest import Kind, make_org


def test_tree_opens_at_the_users_scope(client, tree, alice):
    client.force_login(alice)
    response = client.get(reverse("cells:tree"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đảng bộ huyện Đông" in body
    # The first level is listed; deeper levels are only links to fetch.
    assert "Đảng bộ xã Gia Miễn" in body and "Đảng bộ xã Tân Mỹ" in body
    assert "Chi bộ Nặm Bao" not in body
    assert reverse("cells:children", kwargs={"org_code": tree.a.code}) in body
    # Another district is not part of it, nor is the province above the scope.
    assert "Đảng bộ huyện Tây" not in body and "Đảng bộ tỉnh" not in body


def test_secretary_tree_starts_at_the_commune(client, tree, bob):
    client.force_login(bob)
    body = client.get(reverse("cells:tree")).content.decode()
    assert "Đảng bộ xã Gia Miễn" in body and "Chi bộ Nặm Bao" in body
    assert "Tân Mỹ" not in body and "huyện Đông" not in body


def test_branch_fragment_lists_children_without_the_page_around_them(client, tree, alice):
    client.force_login(alice)
    response = client.get(reverse("cells:children", kwargs={"org_code": tree.a.code}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chi bộ Nặm Bao" in body and "Chi bộ Bản Làn" in body
    assert "<html" not in body and "Pò Cại" not in body


def test_branch_outside_the_scope_is_not_found(client, tree, bob):
    client.force_login(bob)
    assert client.get(reverse("cells:children", kwargs={"org_code": tree.b.code})).status_code == 404
    assert client.get(reverse("cells:children", kwargs={"org_code": tree.d.code})).status_code == 404


def test_tree_query_count_is_fixed(client, tree, alice, django_assert_num_queries):
    client.force_login(alice)

    def count_queries():
        # 1 session, 2 user, 3 role with its organization (the scope),
        # 4 the scope's children, each with its own child count as a subquery
        with django_assert_num_queries(4):
            assert client.get(reverse("cells:tree")).status_code == 200

    count_queries()
    for n in range(25):
        commune = make_org(f"D-N{n}", f"Đảng bộ xã Mới {n}", Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")
        make_org(f"D-N{n}-1", f"Chi bộ thôn {n}", Kind.CELL, commune)
    count_queries()


def test_branch_query_count_is_fixed(client, tree, alice, django_assert_num_queries):
    client.force_login(alice)
    url = reverse("cells:children", kwargs={"org_code": tree.a.code})

    def count_queries():
        # 1 session, 2 user, 3 role with its scope, 4 the branch's organization inside the scope,
        # 5 its children with their child counts
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200

    count_queries()
    for n in range(30):
        make_org(f"D-A-X{n}", f"Chi bộ thôn {n}", Kind.CELL, tree.a)
    count_queries()


def test_active_units_come_first_then_by_name_without_diacritics(client, tree, alice):
    # On PostgreSQL NULL sorts last: the order must not depend on the database.
    old = make_org("D-0", "Đảng bộ xã Cũ", Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")
    old.dissolved = datetime.date(2019, 12, 31)
    old.save()
    make_org("D-E", "Chi bộ Điện lực", Kind.GRASSROOTS_CELL, tree.d, "enterprise")
    make_org("D-K", "Chi bộ Kho bạc", Kind.GRASSROOTS_CELL, tree.d, "agency")
    client.force_login(alice)
    children = client.get(reverse("cells:tree")).context["children"]
    assert [c.name for c in children] == [
        "Chi bộ Điện lực",
        "Chi bộ Kho bạc",
        "Đảng bộ xã Gia Miễn",
        "Đảng bộ xã Tân Mỹ",
        "Đảng bộ xã Cũ",
    ]
