"""A long plan: its text fields refuse more than their limit, and a plan longer than a request may
print (text written before the limits, or many tasks) gets its PDF from a background run."""

import io
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cells.models import Run
from cells.text import SECTION_MAX
from plans.models import Plan
from plans.report_files import PLAN_PDF_INLINE_MAX, plan_text_size
from tests.plans.factories import make_plan, make_task
from tests.plans.test_plan_edit import TARGETS_EMPTY, plan_form
from tests.reports import file_of, report_run

LINE = "Nhiều chi bộ không sinh hoạt định kỳ đủ 12 lần trong năm, nội dung sinh hoạt còn đơn điệu.\n"
# 2.4 MB of text (UTF-8), as in the issue: far beyond what the form accepts, so written directly.
LONG_TEXT = LINE * (2_400_000 // len(LINE.encode()))


def pdf_pages_text(content: bytes, pages: int = 2) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages[:pages]).split()), len(reader.pages)


@pytest.fixture
def long_plan(tree, standing):
    plan = make_plan(tree.a, 2018, lead=standing, state=Plan.State.ADOPTED)
    Plan.objects.filter(pk=plan.pk).update(weaknesses=LONG_TEXT)
    return plan


def test_the_form_refuses_a_section_beyond_its_limit_and_says_how_long_it_is(client, tree, alice, standing):
    plan = make_plan(tree.a, 2018, lead=standing)
    client.force_login(alice)
    response = client.post(
        reverse("plans:plan_edit", kwargs={"plan_id": plan.pk}),
        {**plan_form(standing, weaknesses="x" * (SECTION_MAX + 1)), **TARGETS_EMPTY, "version": plan.version},
    )
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["weaknesses"] == [
        f"This text has {SECTION_MAX + 1} characters; at most {SECTION_MAX} are allowed. Shorten it, "
        "or keep the details in a document of their own."
    ]
    plan.refresh_from_db()
    assert plan.weaknesses != "x" * (SECTION_MAX + 1)


@pytest.mark.vietnamese
def test_the_limit_is_said_in_vietnamese(client, tree, alice, standing):
    plan = make_plan(tree.a, 2018, lead=standing)
    make_task(plan, committee="organization")
    client.force_login(alice)
    task = plan.tasks.get()
    response = client.post(
        reverse("plans:task_edit", kwargs={"task_id": task.pk}),
        {
            "title": task.title,
            "description": "x" * (SECTION_MAX + 1),
            "committee": "organization",
            "due": "31/12/2018",
            "state": "open",
        },
    )
    assert "chỉ được tối đa 20000" in str(response.context["form"].errors["description"])


def test_a_short_plan_prints_at_once(client, tree, alice, standing):
    plan = make_plan(tree.a, 2018, lead=standing)
    assert plan_text_size(plan.pk) < PLAN_PDF_INLINE_MAX
    client.force_login(alice)
    response = client.get(reverse("plans:plan_pdf", kwargs={"plan_id": plan.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert not Run.objects.exists()


def test_a_long_plan_offers_a_run_instead_of_printing_in_the_request(client, alice, long_plan):
    client.force_login(alice)
    started = time.monotonic()
    response = client.get(reverse("plans:plan_pdf", kwargs={"plan_id": long_plan.pk}))
    assert time.monotonic() - started < 2  # counted by the database, not laid out
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert 'id="plan-pdf-run"' in body and f"({plan_text_size(long_plan.pk)} characters)" in body
    assert not Run.objects.exists()  # a GET records nothing


def test_an_outsider_cannot_ask_for_a_plans_pdf(client, charlie, long_plan):
    client.force_login(charlie)
    assert client.post(reverse("plans:plan_pdf", kwargs={"plan_id": long_plan.pk})).status_code == 404
    assert not Run.objects.exists()


@pytest.fixture
def shared_media(settings, tmp_path, monkeypatch):
    """The worker writes the file where this process reads it (before the worker starts)."""
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(tmp_path))
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.celery_worker
def test_a_24_mb_plan_gets_its_pdf_from_a_run_on_a_real_worker(shared_media, celery_worker, client, alice, long_plan):
    client.force_login(alice)
    run = report_run(client, reverse("plans:plan_pdf", kwargs={"plan_id": long_plan.pk}))
    page = client.get(reverse("cells:report_run", kwargs={"report_run_id": run.pk})).content.decode()
    assert 'id="run-bar"' in page and "Printable plan 45-KH/HU: Đảng bộ xã Gia Miễn 2018" in page
    assert reverse("plans:detail", kwargs={"plan_id": long_plan.pk}) in page  # back to the plan

    deadline = time.monotonic() + 12 * 60  # WeasyPrint lays out ~800 pages: minutes on a busy machine
    while not run.finished and time.monotonic() < deadline:
        time.sleep(1)
        run.refresh_from_db()
    assert run.state == Run.State.DONE, (run.state, run.step, run.error)
    response = file_of(client, run)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach-D-A-2018.pdf"'
    text, pages = pdf_pages_text(response.content)
    assert "KẾ HOẠCH" in text and "Nhiều chi bộ không sinh hoạt định kỳ đủ 12 lần trong năm" in text
    assert pages > 300
