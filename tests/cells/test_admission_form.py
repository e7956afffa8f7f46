"""Entering an admission and setting quotas."""

import datetime

from django.urls import reverse
from django.utils import timezone

from cells.models import Admission, AdmissionQuota
from tests.cells.factories import make_admission

D = datetime.date
CREATE = reverse("cells:admission_create")


def data(cell, **changes):
    values = {
        "organization": cell.pk,
        "full_name": "Lương Thị Hoa",
        "birth_date": "1996-08-14",
        "awareness_class_date": "2017-11-20",
        "cell_resolution_date": "2018-05-07",
        "grassroots_resolution_date": "2018-06-25",
        "decision_date": "2018-08-20",
        "decision_number": "125-QĐ/ĐU",
        "ceremony_date": "2018-09-14",
        "probation_end_date": "",
        "full_membership_date": "",
    }
    values.update(changes)
    return values


def test_a_secretary_enters_an_admission(client, tree, bob):
    client.force_login(bob)
    response = client.post(CREATE, data(tree.a1))
    assert response.status_code == 302
    assert response.url == reverse("cells:admission_overview", kwargs={"org_code": "D-A", "year": 2018})
    admission = Admission.objects.get()
    assert (admission.organization, admission.decision_date, admission.created_by) == (tree.a1, D(2018, 8, 20), bob)


def test_steps_out_of_order_are_an_error(client, tree, bob):
    client.force_login(bob)
    response = client.post(CREATE, data(tree.a1, ceremony_date="2018-08-01", confirm_warnings="1"))
    assert "ceremony_date" in response.context["form"].errors
    assert not Admission.objects.exists()


def test_a_ceremony_without_a_decision_is_an_error(client, tree, bob):
    client.force_login(bob)
    response = client.post(CREATE, data(tree.a1, decision_date=""))
    assert "decision_date" in response.context["form"].errors


def test_a_future_date_is_an_error(client, tree, bob):
    client.force_login(bob)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(CREATE, data(tree.a1, full_membership_date=tomorrow))
    assert "full_membership_date" in response.context["form"].errors


def test_age_outside_18_to_60_warns_and_saves_when_confirmed(client, tree, bob):
    client.force_login(bob)
    response = client.post(CREATE, data(tree.a1, birth_date="2001-01-01"))
    assert response.status_code == 200 and "17" in response.context["warnings"][0]
    assert client.post(CREATE, data(tree.a1, birth_date="2001-01-01", confirm_warnings="1")).status_code == 302
    assert Admission.objects.count() == 1


def test_a_secretary_cannot_touch_another_communes_admission(client, tree, bob):
    other = make_admission(tree.b1)
    client.force_login(bob)
    assert client.get(reverse("cells:admission_update", args=[other.pk])).status_code == 404
    response = client.post(CREATE, data(tree.b1))
    assert "organization" in response.context["form"].errors


def test_standing_members_do_not_enter_admissions(client, tree, standing):
    client.force_login(standing)
    assert client.get(CREATE).status_code == 403


def quota_url(org, year=2018):
    return reverse("cells:admission_quotas", kwargs={"org_code": org.code, "year": year})


def test_a_commune_secretary_sets_the_cells_quotas_but_not_the_communes_own(client, tree, bob):
    client.force_login(bob)
    response = client.post(quota_url(tree.a), {f"quota_{tree.a1.pk}": "2", f"quota_{tree.a.pk}": "9"})
    assert response.status_code == 302
    assert dict(AdmissionQuota.objects.values_list("organization__code", "quota")) == {"D-A-1": 2}


def test_staff_set_the_communes_quota_and_an_empty_field_removes_one(client, tree, alice):
    AdmissionQuota.objects.create(organization=tree.a1, year=2018, quota=1)
    client.force_login(alice)
    client.post(quota_url(tree.a), {f"quota_{tree.a.pk}": "4", f"quota_{tree.a1.pk}": ""})
    assert dict(AdmissionQuota.objects.values_list("organization__code", "quota")) == {"D-A": 4}


def test_a_bad_quota_saves_nothing(client, tree, alice):
    client.force_login(alice)
    response = client.post(quota_url(tree.a), {f"quota_{tree.a.pk}": "4", f"quota_{tree.a1.pk}": "-1"}, follow=True)
    assert not AdmissionQuota.objects.exists()
    assert "-1" in response.content.decode()


def test_quotas_missing_from_the_form_are_left_alone(client, tree, alice):
    AdmissionQuota.objects.create(organization=tree.a2, year=2018, quota=2)
    client.force_login(alice)
    client.post(quota_url(tree.a), {f"quota_{tree.a1.pk}": "1"})
    assert dict(AdmissionQuota.objects.values_list("organization__code", "quota")) == {"D-A-1": 1, "D-A-2": 2}
