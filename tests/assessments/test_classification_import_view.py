"""The classification import page: upload, a preview run over the whole file, confirm, the
import run followed on its page; inside the user's scope; bad files answered with row errors."""

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Classification
from cells.models import Run
from tests.assessments.factories import classify
from tests.cells.importfiles import cp1258
from tests.webimports import confirm, csv_upload, english, waiting_files

pytestmark = pytest.mark.usefixtures("media", "runs_at_once")
URL = reverse("assessments:import")
HEADER = ("code", "year", "level", "note")
ROWS = [("D-A", 2018, "Hoàn thành tốt nhiệm vụ", ""), ("D-A-1", 2018, "complete", "ghi chú"), ("D-B", 2018, "good", "")]


def results():
    return sorted(Classification.objects.values_list("organization__code", "year", "level", "state"))


def upload(client, rows=ROWS, **kwargs):
    """Upload a file and follow to its preview's page."""
    return client.post(URL, {"file": csv_upload(HEADER, rows, **kwargs)}, follow=True)


def test_staff_see_the_form_with_the_words_of_each_rule_set(client, alice):
    body = english(client, alice).get(URL).content.decode()
    assert 'type="file"' in body and "Trong sạch, vững mạnh" in body and "Hoàn thành xuất sắc nhiệm vụ" in body


def test_only_staff_may_import(client, tree, bob, standing, auditor):
    assert client.get(URL).status_code == 302  # to the login page
    for user in (bob, standing, auditor):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"file": csv_upload(HEADER, ROWS)}).status_code == 403
    assert not Run.objects.exists() and not Classification.objects.exists()


def test_the_year_page_and_the_home_page_link_to_it_for_staff_only(client, tree, alice, bob):
    year_page = reverse("assessments:year", kwargs={"org_code": "D-A", "year": 2018})
    client.force_login(alice)
    assert URL in client.get(year_page).content.decode()
    assert URL in client.get(reverse("plans:home")).content.decode()
    client.force_login(bob)
    assert URL not in client.get(year_page).content.decode()


def test_preview_then_confirm_imports_final_results_with_the_user_as_actor(client, tree, alice, media):
    staff = english(client, alice)

    preview = upload(staff, name="ket-qua.csv")

    check = Run.objects.get()
    assert preview.redirect_chain == [(reverse("assessments:import_run", kwargs={"run_id": check.pk}), 302)]
    assert (check.kind, check.params["preview"], check.state, check.scope) == (
        "import_classifications",
        True,
        "done",
        tree.d,
    )
    body = preview.content.decode()
    assert "ket-qua.csv is ready to import." in body
    assert "It will create 3 records, update 0 and leave 0 unchanged." in body and "Confirm the import" in body
    assert results() == []  # the preview writes nothing
    assert len(waiting_files(media)) == 1

    done = confirm(staff, preview)

    run = Run.objects.filter(kind=Run.Kind.IMPORT_CLASSIFICATIONS).exclude(pk=check.pk).get()
    assert done.redirect_chain == [(reverse("assessments:import_run", kwargs={"run_id": run.pk}), 302)]
    assert (run.state, run.requested_by, run.counts["created"]) == ("done", alice, 3)
    assert "ket-qua.csv imported: 3 created, 0 updated, 0 unchanged." in done.content.decode()
    assert results() == [
        ("D-A", 2018, "good", "final"),
        ("D-A-1", 2018, "complete", "final"),
        ("D-B", 2018, "good", "final"),
    ]
    # One audit entry per imported result, naming the user who confirmed.
    entries = LogEntry.objects.get_for_model(Classification).filter(action=LogEntry.Action.CREATE)
    assert entries.count() == 3 and {entry.actor for entry in entries} == {alice}
    assert waiting_files(media) == []  # the upload is gone once imported
    # Final results queue the candidate job, as results made final on the year page do.
    assert Run.objects.filter(kind=Run.Kind.CANDIDATES, year=2018, state="done").exists()
    # The run's own page: a reload shows the same outcome.
    again = staff.get(done.redirect_chain[-1][0]).content.decode()
    assert "ket-qua.csv imported: 3 created, 0 updated, 0 unchanged." in again
    assert "Confirm the import" not in staff.get(preview.redirect_chain[-1][0]).content.decode()


def test_a_double_submit_of_confirm_is_answered_as_the_first(client, tree, alice):
    staff = english(client, alice)
    preview = upload(staff)

    first = confirm(staff, preview)
    second = confirm(staff, preview)

    assert second.redirect_chain == first.redirect_chain
    imports = Run.objects.filter(kind=Run.Kind.IMPORT_CLASSIFICATIONS, params__preview__isnull=True)
    assert imports.count() == 1
    # Without the form's token (a re-posted form): nothing is left to claim.
    third = staff.post(URL, {"token": preview.context["token"]}, follow=True)
    assert "This file has already been imported" in third.content.decode()
    assert Run.objects.filter(kind=Run.Kind.IMPORT_CLASSIFICATIONS).count() == 2 and len(results()) == 3


def test_every_problem_is_listed_with_how_to_fix_it_and_nothing_written(client, tree, alice, media):
    rows = [("D-A", 2018, "tốt lắm", ""), ("NOWHERE", 2018, "good", ""), ("D-B", "20l8", "good", "")]

    page = upload(english(client, alice), rows, name="sai.csv")

    body = page.content.decode()
    assert Run.objects.get().state == "failed"
    assert "sai.csv was not imported: 3 problems were found." in body
    assert "“tốt lắm” is not a level of the 2018 rule set" in body
    assert "“20l8” is not a year: write the year of assessment, e.g. 2018." in body
    assert "Confirm the import" not in body and results() == []
    assert waiting_files(media) == []  # nothing to confirm, nothing kept


def test_rows_outside_the_scope_are_row_errors_that_show_nothing_of_them(client, tree, alice):
    rows = [("D-A", 2018, "good", ""), ("X-Y", 2018, "good", ""), ("P", 2018, "good", "")]

    body = upload(english(client, alice), rows).content.decode()

    assert "No organization with the code “X-Y” lies under Đảng bộ huyện Đông" in body
    assert "No organization with the code “P” lies under" in body
    for name in ("Yên Ngoại", "huyện Tây", "Đảng bộ tỉnh"):
        assert name not in body
    assert results() == []


def test_another_units_user_sees_no_run_and_confirms_nothing(client, tree, alice, charlie):
    preview = upload(english(client, alice))
    run_page = preview.redirect_chain[-1][0]
    token = preview.context["token"]
    client.logout()
    english(client, charlie)

    assert client.get(run_page).status_code == 404
    assert client.get(reverse("cells:run_status", kwargs={"run_id": Run.objects.get().pk})).status_code == 404
    client.post(URL, {"token": token})
    assert Run.objects.count() == 1 and results() == []


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        pytest.param(b"code,year,level\nD-A,2018,go\x00od\n", "nul.csv", "control character", id="nul-in-a-cell"),
        pytest.param(
            cp1258("code,year,level\nD-A,2018,Hoàn thành tốt nhiệm vụ\n"),
            "cu.csv",
            "The file is not UTF-8 text",
            id="old-encoding",
        ),
        pytest.param(b"code,year,level\n", "empty.csv", "The file has a header row but no results", id="no-rows"),
        pytest.param(b"code,name\nD-A,x\n", "columns.csv", "level", id="missing-columns"),
    ],
)
def test_a_bad_file_gives_row_errors_not_a_server_error(client, tree, alice, content, name, message):
    page = english(client, alice).post(URL, {"file": SimpleUploadedFile(name, content)}, follow=True)

    assert page.status_code == 200
    assert Run.objects.get().state == "failed"
    assert message in page.content.decode() and results() == []


def test_a_workbook_with_an_empty_sheet_is_refused_by_the_form(client, tree, alice, tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "empty.xlsx"
    Workbook().save(path)

    page = english(client, alice).post(URL, {"file": SimpleUploadedFile("empty.xlsx", path.read_bytes())})

    assert page.status_code == 200
    assert "The first sheet of the workbook is empty" in page.content.decode()
    assert not Run.objects.exists()


def test_an_unchanged_file_has_nothing_to_confirm(client, tree, alice, media):
    classify(tree.a, 2018, "good")

    body = upload(english(client, alice), [("D-A", 2018, "good", "")]).content.decode()

    assert "The file holds no change" in body and "Confirm the import" not in body
    assert waiting_files(media) == []


def test_a_correction_of_a_final_result_needs_a_reason(client, tree, alice):
    classify(tree.a, 2018, "good")

    body = upload(english(client, alice), [("D-A", 2018, "complete", "")]).content.decode()

    assert "Add a “reason” column to the file for corrections." in body
    assert results() == [("D-A", 2018, "good", "final")]
