"""The auditors' change-log export (admin) is a report run (cells.report_runs): the list's button posts its
filters and search, the run writes the entries of the auditor's scope the list showed, its page offers the
file, and another unit's auditor is refused the run and its file."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from cells.admin import change_log_file
from cells.models import Meeting, Organization, ReportFile, Run
from cells.models.audit import EntryOrganization
from cells.report_runs import report_run_start, report_run_work
from cells.runs import run_here
from tests.cells.factories import make_meeting
from tests.conftest import make_user
from tests.reports import file_of, report_run

EXPORT = "admin:auditlog_logentry_export"
CHANGELIST = "admin:auditlog_logentry_changelist"


@pytest.fixture
def meetings(tree):
    """A meeting in commune A, one in commune B (both in district D) and one in district X."""
    return {commune: make_meeting(cell) for commune, cell in (("a", tree.a1), ("b", tree.b1), ("y", tree.y1))}


def records(content: bytes) -> set[str]:
    """The "Record" column of the change-log workbook."""
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    return {row[3] for row in rows[1:]}


def meeting_names(content: bytes) -> set[str]:
    return {name for name in records(content) if name in {str(m) for m in Meeting.objects.all()}}


def test_the_lists_button_posts_its_filters_and_the_run_writes_exactly_those_entries(
    client, tree, auditor, meetings, reports_at_once
):
    client.force_login(auditor)
    filtered = {"to-chuc": tree.a.pk, "q": str(meetings["a"]), "p": 1}
    page = client.get(reverse(CHANGELIST), filtered).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" id="change-log-export">', page)
    assert form is not None and 'name="csrfmiddlewaretoken"' in page
    action = form.group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(action).query)["to-chuc"] == [str(tree.a.pk)]

    run = report_run(client, action)
    run.refresh_from_db()
    assert (run.kind, run.state, run.scope, run.requested_by) == ("report", "done", tree.d, auditor), run.error
    assert run.params["report"] == "change_log"
    assert run.params["filters"] == {"to-chuc": [str(tree.a.pk)], "q": [str(meetings["a"])]}  # not the page
    assert run.progress == 100
    body = client.get(reverse("cells:report_run", kwargs={"report_run_id": run.pk})).content.decode()
    assert "nhat-ky-thay-doi.xlsx is ready" in body and 'id="report-download"' in body
    assert reverse(CHANGELIST) in body  # back to the list, as filtered

    content = file_of(client, run).content
    assert meeting_names(content) == {str(meetings["a"])}
    # The file is an audited row, as every report run's is.
    entry = LogEntry.objects.get_for_object(ReportFile.objects.get(run=run)).get()
    assert entry.additional_data["job"] == "runs.report" and entry.actor == auditor


def test_the_run_writes_the_auditors_scope_only(client, tree, auditor, meetings, reports_at_once):
    client.force_login(auditor)
    everything = file_of(client, report_run(client, reverse(EXPORT))).content
    assert meeting_names(everything) == {str(meetings["a"]), str(meetings["b"])}  # district X's is not his
    # A unit outside his scope in the address: nothing, as the list shows nothing.
    outside = file_of(client, report_run(client, f"{reverse(EXPORT)}?to-chuc={tree.y.pk}")).content
    assert meeting_names(outside) == set()


def test_another_units_auditor_is_refused_the_run_and_its_file(client, tree, auditor, meetings, reports_at_once):
    client.force_login(auditor)
    run = report_run(client, reverse(EXPORT))
    pages = [
        reverse("cells:report_run", kwargs={"report_run_id": run.pk}),
        reverse("cells:run_status", kwargs={"run_id": run.pk}),
        reverse("cells:report_download", kwargs={"report_run_id": run.pk}),
    ]
    assert [client.get(page).status_code for page in pages] == [200, 200, 200]
    for outsider in (make_user("kiemtra.x", "auditor", tree.x), make_user("kiemtra.a", "auditor", tree.a)):
        client.force_login(outsider)  # another district's auditor; a commune's, below the run's district
        assert [client.get(page).status_code for page in pages] == [404, 404, 404]


def test_an_old_link_opens_the_list_with_its_filters_and_writes_nothing(client, tree, auditor):
    client.force_login(auditor)
    response = client.get(reverse(EXPORT), {"to-chuc": tree.a.pk, "p": 2})
    assert response.status_code == 302 and response.url == f"{reverse(CHANGELIST)}?to-chuc={tree.a.pk}"
    assert not Run.objects.exists()


def test_a_superuser_without_a_role_is_told_to_take_one(client, tree):
    root = get_user_model().objects.create_superuser("root", "root@example.org", "Mật-khẩu-2018")
    client.force_login(root)
    response = client.post(reverse(EXPORT), follow=True)
    assert "Exporting needs a role in a unit" in response.content.decode()
    assert not Run.objects.exists()


def test_a_run_whose_asker_no_longer_reads_the_unit_fails_with_a_message(tree, auditor, meetings):
    run = report_run_start(report="change_log", scope=tree.d, user=auditor, title="t", back_url="/", filters={})
    auditor.vanlang_role.organization = tree.x
    auditor.vanlang_role.save()
    run = run_here(run=run, work=report_run_work)
    assert run.state == Run.State.FAILED and "no longer reads this unit" in run.error
    assert not ReportFile.objects.exists()


def test_unreadable_filters_fail_the_run_with_a_message(tree, auditor, meetings):
    run = report_run_start(
        report="change_log", scope=tree.d, user=auditor, title="t", back_url="/", filters={"timestamp__year": ["x"]}
    )
    run = run_here(run=run, work=report_run_work)
    assert run.state == Run.State.FAILED and "filter it again" in run.error, run.error


def test_the_bar_moves_as_the_entries_are_written(tree, auditor):
    organization = ContentType.objects.get_for_model(Organization)
    entries = LogEntry.objects.bulk_create(
        LogEntry(
            content_type=organization,
            object_pk=str(tree.a.pk),
            object_id=tree.a.pk,
            object_repr=f"Gia Miễn {n}",
            action=LogEntry.Action.UPDATE,
            changes={"name": ["Gia Miễn", f"Gia Miễn {n}"]},
            additional_data={"organization": tree.a.code},
        )
        for n in range(1200)
    )
    EntryOrganization.objects.bulk_create(EntryOrganization(entry=entry, organization=tree.a) for entry in entries)
    run = report_run_start(report="change_log", scope=tree.d, user=auditor, title="t", back_url="/", filters={})
    seen = []
    output = change_log_file(run, lambda percent, step: seen.append(percent))
    assert seen[0] == 5 and len(seen) == 3 and 10 < seen[1] < seen[2] < 95, seen
    assert output.rows >= 1200 and len(records(output.content) & {f"Gia Miễn {n}" for n in range(1200)}) == 1200
