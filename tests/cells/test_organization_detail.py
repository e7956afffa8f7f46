"""The organization page: its place in the tree, its children, its life span."""

import datetime

from django.urls import reverse

from tests.conftest import Kind, make_org


def detail(code):
    return reverse("cells:detail", kwargs={"org_code": code})


def test_page_shows_the_path_from_the_scope_and_the_children(client, tree, alice):
    client.force_login(alice)
    response = client.get(detail(tree.a.code))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đảng bộ xã Gia Miễn" in body
    assert "Chi bộ Nặm Bao" in body and "Chi bộ Bản Làn" in body
    assert [o.code for o in response.context["ancestors"]] == ["D"]
    # The breadcrumb starts at the user's scope, never above it.
    assert "Đảng bộ tỉnh" not in body


def test_dissolved_organization_shows_its_successor_and_the_successor_its_predecessors(client, tree, alice):
    merged = make_org("D-C", "Đảng bộ xã Cũ", Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")
    merged.dissolved, merged.successor = datetime.date(2019, 12, 31), tree.b
    merged.save()
    client.force_login(alice)
    body = client.get(detail(merged.code)).content.decode()
    assert "31/12/2019" in body and detail(tree.b.code) in body
    assert detail(merged.code) in client.get(detail(tree.b.code)).content.decode()


def test_home_is_the_roles_dashboard_not_a_redirect(client, tree, bob):
    client.force_login(bob)
    response = client.get(reverse("plans:home"))
    assert response.status_code == 200 and "Nặm Bao" in response.content.decode()


def test_outside_the_scope_is_not_found(client, tree, bob):
    client.force_login(bob)
    assert client.get(detail(tree.b.code)).status_code == 404
    assert client.get(detail(tree.d.code)).status_code == 404
    assert client.get(detail("NO-SUCH-CODE")).status_code == 404


def test_children_are_paginated(client, tree, alice):
    for n in range(105):
        make_org(f"D-A-P{n:03}", f"Chi bộ thôn {n:03}", Kind.CELL, tree.a)
    client.force_login(alice)
    first = client.get(detail(tree.a.code))
    assert len(first.context["children_page"].object_list) == 100
    second = client.get(detail(tree.a.code) + "?page=2")
    assert len(second.context["children_page"].object_list) == 7


def test_query_count_is_fixed(client, tree, alice, django_assert_num_queries):
    client.force_login(alice)

    def count_queries():
        # 1 session, 2 user, 3 role with its scope, 4 the organization inside the scope,
        # 5 count of its children (paginator); the panels of the apps above cells: 6 its
        # classifications, 7 the years its committee classified cells (assessments), 8 its
        # support plans (plans); 9 one page of children with their child counts,
        # 10 the ancestors between the scope and the organization, 11 the units merged into it
        with django_assert_num_queries(11):
            assert client.get(detail(tree.a.code)).status_code == 200

    count_queries()
    for n in range(40):
        cell = make_org(f"D-A-Q{n}", f"Chi bộ thôn {n}", Kind.CELL, tree.a)
        make_org(f"D-A-Q{n}-T", f"Tổ đảng {n}", Kind.CELL, cell)
    count_queries()
