"""Inputs every form shares: dd/mm/yyyy dates that do not depend on the browser, document numbers, one error summary."""

import datetime
import re

import pytest
from django.urls import reverse

from cells.forms.fields import DayField, DocumentNumberField
from cells.text import document_number
from tests.plans.factories import make_candidate, make_plan, make_task


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("35-QĐ/HU", "35-QĐ/HU"),
        ("Số 35-QĐ/HU", "35-QĐ/HU"),
        ("số 35-qđ/hu", "35-QĐ/HU"),
        ("Số: 12 - KH / HU", "12-KH/HU"),
        ("số35-QĐ/HU", "35-QĐ/HU"),
        ("  ", ""),
    ],
)
def test_a_document_number_is_stored_in_one_form(typed, stored):
    assert document_number(typed) == stored


def test_the_document_number_field_normalizes_and_explains_a_wrong_number():
    field = DocumentNumberField(required=False)
    assert field.clean("Số 35-QĐ/HU") == "35-QĐ/HU"
    assert str(field.help_text) == "For example: 35-QĐ/HU"
    with pytest.raises(Exception, match="for example 35-QĐ/HU"):
        field.clean("35")


def test_a_date_is_read_as_day_month_year():
    field = DayField()
    assert field.clean("05/03/2018") == datetime.date(2018, 3, 5)
    assert field.clean("2018-03-05") == datetime.date(2018, 3, 5)
    with pytest.raises(Exception, match="dd/mm/yyyy"):
        field.clean("03/35/2018")
    html = field.widget.render("d", datetime.date(2018, 3, 5))
    assert 'type="text"' in html and 'value="05/03/2018"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert 'inputmode="numeric"' in html


def _form_pages(tree, alice, standing):
    plan = make_plan(tree.a, 2018, lead=standing)
    task = make_task(plan, committee="office")
    selected = make_candidate(tree.b, 2019, decision="selected")
    return [
        reverse("cells:meeting_create"),
        reverse("cells:admission_create"),
        reverse("plans:candidate_decide", kwargs={"candidate_id": make_candidate(tree.b, 2018).pk}),
        reverse("plans:candidate_select"),
        reverse("plans:plan_create", kwargs={"candidate_id": selected.pk}),
        reverse("plans:plan_edit", kwargs={"plan_id": plan.pk}),
        reverse("plans:task_create", kwargs={"plan_id": plan.pk}),
        reverse("plans:task_edit", kwargs={"task_id": task.pk}),
        reverse("plans:task_detail", kwargs={"task_id": task.pk}),
        reverse("assessments:entry", kwargs={"org_code": tree.d.code, "year": 2018}),
    ]


def test_no_form_uses_the_browsers_date_picker(client, tree, alice, standing):
    client.force_login(alice)
    for url in _form_pages(tree, alice, standing):
        body = client.get(url).content.decode()
        assert 'type="date"' not in body, url
        assert "dd/mm/yyyy" in body, url


def test_an_empty_final_save_of_the_year_shows_one_clear_alert(client, tree, alice):
    client.force_login(alice)
    response = client.post(
        reverse("assessments:entry", kwargs={"org_code": tree.d.code, "year": 2018}), {"action": "final"}
    )
    body = response.content.decode()
    assert len(re.findall(r'class="alert alert-danger', body)) == 1
    assert "choose a level for at least one unit" in body and "marked in red" not in body


def test_a_failed_form_has_a_summary_linking_to_its_fields(client, tree, alice, standing):
    candidate = make_candidate(tree.a, 2018)
    client.force_login(alice)
    response = client.post(reverse("plans:candidate_decide", kwargs={"candidate_id": candidate.pk}), {"number": "35"})
    body = response.content.decode()
    summary = body.split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_number"' in summary and "for example 35-QĐ/HU" in summary
    assert 'href="#id_reason"' in summary and 'href="#id_date"' in summary
    assert body.count("for example 35-QĐ/HU") == 2  # in the summary and beside the field, nowhere else
