"""A grassroots organization's page shows its cells rated "complete" or worse (final results), in
the classification panel, without a query more."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Classification
from cells.models import Organization, UserRole
from tests.assessments.factories import classify


def page(client, code):
    return client.get(reverse("cells:detail", kwargs={"org_code": code}))


def panel(response):
    return next(p for p in response.context["panels"] if p["template"] == "assessments/_classification_panel.html")


def test_the_page_lists_the_weak_cells_by_name(client, tree, alice):
    classify(tree.a, 2018, "complete")
    classify(tree.a1, 2018, "complete")  # Nặm Bao
    classify(tree.a2, 2018, "good")  # Bản Làn
    classify(tree.a2, 2017, "incomplete", state=Classification.State.DRAFT)
    classify(tree.b1, 2018, "incomplete")  # Pò Cại, of Tân Mỹ
    client.force_login(alice)
    response = page(client, tree.a.code)
    weak = panel(response)["weak_cells"]
    assert [(r.organization.code, r.year, r.label) for r in weak] == [("D-A-1", 2018, "Hoàn thành nhiệm vụ")]
    assert [r.year for r in panel(response)["results"]] == [2018]  # its own history stays its own
    html = response.content.decode()
    assert 'id="weak-cells"' in html and "Chi bộ Nặm Bao" in html and "Chi bộ Pò Cại" not in html


def test_no_weak_cell_no_list(client, tree, alice):
    classify(tree.a1, 2018, "good")
    client.force_login(alice)
    response = page(client, tree.a.code)
    assert panel(response)["weak_cells"] == []
    assert 'id="weak-cells"' not in response.content.decode()


def test_a_cells_own_page_lists_no_weak_cells(client, tree, alice):
    classify(tree.a1, 2018, "incomplete")
    client.force_login(alice)
    assert panel(page(client, tree.a1.code))["weak_cells"] == []


@pytest.mark.django_db
def test_gia_mien_in_the_demo(client):
    call_command("load_demo")
    client.force_login(UserRole.objects.get(user__username="canbo").user)
    gia_mien = Organization.objects.get(code="VL-GIAMIEN")
    weak = panel(page(client, gia_mien.code))["weak_cells"]
    assert {(r.organization.name, r.year) for r in weak} == {("Chi bộ Nặm Bao", 2016), ("Chi bộ Bản Làn", 2016)}
