"""The auditors' admin reads through the auditor's scope, like the rest of the app: a province's auditor
reads the province, a commune's the commune; anything outside is not listed and its pages answer 404."""

import io
import json

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Classification
from assessments.services import ResultRow, classifications_write
from cells.models import Meeting, Organization
from plans.models import Candidate, JobRun
from tests.assessments.factories import classify
from tests.cells.factories import make_admission, make_meeting
from tests.conftest import make_user
from tests.plans.factories import make_candidate
from tests.reports import report_download


def results(response) -> str:
    """The change list's table, without the filters beside it."""
    body = response.content.decode()
    return body[body.index('id="result_list"') : body.index("</table>", body.index('id="result_list"'))]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def records(tree):
    """A meeting, an admission, a classification and a candidate in commune A, commune B and district X."""
    made = {}
    for cell, commune in ((tree.a1, tree.a), (tree.b1, tree.b), (tree.y1, tree.y)):
        made[commune.code] = {
            "meeting": make_meeting(cell),
            "admission": make_admission(cell, name=f"Người {cell.code}"),
            "classification": classify(commune, 2018, "complete"),
            "candidate": make_candidate(commune),
        }
    return made


def test_a_district_auditor_lists_only_the_district(client, tree, auditor, records):
    client.force_login(auditor)
    for model, text in ((Meeting, "Nặm Bao"), (Organization, "Gia Miễn"), (Candidate, "Tân Mỹ")):
        body = client.get(admin_url(model, "changelist")).content.decode()
        assert text in body and "Yên Ngoại" not in body and "Ngoại Lai" not in body, model
    entries = client.get(admin_url(LogEntry, "changelist")).content.decode()
    assert "Gia Miễn" in entries and "Yên Ngoại" not in entries


@pytest.mark.parametrize("kind", ["meeting", "admission", "classification", "candidate"])
def test_outside_the_scope_every_page_of_an_object_is_404(client, tree, auditor, records, kind):
    client.force_login(auditor)
    inside, outside = records["D-A"][kind], records["X-Y"][kind]
    for view in ("change", "auditlog", "history"):
        assert client.get(admin_url(type(inside), view, inside.pk)).status_code == 200, view
        assert client.get(admin_url(type(outside), view, outside.pk)).status_code == 404, view
    entry = LogEntry.objects.get_for_object(outside).get()
    assert client.get(admin_url(LogEntry, "change", entry.pk)).status_code == 404
    assert (
        client.get(admin_url(LogEntry, "change", LogEntry.objects.get_for_object(inside).get().pk)).status_code == 200
    )


def test_a_commune_auditor_reads_the_commune_only(client, tree, records):
    client.force_login(make_user("kiemtra.a", "auditor", tree.a))
    body = client.get(admin_url(Meeting, "changelist")).content.decode()
    assert "Nặm Bao" in body and "Pò Cại" not in body
    other = records["D-B"]["classification"]
    assert client.get(admin_url(Classification, "auditlog", other.pk)).status_code == 404
    assert client.get(admin_url(Organization, "change", tree.d.pk)).status_code == 404  # above the commune


def test_a_province_auditor_reads_both_districts(client, tree, records):
    client.force_login(make_user("kiemtra.tinh", "auditor", tree.province))
    body = client.get(admin_url(Meeting, "changelist")).content.decode()
    assert "Nặm Bao" in body and "Ngoại Lai" in body


def test_the_change_log_filters_and_exports_within_the_scope(client, tree, alice, auditor, records, reports_at_once):
    a = Classification.objects.get(organization=tree.a, year=2018)
    rows = [ResultRow(organization_id=tree.a.pk, year=2018, level="good", reason="Phúc tra")]
    classifications_write(rows=rows, existing={(tree.a.pk, 2018): a}, finalize=True, user=alice)
    client.force_login(auditor)
    changelist = admin_url(LogEntry, "changelist")
    body = results(client.get(changelist, {"to-chuc": tree.b.pk}))
    assert "Tân Mỹ" in body and "Gia Miễn" not in body
    body = results(client.get(changelist, {"nguoi": alice.pk}))
    assert "Phúc tra" in body and "Tân Mỹ" not in body
    assert "Yên Ngoại" not in client.get(changelist, {"to-chuc": tree.y.pk}).content.decode()  # outside: nothing

    export = report_download(client, f"{reverse('admin:auditlog_logentry_export')}?to-chuc={tree.a.pk}")
    sheet = load_workbook(io.BytesIO(export.content)).active
    lines = [[cell.value for cell in row] for row in sheet.iter_rows(values_only=False)]
    text = json.dumps(lines, ensure_ascii=False)
    assert "Phúc tra" in text and "Hoàn thành tốt nhiệm vụ" in text and "alice" in text
    assert "Tân Mỹ" not in text and "Yên Ngoại" not in text


def test_times_are_shown_in_hanoi_time(client, tree, auditor, records):
    entry = LogEntry.objects.get_for_object(records["D-A"]["meeting"]).get()
    entry.timestamp = entry.timestamp.replace(year=2024, month=1, day=5, hour=16, minute=10, second=0)
    entry.changes = {"updated_at": ["2024-01-05 16:09:00", "2024-01-05 16:10:00"]}  # auditlog stores UTC
    entry.save(update_fields=["timestamp", "changes"])
    client.force_login(auditor)
    page = client.get(admin_url(LogEntry, "change", entry.pk)).content.decode()
    assert "05/01/2024 23:10" in page and "05/01/2024 23:09:00" in page and "16:10" not in page
    history = client.get(admin_url(Meeting, "auditlog", entry.object_id)).content.decode()
    assert "05/01/2024 23:10:00" in history and "16:10" not in history  # the same moment, the same time


def test_the_job_status_answers_only_users_whose_scope_covers_the_run(client, tree, alice, bob, charlie):
    district_run = JobRun.objects.create(year=2018, scope=tree.d)
    everywhere = JobRun.objects.create(year=2018, scope=None)
    url = lambda run: reverse("plans:candidates_run_status", kwargs={"run_id": run.pk})  # noqa: E731
    client.force_login(alice)
    assert client.get(url(district_run)).status_code == 200
    assert client.get(url(everywhere)).status_code == 404  # a district does not read nationwide runs
    for outsider in (charlie, bob):  # another district; a commune under the run's scope
        client.force_login(outsider)
        assert client.get(url(district_run)).status_code == 404
    client.force_login(make_user("tinh", "staff", tree.province))
    assert client.get(url(everywhere)).status_code == 200


def test_users_outside_the_scope_are_not_found(client, tree, auditor, charlie, bob):
    client.force_login(auditor)
    for view in ("change", "auditlog", "history"):
        assert client.get(admin_url(type(bob), view, bob.pk)).status_code == 200, view
        assert client.get(admin_url(type(charlie), view, charlie.pk)).status_code == 404, view


def test_what_belongs_to_no_unit_is_read_by_the_auditors_of_a_whole_tree(client, tree, auditor):
    everywhere = JobRun.objects.create(year=2018, scope=None)
    district = JobRun.objects.create(year=2018, scope=tree.d)
    client.force_login(auditor)
    assert client.get(admin_url(JobRun, "change", everywhere.pk)).status_code == 404
    assert client.get(admin_url(JobRun, "change", district.pk)).status_code == 200
    client.force_login(make_user("kiemtra.tinh", "auditor", tree.province))
    assert client.get(admin_url(JobRun, "change", everywhere.pk)).status_code == 200


def test_schedules_and_groups_are_for_superusers_only(client, tree, records, reports_at_once):
    """Celery-beat schedules and permission groups sit in no unit: even the auditor of a whole tree finds
    neither their pages nor their changes in the change log; a superuser reads both."""
    from django.contrib.auth.models import Group
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    every_night = CrontabSchedule.objects.create(minute="0", hour="2")
    task = PeriodicTask.objects.create(name="Gửi nhắc việc", task="plans.tasks.send_reminders", crontab=every_night)
    group = Group.objects.create(name="Ban Tổ chức")
    auditor = make_user("kiemtra.tinh", "auditor", tree.province)
    client.force_login(auditor)

    index = client.get(reverse("admin:index")).content.decode()
    assert "/django_celery_beat/" not in index and "/auth/group/" not in index
    for obj in (task, every_night, group):
        assert client.get(admin_url(type(obj), "changelist")).status_code == 403, obj
        assert client.get(admin_url(type(obj), "change", obj.pk)).status_code == 403, obj
    changelist = client.get(admin_url(LogEntry, "changelist")).content.decode()
    for entry in LogEntry.objects.filter(object_pk__in=[str(task.pk), str(every_night.pk), str(group.pk)]):
        if entry.content_type.model_class() in (PeriodicTask, CrontabSchedule, Group):
            assert client.get(admin_url(LogEntry, "change", entry.pk)).status_code == 404
    assert "Gửi nhắc việc" not in changelist and "Ban Tổ chức" not in changelist
    assert "Gia Miễn" in changelist  # the tree's own changes are still there
    export = report_download(client, reverse("admin:auditlog_logentry_export")).content
    text = json.dumps([[c.value for c in row] for row in load_workbook(io.BytesIO(export)).active.iter_rows()])
    assert "Gửi nhắc việc" not in text and "Ban Tổ chức" not in text

    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "Mật-khẩu-2018"))
    changelist = client.get(admin_url(LogEntry, "changelist")).content.decode()
    assert "Gửi nhắc việc" in changelist and "Ban Tổ chức" in changelist
    assert client.get(admin_url(PeriodicTask, "change", task.pk)).status_code == 200


def test_a_moved_unit_reads_with_the_names_of_its_parents(client, tree, auditor, reports_at_once):
    tree.a1.parent = tree.b
    tree.a1.save()
    client.force_login(auditor)
    moved_to = f"Đảng bộ xã Tân Mỹ (D-B) [#{tree.b.pk}]"
    history = client.get(admin_url(Organization, "auditlog", tree.a1.pk)).content.decode()
    assert f"Đảng bộ xã Gia Miễn (D-A) [#{tree.a.pk}]" in history and moved_to in history
    export = report_download(client, f"{reverse('admin:auditlog_logentry_export')}?to-chuc={tree.b.pk}")
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(export.content)).active.iter_rows()]
    assert any(row[8] == moved_to for row in rows)  # the "after" column
