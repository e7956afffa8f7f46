"""Levels read in the words of their year's rule set, from one place (assessments.rules): a 2016
result is "Yếu kém" or "Trong sạch, vững mạnh" in the PDF and on the pages, not the 2018 wording."""

import io

from django.urls import reverse
from pypdf import PdfReader

from assessments.models import Classification, Level
from assessments.rules import level_label
from plans import pdf
from plans.models import Candidate, Plan, Target
from tests.plans.factories import classify, make_plan

EXCELLENT_2017 = "Trong sạch, vững mạnh"
INCOMPLETE_2016 = "Yếu kém"


def plan_after_a_weak_2016(tree):
    """Gia Miễn supported in 2017 after "Yếu kém" in 2016, aiming at "Trong sạch, vững mạnh"."""
    plan = make_plan(tree.a, 2017, state=Plan.State.COMPLETED)
    Candidate.objects.filter(pk=plan.candidate_id).update(level=Level.INCOMPLETE)
    Classification.objects.filter(organization=tree.a, year=2016).update(level=Level.INCOMPLETE)
    Target.objects.create(plan=plan, kind=Target.Kind.LEVEL, level=Level.EXCELLENT, position=1)
    classify(tree.a, 2017, Level.EXCELLENT)
    return Plan.objects.get(pk=plan.pk)


def test_the_rules_module_holds_the_words():
    assert level_label(Level.EXCELLENT, 2017) == EXCELLENT_2017
    assert level_label(Level.INCOMPLETE, 2017) == INCOMPLETE_2016
    assert level_label(Level.EXCELLENT, 2018) == "Hoàn thành xuất sắc nhiệm vụ"
    assert level_label("", 2018) == ""
    assert not hasattr(pdf, "LEVEL_VI")  # no second table


def test_the_pdf_prints_the_words_of_2016_and_2017(client, tree, alice):
    plan = plan_after_a_weak_2016(tree)
    client.force_login(alice)
    response = client.get(reverse("plans:plan_pdf", kwargs={"plan_id": plan.pk}))
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert f"được xếp loại “{INCOMPLETE_2016}”" in text
    assert f"được xếp loại “{EXCELLENT_2017}” trở lên" in text
    assert "Không hoàn thành nhiệm vụ" not in text and "xuất sắc" not in text


def test_the_label_written_on_the_result_is_the_one_printed(tree):
    plan = make_plan(tree.b, 2019)
    Classification.objects.filter(organization=tree.b, year=2018).update(label="Hoàn thành nhiệm vụ")
    assert pdf.plan_document_context(Plan.objects.get(pk=plan.pk))["level_before"] == "Hoàn thành nhiệm vụ"


def test_the_pages_show_the_same_words(client, tree, alice):
    plan = plan_after_a_weak_2016(tree)
    client.force_login(alice)
    detail = client.get(reverse("plans:detail", kwargs={"plan_id": plan.pk}))
    assert (detail.context["level_before_label"], detail.context["level_after_label"]) == (
        INCOMPLETE_2016,
        EXCELLENT_2017,
    )
    page = detail.content.decode()
    assert INCOMPLETE_2016 in page and EXCELLENT_2017 in page
    consolidation = client.get(reverse("plans:consolidation")).content.decode()
    assert INCOMPLETE_2016 in consolidation and EXCELLENT_2017 in consolidation
    decide = client.get(reverse("plans:candidate_decide", kwargs={"candidate_id": plan.candidate_id}))
    assert INCOMPLETE_2016 in decide.content.decode()
