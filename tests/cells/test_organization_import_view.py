"""The organization import page: upload, problems or preview, confirm; inside the user's scope."""

from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cells.models import Organization, Run
from tests.cells.importfiles import HEADER, write_csv, write_xlsx
from tests.conftest import browser_login

URL = reverse("cells:import")


pytestmark = pytest.mark.usefixtures("media", "runs_at_once")  # tests/conftest.py


@pytest.fixture
def staff(client, alice):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def csv_upload(rows, name="orgs.csv"):
    lines = [",".join(HEADER)] + [",".join(row) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv")


def snapshot():
    return (
        list(Organization.objects.order_by("pk").values_list("pk", "code", "name", "kind", "sector", "parent", "path")),
        LogEntry.objects.count(),
    )


def waiting_files(media):
    folder = media / "imports"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


NEW_CELLS = [
    ("D-A-3", "Chi bộ Khuổi Mò", "Chi bộ trực thuộc", "D-A", ""),
    ("D-C", "Đảng bộ xã Hoàng Việt", "Đảng bộ cơ sở", "D", "xã"),
    ("D-C-1", "Chi bộ Nà Hán", "Chi bộ trực thuộc", "D-C", ""),
]


def test_staff_see_the_form_and_the_accepted_names(staff):
    response = staff.get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert 'type="file"' in body and "Đảng bộ cấp trên cơ sở" in body and "đơn vị sự nghiệp" in body


def test_only_staff_may_import(client, bob, standing):
    assert client.get(URL).status_code == 302  # to the login page
    for user in (bob, standing):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"file": csv_upload(NEW_CELLS)}).status_code == 403
    assert not Organization.objects.filter(code="D-C").exists()


def test_the_tree_page_links_to_the_import_for_staff_only(client, alice, bob):
    client.force_login(alice)
    assert URL in client.get(reverse("cells:tree")).content.decode()
    client.force_login(bob)
    assert URL not in client.get(reverse("cells:tree")).content.decode()


def test_preview_then_confirm_imports_with_the_user_as_actor(staff, alice, media):
    before = snapshot()

    preview = staff.post(URL, {"file": csv_upload(NEW_CELLS)})

    assert preview.status_code == 200
    body = preview.content.decode()
    assert "It will create 3 organizations, update 0 and leave 0 unchanged." in body
    assert "Chi bộ Nà Hán" in body and "Confirm the import" in body
    assert snapshot() == before  # the preview writes nothing
    token = preview.context["token"]

    confirmed = staff.post(URL, {"token": token}, follow=True)

    run = Run.objects.get(kind=Run.Kind.IMPORT_ORGANIZATIONS)
    assert confirmed.redirect_chain == [(reverse("cells:import_run", kwargs={"run_id": run.pk}), 302)]
    assert "orgs.csv imported: 3 created, 0 updated, 0 unchanged." in confirmed.content.decode()
    assert (run.state, run.requested_by, run.scope, run.counts["created"]) == (
        "done",
        alice,
        alice.vanlang_role.organization,
        3,
    )
    hoang_viet = Organization.objects.get(code="D-C")
    cell = Organization.objects.get(code="D-C-1")
    assert cell.parent == hoang_viet and cell.path == f"{hoang_viet.path}{cell.pk}/"
    entries = LogEntry.objects.filter(action=LogEntry.Action.CREATE, object_pk__in=[str(hoang_viet.pk), str(cell.pk)])
    assert [entry.actor for entry in entries] == [alice, alice]
    assert entries[0].remote_addr == "127.0.0.1"
    assert waiting_files(media) == []  # the upload is gone once imported


def test_a_reposted_confirmation_changes_nothing(staff):
    token = staff.post(URL, {"file": csv_upload(NEW_CELLS)}).context["token"]
    staff.post(URL, {"token": token})
    after_first = snapshot()

    again = staff.post(URL, {"token": token}, follow=True)

    assert "This file has already been imported" in again.content.decode()
    assert snapshot() == after_first


def test_the_same_file_twice_makes_no_second_change(staff, media):
    # Two uploads of one file (a double submit), both confirmed.
    first = staff.post(URL, {"file": csv_upload(NEW_CELLS)}).context["token"]
    second = staff.post(URL, {"file": csv_upload(NEW_CELLS)}).context["token"]
    staff.post(URL, {"token": first})
    after_first = snapshot()

    response = staff.post(URL, {"token": second}, follow=True)

    assert "0 created, 0 updated, 3 unchanged." in response.content.decode()
    assert snapshot() == after_first
    preview = staff.post(URL, {"file": csv_upload(NEW_CELLS)})
    assert "The file holds no change" in preview.content.decode()
    assert "Confirm the import" not in preview.content.decode()
    assert waiting_files(media) == []  # nothing to confirm, nothing kept


def test_a_token_of_another_session_imports_nothing(staff, client, charlie, tree):
    token = staff.post(URL, {"file": csv_upload(NEW_CELLS)}).context["token"]
    client.logout()
    client.force_login(charlie)
    before = snapshot()

    client.post(URL, {"token": token})

    assert snapshot() == before


def test_every_problem_is_listed_and_nothing_written(staff, media):
    rows = [
        ("D-A-3", "Chi bộ Khuổi Mò", "Chi bộ trực thuộc", "NOWHERE", ""),
        ("D-C", "", "Tổ đảng", "D", ""),
    ]
    before = snapshot()

    response = staff.post(URL, {"file": csv_upload(rows, name="sai.csv")})

    body = response.content.decode()
    assert "sai.csv was not imported: 3 problems were found." in body
    errors = [(e.row, e.column) for e in response.context["result"].errors]
    assert errors == [(2, "parent_code"), (3, "name"), (3, "kind")]
    assert "No organization with the code “NOWHERE” is in this file or under “Đảng bộ huyện Đông”" in body
    assert "“Tổ đảng” is not a kind of organization" in body
    assert "Confirm the import" not in body and 'type="file"' in body
    assert snapshot() == before
    assert waiting_files(media) == []


def test_a_file_of_another_type_is_refused_by_the_form(staff):
    response = staff.post(URL, {"file": SimpleUploadedFile("orgs.pdf", b"%PDF")})

    assert "Only .csv and .xlsx files can be imported." in response.content.decode()


def test_an_excel_workbook_is_accepted(staff, tmp_path):
    path = write_xlsx(tmp_path, NEW_CELLS)
    upload = SimpleUploadedFile("orgs.xlsx", path.read_bytes())

    token = staff.post(URL, {"file": upload}).context["token"]
    staff.post(URL, {"token": token})

    assert Organization.objects.filter(code__in=["D-A-3", "D-C", "D-C-1"]).count() == 3


# The scope: rows must end up under the user's organization; nothing outside is changed or shown.


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        pytest.param(
            ("D-Z", "Chi bộ", "cell", "X-Y", ""),
            "parent_code",
            "No organization with the code “X-Y” is in this file or under",
            id="parent-outside",
        ),
        pytest.param(
            ("X-Y-1", "Chi bộ đổi tên", "cell", "D-A", ""),
            "code",
            "The code “X-Y-1” belongs to an organization outside your area",
            id="existing-code-outside",
        ),
        pytest.param(
            ("D-Z", "Đảng bộ mới", "upper_committee", "", ""),
            "parent_code",
            "parent_code is empty, which would put this organization at the top of the tree",
            id="top-level",
        ),
        pytest.param(
            ("D", "Đảng bộ huyện Đông", "upper_committee", "D-A", ""),
            "parent_code",
            "“D” is the organization you work in: its parent cannot be changed here.",
            id="move-own-organization",
        ),
        pytest.param(
            ("D", "Đảng bộ huyện Đông", "upper_committee", "", ""),
            "parent_code",
            "which would put this organization at the top of the tree",
            id="own-organization-to-top",
        ),
        pytest.param(
            ("D-Z", "Chi bộ", "cell", "P", ""),
            "parent_code",
            "No organization with the code “P” is in this file or under",
            id="parent-above-scope",
        ),
    ],
)
def test_rows_outside_the_scope_are_refused(staff, tree, row, column, message):
    before = snapshot()

    response = staff.post(URL, {"file": csv_upload([NEW_CELLS[0], row])})

    body = response.content.decode()
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(3, column)]
    assert message in body
    for name in ("Yên Ngoại", "Ngoại Lai", "huyện Tây", "Đảng bộ tỉnh"):
        assert name not in body
    assert snapshot() == before


def test_the_own_organization_may_be_renamed_in_place(staff, tree):
    rows = [("D", "Đảng bộ huyện Đông (mới)", "Đảng bộ cấp trên cơ sở", "P", ""), NEW_CELLS[1]]

    token = staff.post(URL, {"file": csv_upload(rows)}).context["token"]
    staff.post(URL, {"token": token})

    d = Organization.objects.get(code="D")
    assert d.name == "Đảng bộ huyện Đông (mới)" and d.parent == tree.province and d.path == tree.d.path


def test_a_move_inside_the_scope_is_previewed_and_carries_the_subtree(staff, tree):
    rows = [("D-A", "Đảng bộ xã Gia Miễn", "Đảng bộ cơ sở", "D-B", "xã")]

    preview = staff.post(URL, {"file": csv_upload(rows)})

    body = preview.content.decode()
    assert "1 organization moves to another parent, with everything under it." in body
    assert "D-B" in body
    staff.post(URL, {"token": preview.context["token"]})
    a1 = Organization.objects.get(code="D-A-1")
    assert a1.path == f"{tree.b.path}{tree.a.pk}/{a1.pk}/"


def test_an_outsider_uploading_into_their_own_scope_sees_nothing_of_ours(client, charlie, tree):
    client.force_login(charlie)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = [("D-A-7", "Chi bộ", "cell", "D-A", ""), ("D-A-1", "Chi bộ Nặm Bao", "cell", "X-Y", "")]
    before = snapshot()

    response = client.post(URL, {"file": csv_upload(rows)})

    body = response.content.decode()
    assert "The code “D-A-1” belongs to an organization outside your area" in body
    assert "No organization with the code “D-A” is in this file or under “Đảng bộ huyện Tây”" in body
    for name in ("Gia Miễn", "Bản Làn", "huyện Đông"):
        assert name not in body
    assert snapshot() == before


@pytest.mark.browser
def test_import_in_the_browser(page, alice, tmp_path):
    path = write_csv(tmp_path, NEW_CELLS)
    browser_login(page, "alice")
    page.goto(page.base_url + reverse("cells:tree"))
    page.click(f"a[href='{URL}']")
    page.set_input_files("input[type=file]", str(path))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("#import-preview")
    assert page.locator("#import-preview tbody tr").count() == 3

    page.click("input[name=token] ~ button[type=submit]")
    page.wait_for_url("**/nhap-to-chuc/lan/*/")

    page.locator("#import-done").wait_for()
    assert page.evaluate("document.getElementById('run-bar').style.width") == "100%"
    page.reload()  # the run's own page: reloading shows the same outcome
    assert page.locator("#import-done").count() == 1
    Path("/tmp/vanlang-screens").mkdir(exist_ok=True)
    page.screenshot(path="/tmp/vanlang-screens/import-run.png", full_page=True)
    assert Organization.objects.filter(code__in=["D-A-3", "D-C", "D-C-1"]).count() == 3
