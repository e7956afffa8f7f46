"""cells/access.py: roles grant permissions, views demand one, and the scope bounds every read."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.views import View

from cells.access import (
    ROLE_PERMISSIONS,
    Perm,
    Role,
    ScopedMixin,
    has_perm,
    organizations_visible_to,
    scope_filter,
    scope_of,
)
from cells.models import Organization


class StaffOnlyView(ScopedMixin, View):
    permission = Perm.MANAGE_ORGANIZATIONS

    def get(self, request, org_code):
        organization = self.get_organization(org_code)
        return HttpResponse(organization.code)


def call(view_class, user, org_code):
    request = RequestFactory().get("/")
    request.user = user
    return view_class.as_view()(request, org_code=org_code)


def test_staff_reaches_a_staff_only_view_inside_the_scope(tree, alice):
    assert call(StaffOnlyView, alice, tree.a1.code).content == b"D-A-1"


@pytest.mark.parametrize("who", ["bob", "standing", "auditor"])
def test_other_roles_cannot_reach_a_staff_only_view(request, tree, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        call(StaffOnlyView, user, tree.a.code)


def test_staff_of_another_district_gets_not_found(tree, charlie):
    from django.http import Http404

    with pytest.raises(Http404):
        call(StaffOnlyView, charlie, tree.a.code)


def test_a_user_without_a_role_is_refused(db, tree):
    user = get_user_model().objects.create_user("norole", password="x")
    with pytest.raises(PermissionDenied):
        call(StaffOnlyView, user, tree.a.code)
    assert not has_perm(user, Perm.VIEW) and scope_of(user) is None
    assert list(organizations_visible_to(user)) == []


def test_anonymous_is_sent_to_the_login_page(tree):
    response = call(StaffOnlyView, AnonymousUser(), tree.a.code)
    assert response.status_code == 302 and response.url.startswith("/dang-nhap/?next=")


def test_roles_grant_what_the_domain_says():
    # Everyone with a role reads their subtree.
    assert all(Perm.VIEW in perms for perms in ROLE_PERMISSIONS.values())
    # Auditors read; their work is the admin site.
    assert ROLE_PERMISSIONS[Role.AUDITOR] == {Perm.VIEW}
    # The standing committee decides and adopts but does not edit data.
    standing = ROLE_PERMISSIONS[Role.STANDING]
    assert {Perm.DECIDE_CANDIDATES, Perm.ADOPT_PLANS, Perm.REPORT_TASKS} <= standing
    assert not {Perm.MANAGE_ORGANIZATIONS, Perm.ENTER_CLASSIFICATIONS, Perm.MANAGE_PLANS} & standing
    # Secretaries keep their unit's meeting and admission records and classify its cells (a
    # grassroots committee classifies its cells), nothing above that.
    secretary = ROLE_PERMISSIONS[Role.SECRETARY]
    assert {Perm.ENTER_MEETINGS, Perm.ENTER_ADMISSIONS, Perm.ENTER_CLASSIFICATIONS} <= secretary
    assert not {Perm.DECIDE_CANDIDATES, Perm.MANAGE_PLANS, Perm.RUN_JOBS, Perm.MANAGE_ORGANIZATIONS} & secretary
    # Staff do everything.
    every = {value for name, value in vars(Perm).items() if name.isupper()}
    assert ROLE_PERMISSIONS[Role.STAFF] == every


def test_visible_organizations_are_exactly_the_subtree(tree, alice, bob, charlie):
    assert set(organizations_visible_to(bob).values_list("code", flat=True)) == {"D-A", "D-A-1", "D-A-2"}
    assert set(organizations_visible_to(charlie).values_list("code", flat=True)) == {"X", "X-Y", "X-Y-1"}
    assert "P" not in set(organizations_visible_to(alice).values_list("code", flat=True))


def test_a_prefix_of_a_path_is_not_a_subtree(db):
    # "/…/5/" must not match "/…/55/": the separator closes each key.
    root = Organization.objects.create(code="R", name="Gốc", kind="upper_committee")
    five = Organization.objects.create(pk=5005, code="R5", name="Năm", kind="grassroots_cell", parent=root)
    fifty_five = Organization.objects.create(pk=50055, code="R55", name="Năm lăm", kind="grassroots_cell", parent=root)
    assert list(scope_filter(Organization.objects.all(), five)) == [five]
    assert not fifty_five.is_within(five)


def test_refusal_pages_point_the_way_back(client, tree, bob):
    from django.urls import reverse

    client.force_login(bob)
    response = client.get(reverse("cells:detail", kwargs={"org_code": tree.b.code}))
    assert response.status_code == 404
    body = response.content.decode()
    assert f'class="btn btn-primary" href="{reverse("plans:home")}"' in body and "Tân Mỹ" not in body
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(superuser)
    response = client.get(reverse("cells:tree"))
    assert response.status_code == 403
    assert f'class="btn btn-primary" href="{reverse("admin:index")}"' in response.content.decode()
