"""The meeting import page: the web imports' shape (tests/assessments/test_classification_import_view.py)
for the meeting records of the cells in the user's scope."""

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cells.models import Meeting, Run
from tests.webimports import confirm, csv_upload, english, waiting_files

pytestmark = pytest.mark.usefixtures("media", "runs_at_once")
URL = reverse("cells:meeting_import")
HEADER = ("cell_code", "date", "kind", "members_total", "members_present")
ROWS = [("D-A-1", "05/01/2018", "Định kỳ", 20, 18), ("D-A-2", "05/01/2018", "chuyên đề", 15, 15)]


def meetings():
    return sorted(Meeting.objects.values_list("organization__code", "kind", "members_present"))


def upload(client, rows=ROWS, **kwargs):
    return client.post(URL, {"file": csv_upload(HEADER, rows, **kwargs)}, follow=True)


def test_only_staff_may_import_and_the_meetings_list_links_to_it(client, tree, alice, bob, standing):
    for user in (bob, standing):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"file": csv_upload(HEADER, ROWS)}).status_code == 403
        assert URL not in client.get(reverse("cells:meeting_list")).content.decode()
    client.force_login(alice)
    assert URL in client.get(reverse("cells:meeting_list")).content.decode()
    assert URL in client.get(reverse("plans:home")).content.decode()
    assert not Run.objects.exists()


def test_preview_then_confirm_imports_with_audit_entries(client, tree, alice, media):
    staff = english(client, alice)

    preview = upload(staff, name="sinh-hoat.csv")

    assert "It will create 2 records, update 0 and leave 0 unchanged." in preview.content.decode()
    assert meetings() == []
    done = confirm(staff, preview)

    run = Run.objects.filter(kind=Run.Kind.IMPORT_MEETINGS).latest("pk")
    assert done.redirect_chain == [(reverse("cells:meeting_import_run", kwargs={"run_id": run.pk}), 302)]
    assert "sinh-hoat.csv imported: 2 created, 0 updated, 0 unchanged." in done.content.decode()
    assert meetings() == [("D-A-1", "regular", 18), ("D-A-2", "themed", 15)]
    entries = LogEntry.objects.get_for_model(Meeting).filter(action=LogEntry.Action.CREATE)
    assert entries.count() == 2 and {entry.actor for entry in entries} == {alice}
    assert waiting_files(media) == []
    assert confirm(staff, preview).redirect_chain == done.redirect_chain  # a double submit: the first's answer
    assert Run.objects.filter(kind=Run.Kind.IMPORT_MEETINGS).count() == 2


def test_cells_outside_the_scope_are_row_errors(client, tree, alice):
    rows = [ROWS[0], ("X-Y-1", "05/01/2018", "Định kỳ", 10, 9)]

    body = upload(english(client, alice), rows).content.decode()

    assert "No organization with the code “X-Y-1” lies under Đảng bộ huyện Đông" in body
    assert "Ngoại Lai" not in body and meetings() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"cell_code,date,kind,members_total,members_present\nD-A-1,05/01/2018,re\x00gular,20,18\n",
                     "control character", id="nul-in-a-cell"),
        pytest.param(b"cell_code,date,kind,members_total,members_present\n", "no meetings", id="no-rows"),
        pytest.param("cell_code,date,kind,members_total,members_present\nD-A-1,05/01/2018,Định kỳ,20,18\n"
                     .encode("utf-16"), "UTF-8", id="utf-16"),
    ],
)  # fmt: skip
def test_a_bad_file_gives_row_errors_not_a_server_error(client, tree, alice, content, message):
    page = english(client, alice).post(URL, {"file": SimpleUploadedFile("bad.csv", content)}, follow=True)

    assert page.status_code == 200 and Run.objects.get().state == "failed"
    assert message in page.content.decode() and meetings() == []
