"""The organization import page: upload, its check as a background run whose page lists the row
errors or each kind of change, confirm, the import run; inside the user's scope."""

from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cells.import_uploads import CHANGES_PER_KIND
from cells.importing.plan import PREVIEW_LIMIT
from cells.models import Organization, Run
from tests.cells.importfiles import HEADER, write_csv, write_xlsx
from tests.conftest import browser_login
from tests.webimports import confirm, waiting_files

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


def check(client, rows, name="orgs.csv"):
    """Upload a file and follow to its check's page."""
    return client.post(URL, {"file": csv_upload(rows, name=name)}, follow=True)


def problems(page):
    return [problem.split(":")[0] for problem in page.context["problems"]]


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

    preview = check(staff, NEW_CELLS)

    run = Run.objects.get(kind=Run.Kind.IMPORT_ORGANIZATIONS)
    assert preview.redirect_chain == [(reverse("cells:import_run", kwargs={"run_id": run.pk}), 302)]
    assert (run.state, run.params["preview"], run.requested_by) == ("done", True, alice)
    body = preview.content.decode()
    assert "It will create 3 records, update 0 and leave 0 unchanged." in body
    assert "Chi bộ Nà Hán" in body and "Confirm the import" in body
    assert [len(listed) for _kind, _label, _count, listed in preview.context["change_lists"]] == [3]
    assert snapshot() == before  # the preview writes nothing
    assert "Chi bộ Nà Hán" in staff.get(preview.redirect_chain[-1][0]).content.decode()  # a reload shows it again

    confirmed = confirm(staff, preview)

    run = Run.objects.filter(kind=Run.Kind.IMPORT_ORGANIZATIONS, params__preview__isnull=True).get()
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


def test_a_double_submit_of_confirm_is_answered_as_the_first(staff):
    preview = check(staff, NEW_CELLS)

    first = confirm(staff, preview)
    after_first = snapshot()
    second = confirm(staff, preview)

    assert second.redirect_chain == first.redirect_chain
    assert Run.objects.filter(kind=Run.Kind.IMPORT_ORGANIZATIONS, params__preview__isnull=True).count() == 1
    # Without the form's token (a re-posted form): nothing is left to claim.
    again = staff.post(URL, {"token": preview.context["token"]}, follow=True)
    assert "This file has already been imported" in again.content.decode()
    assert snapshot() == after_first


def test_the_same_file_twice_makes_no_second_change(staff, media):
    # Two uploads of one file (two tabs), both confirmed.
    first = check(staff, NEW_CELLS)
    second = check(staff, NEW_CELLS)
    confirm(staff, first)
    after_first = snapshot()

    response = confirm(staff, second)

    assert "0 created, 0 updated, 3 unchanged." in response.content.decode()
    assert snapshot() == after_first
    preview = check(staff, NEW_CELLS)
    assert "The file holds no change" in preview.content.decode()
    assert "Confirm the import" not in preview.content.decode()
    assert waiting_files(media) == []  # nothing to confirm, nothing kept


def test_a_token_of_another_session_imports_nothing(staff, client, charlie, tree):
    preview = check(staff, NEW_CELLS)
    run_page = preview.redirect_chain[-1][0]
    client.logout()
    client.force_login(charlie)
    before = snapshot()

    assert client.get(run_page).status_code == 404  # the check of another unit is not shown
    client.post(URL, {"token": preview.context["token"]})

    assert snapshot() == before
    assert not Run.objects.filter(params__preview__isnull=True).exists()


def test_every_problem_is_listed_and_nothing_written(staff, media):
    rows = [
        ("D-A-3", "Chi bộ Khuổi Mò", "Chi bộ trực thuộc", "NOWHERE", ""),
        ("D-C", "", "Tổ đảng", "D", ""),
    ]
    before = snapshot()

    response = check(staff, rows, name="sai.csv")

    body = response.content.decode()
    assert Run.objects.get().state == "failed"
    assert "sai.csv was not imported: 3 problems were found." in body
    assert problems(response) == ["Row 2, column parent_code", "Row 3, column name", "Row 3, column kind"]
    assert "No organization with the code “NOWHERE” is in this file or under “Đảng bộ huyện Đông”" in body
    assert "“Tổ đảng” is not a kind of organization" in body
    assert "Confirm the import" not in body and "Upload another file" in body
    assert snapshot() == before
    assert waiting_files(media) == []


def test_a_file_of_another_type_is_refused_by_the_form(staff):
    response = staff.post(URL, {"file": SimpleUploadedFile("orgs.pdf", b"%PDF")})

    assert "Only .csv and .xlsx files can be imported." in response.content.decode()
    assert not Run.objects.exists()


def test_an_excel_workbook_is_accepted(staff, tmp_path):
    path = write_xlsx(tmp_path, NEW_CELLS)
    upload = SimpleUploadedFile("orgs.xlsx", path.read_bytes())

    confirm(staff, staff.post(URL, {"file": upload}, follow=True))

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

    response = check(staff, [NEW_CELLS[0], row])

    body = response.content.decode()
    assert problems(response) == [f"Row 3, column {column}"]
    assert message in body
    for name in ("Yên Ngoại", "Ngoại Lai", "huyện Tây", "Đảng bộ tỉnh"):
        assert name not in body
    assert snapshot() == before


def test_the_own_organization_may_be_renamed_in_place(staff, tree):
    rows = [("D", "Đảng bộ huyện Đông (mới)", "Đảng bộ cấp trên cơ sở", "P", ""), NEW_CELLS[1]]

    confirm(staff, check(staff, rows))

    d = Organization.objects.get(code="D")
    assert d.name == "Đảng bộ huyện Đông (mới)" and d.parent == tree.province and d.path == tree.d.path


def test_a_move_inside_the_scope_is_previewed_and_carries_the_subtree(staff, tree):
    rows = [("D-A", "Đảng bộ xã Gia Miễn", "Đảng bộ cơ sở", "D-B", "xã")]

    preview = check(staff, rows)

    body = preview.content.decode()
    assert "1 organization moves to another parent, with everything under it." in body
    assert "D-B" in body
    confirm(staff, preview)
    a1 = Organization.objects.get(code="D-A-1")
    assert a1.path == f"{tree.b.path}{tree.a.pk}/{a1.pk}/"


LIFE_HEADER = (*HEADER, "active_to")


def test_the_check_lists_each_kind_of_change_and_keeps_them_after_a_reload(staff, tree):
    rows = [
        ("D-A-3", "Chi bộ Khuổi Mò", "Chi bộ trực thuộc", "D-A", "", ""),
        ("D-A-1", "Chi bộ Nặm Bao", "Chi bộ trực thuộc", "D-B", "", ""),
        ("D-B", "Đảng bộ xã Tân Mỹ Hòa", "Đảng bộ cơ sở", "D", "xã", ""),
        ("D-A-2", "Chi bộ Bản Làn", "Chi bộ trực thuộc", "D-A", "", "31/12/2018"),
    ]
    upload = SimpleUploadedFile("orgs.csv", "\n".join(",".join(row) for row in [LIFE_HEADER, *rows]).encode())
    before = snapshot()

    preview = staff.post(URL, {"file": upload}, follow=True)
    reloaded = staff.get(preview.redirect_chain[-1][0])

    for page in (preview, reloaded):
        lists = {kind: [change["code"] for change in listed] for kind, _l, _c, listed in page.context["change_lists"]}
        assert lists == {"created": ["D-A-3"], "moved": ["D-A-1"], "renamed": ["D-B"], "ended": ["D-A-2"]}
        body = page.content.decode()
        assert "Đảng bộ xã Tân Mỹ → Đảng bộ xã Tân Mỹ Hòa" in body and "D-A → D-B" in body
        assert "– → 31/12/2018" in body and "Confirm the import" in body
    assert snapshot() == before


def test_a_big_file_keeps_a_bounded_list_with_the_whole_files_totals(staff, tree):
    rows = [(f"D-A-{n}", f"Chi bộ số {n}", "Chi bộ trực thuộc", "D-A", "") for n in range(10, 10 + 650)]

    preview = check(staff, rows)

    run = Run.objects.get()
    ((kind, _label, count, listed),) = preview.context["change_lists"]
    assert (kind, count, len(listed)) == ("created", 650, CHANGES_PER_KIND)
    assert run.counts["created"] == 650 and run.params["changes"]["complete"] is False
    body = preview.content.decode()
    assert f"Only the first {CHANGES_PER_KIND} changes are listed." in body
    assert f"Only the first {PREVIEW_LIMIT} changes of the file are sorted by kind here" in body


def test_an_outsider_uploading_into_their_own_scope_sees_nothing_of_ours(client, charlie, tree):
    client.force_login(charlie)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = [("D-A-7", "Chi bộ", "cell", "D-A", ""), ("D-A-1", "Chi bộ Nặm Bao", "cell", "X-Y", "")]
    before = snapshot()

    response = check(client, rows)

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
    page.click("#import-upload button[type=submit]")
    # The check is a run of its own, on its own page; it lists what the import will do.
    page.wait_for_url("**/nhap-to-chuc/lan/*/")
    page.locator("#import-confirm").wait_for(timeout=60_000)
    assert page.locator("#changes-created tbody tr").count() == 3
    page.reload()  # the check's page: reloading shows the same changes
    assert page.locator("#changes-created tbody tr").count() == 3
    Path("/tmp/vanlang-screens").mkdir(exist_ok=True)
    page.screenshot(path="/tmp/vanlang-screens/organization-check.png", full_page=True)
    assert not Organization.objects.filter(code="D-C").exists()

    page.click("#import-confirm button[type=submit]")
    page.locator("#import-done").wait_for(timeout=60_000)
    assert page.evaluate("document.getElementById('run-bar').style.width") == "100%"
    page.reload()  # the run's own page: reloading shows the same outcome
    assert page.locator("#import-done").count() == 1
    Path("/tmp/vanlang-screens").mkdir(exist_ok=True)
    page.screenshot(path="/tmp/vanlang-screens/import-run.png", full_page=True)
    assert Organization.objects.filter(code__in=["D-A-3", "D-C", "D-C-1"]).count() == 3
