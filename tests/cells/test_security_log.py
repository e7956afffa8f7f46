"""The security log (cells.SecurityEvent): sign-ins, failures, lockouts, sign-outs, refused
objects of another unit, exports and printed documents, with user, unit, address and what was
asked; auditors read it in the admin, scoped to their subtree, read only."""

import pytest
from django.urls import reverse

from cells.models import SecurityEvent
from tests.cells.factories import make_meeting
from tests.conftest import PASSWORD, make_user, missing_service

Kind = SecurityEvent.Kind
ADMIN_LIST = reverse("admin:cells_securityevent_changelist")


def events(**filters):
    fields = ["kind", "username", "ip", "path", "detail"]
    return list(SecurityEvent.objects.filter(**filters).order_by("id").values_list(*fields))


def test_sign_in_failure_and_sign_out_are_logged_with_unit_and_address(client, tree, bob):
    client.post(reverse("login"), {"username": "bob", "password": "sai"}, REMOTE_ADDR="203.0.113.5")
    client.post(reverse("login"), {"username": "bob", "password": PASSWORD}, REMOTE_ADDR="203.0.113.5")
    client.post(reverse("logout"), REMOTE_ADDR="203.0.113.5")
    logged = SecurityEvent.objects.filter(user=bob).order_by("id")
    assert [e.kind for e in logged] == [Kind.SIGN_IN_FAILED, Kind.SIGN_IN, Kind.SIGN_OUT]
    assert {e.organization for e in logged} == {tree.a}
    assert {e.ip for e in logged} == {"203.0.113.5"}
    assert logged[0].path == "/dang-nhap/"


def test_a_failed_sign_in_under_an_unknown_name_keeps_the_name(client, db):
    client.post(reverse("login"), {"username": "khong-ai", "password": "sai"})
    assert events(kind=Kind.SIGN_IN_FAILED) == [("sign_in_failed", "khong-ai", "127.0.0.1", "/dang-nhap/", "password")]


def test_an_object_of_another_unit_is_refused_and_logged_once(client, tree, charlie):
    meeting = make_meeting(tree.a1)
    client.force_login(charlie)
    url = reverse("cells:meeting_detail", kwargs={"meeting_id": meeting.pk})
    assert client.get(url).status_code == 404
    detail = f"meeting pk={meeting.pk}: in another unit"
    assert events(kind=Kind.REFUSED) == [("refused", "charlie", "127.0.0.1", url, detail)]


def test_an_organization_of_another_unit_is_refused_and_logged(client, tree, charlie):
    client.force_login(charlie)
    assert client.get(reverse("cells:detail", kwargs={"org_code": "D-A"})).status_code == 404
    assert client.get(reverse("cells:detail", kwargs={"org_code": "KHONG-CO"})).status_code == 404
    assert [detail for *_, detail in events(kind=Kind.REFUSED)] == [
        "organization code=D-A: in another unit",
        "organization code=KHONG-CO: not found",
    ]


def test_an_excel_export_is_logged_with_what_was_asked(client, tree, alice, reports_at_once):
    from tests.reports import report_download, report_run

    client.force_login(alice)
    page = reverse("cells:meeting_compliance", kwargs={"org_code": "D-A", "year": 2018})
    run = report_run(client, page)  # asking is not exporting: the download is
    assert events(kind=Kind.EXPORT) == []
    report_download(client, page)
    url = reverse("cells:report_download", kwargs={"report_run_id": run.pk + 1})
    assert events(kind=Kind.EXPORT) == [("export", "alice", "127.0.0.1", url, "sinh-hoat-D-A-2018.xlsx")]


def test_a_printed_plan_is_logged(client, tree, alice):
    from tests.plans.factories import make_plan

    plan = make_plan(tree.a, 2018)
    client.force_login(alice)
    url = reverse("plans:plan_pdf", kwargs={"plan_id": plan.pk})
    response = client.get(url)
    if response.status_code != 200:
        missing_service("WeasyPrint cannot print here (Pango or the font is missing): see the README")
    assert events(kind=Kind.PRINT) == [("print", "alice", "127.0.0.1", url, "ke-hoach-D-A-2018.pdf")]


def test_pages_are_not_logged(client, tree, alice):
    client.force_login(alice)
    SecurityEvent.objects.all().delete()
    client.get(reverse("cells:tree"))
    assert not SecurityEvent.objects.exists()


@pytest.fixture
def logged(tree, db):
    """One event for a user of each district, and one under a name that is nobody's."""
    alice = make_user("alice", "staff", tree.d)
    charlie = make_user("charlie", "staff", tree.x)
    SecurityEvent.objects.all().delete()
    SecurityEvent.objects.create(kind=Kind.SIGN_IN, user=alice, username="alice", organization=tree.d)
    SecurityEvent.objects.create(kind=Kind.SIGN_IN, user=charlie, username="charlie", organization=tree.x)
    SecurityEvent.objects.create(kind=Kind.SIGN_IN_FAILED, username="khong-ai")


def listed(client):
    response = client.get(ADMIN_LIST)
    assert response.status_code == 200
    # The auditor's own sign-in is there too.
    return sorted(e.username for e in response.context["cl"].result_list if e.username != "eve")


def test_an_auditor_reads_the_log_of_their_subtree_only(client, tree, logged):
    client.force_login(make_user("eve", "auditor", tree.d))
    assert listed(client) == ["alice"]
    other = SecurityEvent.objects.get(username="charlie")
    assert (
        client.get(reverse("admin:cells_securityevent_change", args=[other.pk])).status_code == 404
    )  # outside the scope: not found, like every admin page


def test_an_auditor_of_the_whole_tree_also_reads_unknown_names(client, tree, logged):
    client.force_login(make_user("eve", "auditor", tree.province))
    assert listed(client) == ["alice", "charlie", "khong-ai"]


def test_the_log_is_read_only_even_for_auditors(client, tree, logged):
    client.force_login(make_user("eve", "auditor", tree.d))
    event = SecurityEvent.objects.get(username="alice")
    change = client.post(reverse("admin:cells_securityevent_change", args=[event.pk]), {"detail": "x"})
    delete = client.post(reverse("admin:cells_securityevent_delete", args=[event.pk]), {"post": "yes"})
    assert change.status_code in (302, 403) and delete.status_code == 403
    event.refresh_from_db()
    assert event.detail == ""
    assert client.get(reverse("admin:cells_securityevent_add")).status_code == 403


def test_authenticator_secrets_are_not_in_the_admin(client, tree, logged):
    client.force_login(make_user("eve", "auditor", tree.province))
    body = client.get(reverse("admin:index")).content.decode()
    assert "otp_totp" not in body and "otp_static" not in body
