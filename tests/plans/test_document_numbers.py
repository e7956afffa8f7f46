"""Document numbers are stored without "Số" whatever was typed, printed with it, and old rows are normalized."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from assessments.models import Classification
from plans.models import Candidate, Plan
from tests.plans.factories import make_candidate, make_plan


@pytest.mark.vietnamese
@pytest.mark.parametrize("typed", ["35-QĐ/HU", "Số 35-QĐ/HU", "số 35-qđ/hu"])
def test_the_decision_number_is_stored_once_and_printed_with_so(client, tree, standing, typed):
    candidate = make_candidate(tree.a, 2018)
    client.force_login(standing)
    url = reverse("plans:candidate_decide", kwargs={"candidate_id": candidate.pk})
    data = {"decision": "selected", "reason": "Yếu", "number": typed, "date": "18/01/2018"}
    assert client.post(url, data).status_code == 302
    candidate.refresh_from_db()
    assert candidate.decision_number == "35-QĐ/HU"
    body = client.get(url).content.decode()
    assert "quyết định số 35-QĐ/HU" in body and "số Số" not in body and "Số Số" not in body


@pytest.mark.vietnamese
def test_every_number_hint_reads_the_same(client, tree, alice):
    candidate = make_candidate(tree.a, 2018)
    client.force_login(alice)
    decide = client.get(reverse("plans:candidate_decide", kwargs={"candidate_id": candidate.pk})).content.decode()
    entry = client.get(reverse("assessments:entry", kwargs={"org_code": tree.d.code, "year": 2018})).content.decode()
    assert "Ví dụ: 35-QĐ/HU" in decide and "Ví dụ: 35-QĐ/HU" in entry
    assert "Số 125" not in entry and "112-QĐ" not in decide


def test_the_migration_normalizes_stored_numbers(tree):
    plan = make_plan(tree.a, 2018)
    Plan.objects.filter(pk=plan.pk).update(number="Số 45-kh/hu")
    Candidate.objects.filter(pk=plan.candidate_id).update(decision_number="số 12-QĐ/HU")
    Classification.objects.filter(organization=tree.a, year=2017).update(decision_number="Số: 9 - QĐ / HU")
    migration = importlib.import_module("plans.migrations.0004_home_document_numbers")

    migration.normalize(apps, None)

    assert Plan.objects.get().number == "45-KH/HU"
    assert Candidate.objects.get().decision_number == "12-QĐ/HU"
    assert Classification.objects.get(organization=tree.a, year=2017).decision_number == "9-QĐ/HU"
