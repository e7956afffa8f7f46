"""Progress reports: the assignee on their own task, staff on any; attachments checked and served scoped."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Committee, Plan, ProgressReport, Task
from tests.conftest import make_user
from tests.plans.factories import make_plan, make_task

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def report_url(task):
    return reverse("plans:task_report", kwargs={"task_id": task.pk})


def test_the_assignee_reports_progress_and_the_task_starts(client, tree, standing):
    task = make_task(make_plan(tree.a, 2018, state=Plan.State.ADOPTED), assignee=standing)
    client.force_login(standing)

    response = client.post(report_url(task), {"reported_on": "15/03/2018", "text": "Đã dự sinh hoạt chi bộ Nặm Bao."})

    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.task, report.author, report.text) == (task, standing, "Đã dự sinh hoạt chi bộ Nặm Bao.")
    task.refresh_from_db()
    assert task.state == Task.State.IN_PROGRESS


def test_another_standing_member_is_refused_and_nothing_is_saved(client, tree, standing):
    task = make_task(make_plan(tree.a, 2018, state=Plan.State.ADOPTED), assignee=standing)
    other = make_user("lam", "standing", tree.d)
    client.force_login(other)

    page = client.get(reverse("plans:task_detail", kwargs={"task_id": task.pk}))
    response = client.post(report_url(task), {"reported_on": "15/03/2018", "text": "Báo cáo hộ"})

    assert page.context["may_report"] is False
    assert response.status_code == 403
    assert "Only the task's assignee" in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_committee_task_is_reported_by_staff(client, tree, alice, standing):
    task = make_task(make_plan(tree.a, 2018, state=Plan.State.ADOPTED), committee=Committee.ORGANIZATION)

    client.force_login(standing)
    assert client.post(report_url(task), {"reported_on": "15/03/2018", "text": "x"}).status_code == 403
    client.force_login(alice)
    assert client.post(report_url(task), {"reported_on": "15/03/2018", "text": "Đã mở lớp"}).status_code == 302

    assert ProgressReport.objects.get().author == alice


def test_an_attachment_is_checked_and_served_only_in_scope(client, tree, alice, charlie, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = make_task(make_plan(tree.a, 2018, state=Plan.State.ADOPTED), committee=Committee.ORGANIZATION)
    client.force_login(alice)

    disguised = SimpleUploadedFile("bien-ban.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    refused = client.post(report_url(task), {"reported_on": "15/03/2018", "text": "Biên bản", "attachment": disguised})
    assert refused.status_code == 400
    assert "PDF, Word, Excel, JPEG or PNG" in str(refused.context["report_form"].errors["attachment"])
    assert refused.context["report_form"]["text"].value() == "Biên bản"
    assert not ProgressReport.objects.exists()

    upload = SimpleUploadedFile("Biên bản tháng 3.pdf", PDF, content_type="application/pdf")
    client.post(report_url(task), {"reported_on": "15/03/2018", "text": "Biên bản", "attachment": upload})
    report = ProgressReport.objects.get()
    assert "Biên bản" not in report.attachment.name  # stored under a random name
    url = reverse("plans:report_attachment", kwargs={"report_id": report.pk})

    served = client.get(url)
    assert served["Content-Type"] == "application/pdf"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in served["Content-Disposition"]
    assert b"".join(served.streaming_content) == PDF

    client.force_login(charlie)
    assert client.get(url).status_code == 404


def test_a_closed_plan_takes_no_reports(client, tree, standing):
    task = make_task(make_plan(tree.a, 2018, state=Plan.State.COMPLETED), assignee=standing)
    client.force_login(standing)

    client.post(report_url(task), {"reported_on": "15/03/2018", "text": "muộn"})

    assert not ProgressReport.objects.exists()


def test_the_assignee_marks_their_own_task_done_with_a_final_report(client, tree, standing):
    task = make_task(make_plan(tree.a, 2018, state=Plan.State.IN_PROGRESS), assignee=standing)
    client.force_login(standing)
    form = client.get(reverse("plans:task_detail", kwargs={"task_id": task.pk}) + "?hoan-thanh=1")
    assert form.context["report_form"]["done"].value() is True

    response = client.post(report_url(task), {"reported_on": "30/06/2018", "text": "Hoàn thành.", "done": "on"})

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.state, task.version, task.updated_by) == (Task.State.DONE, 2, standing)
    assert ProgressReport.objects.get().text == "Hoàn thành."


def test_another_member_cannot_mark_a_task_done(client, tree, standing):
    task = make_task(make_plan(tree.a, 2018, state=Plan.State.IN_PROGRESS), assignee=standing)
    client.force_login(make_user("lam", "standing", tree.d))
    response = client.post(report_url(task), {"reported_on": "30/06/2018", "text": "x", "done": "on"})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.state == Task.State.OPEN
