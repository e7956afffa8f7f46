"""The auditors' admin at /quan-tri/: every model readable, nothing writable, every change recorded.

An auditor (role `auditor`: is_staff and the Auditors group of view permissions) reads every
model read only. Every create, change and delete, through the application or the admin, is
recorded by django-auditlog with who, when, before and after, and the history can be neither
edited nor deleted, not even by a superuser.
"""

import pytest
from auditlog import admin as auditlog_admin
from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path, resolve, reverse
from django.views import View

from cells.access import Perm, ScopedMixin, admin_scope_way
from cells.admin import KEPT_OUT_OF_THE_ADMIN, project_app_configs
from cells.models import Organization, UserRole

User = get_user_model()


@pytest.fixture
def superuser(tree):
    return User.objects.create_superuser("root", "root@example.org", "Mật-khẩu-quản-trị-2018")


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_project_model_has_an_admin_with_history():
    labels = {config.label for config in project_app_configs()}
    assert {"cells", "assessments", "plans"} <= labels
    for config in project_app_configs():
        for model in config.get_models():
            if model._meta.label_lower in KEPT_OUT_OF_THE_ADMIN:
                assert not admin.site.is_registered(model), model
                continue
            assert admin.site.is_registered(model), model
            assert isinstance(admin.site._registry[model], AuditlogHistoryAdminMixin), model
    for model in (User, get_user_model()._meta.get_field("groups").related_model):
        assert isinstance(admin.site._registry[model], AuditlogHistoryAdminMixin), model


def test_installed_packages_are_not_taken_for_project_apps():
    assert not {"auth", "auditlog", "axes", "django_celery_beat"} & {c.label for c in project_app_configs()}


def test_auditor_reads_every_model_of_the_admin(client, tree, auditor):
    client.force_login(auditor)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    for model in admin.site._registry:
        changelist = client.get(admin_url(model, "changelist"))
        # What cannot be placed in the tree (groups, celery-beat schedules) is for superusers only.
        expected = 200 if admin_scope_way(model) is not None else 403
        assert changelist.status_code == expected, model
        body = changelist.content.decode()
        assert admin_url(model, "add") not in body, f"{model}: auditors must not see an add button"


@pytest.mark.parametrize("model", [Organization, UserRole, User])
def test_auditor_sees_objects_read_only_and_posts_are_refused(client, tree, auditor, model):
    obj = {Organization: tree.a, UserRole: UserRole.objects.get(user=auditor), User: auditor}[model]
    client.force_login(auditor)
    page = client.get(admin_url(model, "change", obj.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="_save"' not in body and admin_url(model, "delete", obj.pk) not in body
    assert admin_url(model, "auditlog", obj.pk) in client.get(admin_url(model, "changelist")).content.decode()
    assert client.post(admin_url(model, "change", obj.pk), {"name": "Đã đổi"}).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert client.post(admin_url(model, "add"), {}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_auditor_cannot_delete_in_bulk(client, tree, auditor):
    client.force_login(auditor)
    client.post(
        admin_url(Organization, "changelist"),
        {"action": "delete_selected", "_selected_action": [tree.a1.pk], "post": "yes"},
    )
    assert Organization.objects.filter(pk=tree.a1.pk).exists()


def test_changes_through_the_admin_are_recorded_with_who_before_and_after(client, tree, superuser):
    client.force_login(superuser)
    # create
    response = client.post(
        admin_url(Organization, "add"),
        {
            "code": "D-C",
            "name": "Đảng bộ xã Hoàng Việt",
            "kind": "grassroots_committee",
            "sector": "commune",
            "parent": tree.d.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Organization.objects.get(code="D-C")
    # change
    response = client.post(
        admin_url(Organization, "change", created.pk),
        {
            "code": "D-C",
            "name": "Đảng bộ xã Bắc Việt",
            "kind": "grassroots_committee",
            "sector": "commune",
            "parent": tree.d.pk,
        },
    )
    assert response.status_code == 302
    # delete (a role; organizations are kept)
    role = UserRole.objects.create(user=User.objects.create_user("tam"), role="staff", organization=created)
    assert client.post(admin_url(UserRole, "delete", role.pk), {"post": "yes"}).status_code == 302

    entries = LogEntry.objects.get_for_object(created).order_by("pk")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    # The creation lists the object's own fields, not the reverse relations other models hold.
    assert {"code", "name", "kind", "parent"} <= set(entries[0].changes_dict)
    assert not {"children", "predecessors", "user_roles", "path", "depth"} & set(entries[0].changes_dict)
    assert all(e.actor == superuser and e.timestamp for e in entries)
    assert entries[1].changes_dict["name"] == ["Đảng bộ xã Hoàng Việt", "Đảng bộ xã Bắc Việt"]
    deleted = LogEntry.objects.get(
        content_type__model="userrole", object_pk=str(role.pk), action=LogEntry.Action.DELETE
    )
    assert deleted.actor == superuser and "tam" in deleted.object_repr

    # The history is shown in the admin: on the object's page and in the list of entries.
    history = client.get(admin_url(Organization, "auditlog", created.pk)).content.decode()
    assert "Đảng bộ xã Hoàng Việt" in history and "Đảng bộ xã Bắc Việt" in history and "root" in history
    entry_list = client.get(admin_url(LogEntry, "changelist")).content.decode()
    assert "Đảng bộ xã Bắc Việt" in entry_list and "tam" in entry_list


def test_auditor_reads_the_history(client, tree, auditor, superuser):
    client.force_login(superuser)
    client.post(
        admin_url(Organization, "change", tree.a1.pk),
        {"code": tree.a1.code, "name": "Chi bộ Nặm Bao mới", "kind": "cell", "parent": tree.a.pk},
    )
    client.force_login(auditor)
    history = client.get(admin_url(Organization, "auditlog", tree.a1.pk))
    assert history.status_code == 200 and "Chi bộ Nặm Bao mới" in history.content.decode()
    entry = LogEntry.objects.get_for_object(tree.a1).latest("pk")
    assert client.get(admin_url(LogEntry, "change", entry.pk)).status_code == 200


def test_nobody_edits_or_deletes_the_history(client, tree, superuser):
    tree.a.name = "Đảng bộ xã Gia Miễn (đổi tên)"
    tree.a.save()
    entry = LogEntry.objects.get_for_object(tree.a).latest("pk")
    before = (entry.object_repr, entry.changes, entry.timestamp)
    client.force_login(superuser)
    page = client.get(admin_url(LogEntry, "change", entry.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(admin_url(LogEntry, "change", entry.pk), {"object_repr": "x"}).status_code == 403
    assert client.post(admin_url(LogEntry, "delete", entry.pk), {"post": "yes"}).status_code == 403
    assert client.get(admin_url(LogEntry, "add")).status_code == 403
    client.post(admin_url(LogEntry, "changelist"), {"action": "delete_selected", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert (entry.object_repr, entry.changes, entry.timestamp) == before


def test_no_admin_page_may_delete_history_as_a_cascade(tree, superuser):
    """django-auditlog's own admin grants delete when the request comes from another admin page."""
    request = RequestFactory().post("/")
    request.user = superuser
    request.resolver_match = resolve(admin_url(Organization, "delete", tree.a.pk))
    assert auditlog_admin.LogEntryAdmin(LogEntry, admin.site).has_delete_permission(request)  # the gap
    assert not admin.site._registry[LogEntry].has_delete_permission(request)


class RenameView(ScopedMixin, View):
    """A write made by an application view, as later issues' views will make them."""

    permission = Perm.MANAGE_ORGANIZATIONS

    def post(self, request, org_code):
        organization = self.get_organization(org_code)
        organization.name = request.POST["name"]
        organization.save()
        return HttpResponse("ok")


urlpatterns = [path("doi-ten/<str:org_code>/", RenameView.as_view())]


@pytest.mark.urls(__name__)
def test_changes_made_by_application_views_record_the_user(client, tree, alice):
    client.force_login(alice)
    response = client.post(f"/doi-ten/{tree.a.code}/", {"name": "Đảng bộ xã Gia Miễn mới"}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    entry = LogEntry.objects.get_for_object(tree.a).latest("pk")
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == alice and entry.remote_addr == "10.1.2.3"
    assert entry.changes_dict["name"] == ["Đảng bộ xã Gia Miễn", "Đảng bộ xã Gia Miễn mới"]


def test_users_are_deactivated_not_deleted(client, tree, superuser, bob):
    """Deleting a user would blank the author of their history entries (actor is SET NULL)."""
    client.force_login(superuser)
    assert client.post(admin_url(User, "delete", bob.pk), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=bob.pk).exists()


def test_organizations_are_never_deleted(client, tree, superuser):
    """A dissolved unit keeps its years: it gets a dissolution date, it is not deleted."""
    client.force_login(superuser)
    assert client.post(admin_url(Organization, "delete", tree.a1.pk), {"post": "yes"}).status_code == 403
    assert Organization.objects.filter(pk=tree.a1.pk).exists()
