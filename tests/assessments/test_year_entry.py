"""The year-entry page: every unit of a committee in one form, validated together."""

import time

import pytest
from django.urls import reverse

from assessments.models import Classification, ClassificationChange
from cells.models import Organization
from plans.models import Candidate
from tests.assessments.factories import classify
from tests.conftest import make_org, make_user


def url(org, year):
    return reverse("assessments:entry", kwargs={"org_code": org.code, "year": year})


def test_lists_the_committees_grassroots_units_of_the_year(client, tree, alice):
    client.force_login(alice)
    response = client.get(url(tree.d, 2018))
    assert response.status_code == 200
    body = response.content.decode()
    assert "row-D-A" in body and "row-D-B" in body
    assert "Nặm Bao" not in body  # cells belong to their grassroots committee's page
    assert "Hoàn thành tốt nhiệm vụ" in body and "Không hoàn thành nhiệm vụ" in body


def test_the_year_uses_its_rule_set_labels(client, tree, alice):
    client.force_login(alice)
    body = client.get(url(tree.d, 2016)).content.decode()
    assert "Trong sạch, vững mạnh" in body and "Yếu kém" in body
    assert "Hoàn thành xuất sắc nhiệm vụ" not in body


def test_saves_every_row_together_as_final_and_runs_the_job(client, tree, alice, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(tree.d, 2018),
            {
                f"level_{tree.a.pk}": "complete",
                f"level_{tree.b.pk}": "good",
                f"note_{tree.b.pk}": "Tốt",
                "decision_number": "Số 1367-QĐ/HU",
                "decision_date": "26/12/2018",
                "action": "final",
            },
        )
    assert response.status_code == 302
    results = {c.organization_id: c for c in Classification.objects.all()}
    assert results[tree.a.pk].label == "Hoàn thành nhiệm vụ"
    assert results[tree.b.pk].note == "Tốt"
    assert {c.state for c in results.values()} == {"final"}
    assert {c.deciding_body_id for c in results.values()} == {tree.d.pk}
    assert results[tree.a.pk].decision_date.strftime("%d/%m/%Y") == "26/12/2018"
    assert results[tree.a.pk].updated_by == alice
    assert Candidate.objects.get().organization == tree.a


def test_a_row_error_saves_nothing_and_shows_on_its_row(client, tree, alice):
    client.force_login(alice)
    response = client.post(
        url(tree.d, 2025),
        {
            f"level_{tree.a.pk}": "good",
            f"score_{tree.a.pk}": "60",  # 60 allows at most "complete"
            f"level_{tree.b.pk}": "good",
            f"score_{tree.b.pk}": "85",
            "action": "final",
        },
    )
    assert response.status_code == 200
    assert not Classification.objects.exists()
    body = response.content.decode()
    row_a = body[body.index('id="row-D-A"') : body.index('id="row-D-B"')]
    assert "table-danger" in row_a and "allows at most “Hoàn thành nhiệm vụ”" in row_a
    assert "allows at most" not in body[body.index('id="row-D-B"') :]
    assert 'value="85"' in body  # what was typed is kept


def test_a_bad_score_value_is_a_row_error(client, tree, alice):
    client.force_login(alice)
    response = client.post(url(tree.d, 2025), {f"level_{tree.a.pk}": "good", f"score_{tree.a.pk}": "abc"})
    assert "Write the score as a number" in response.content.decode()
    assert not Classification.objects.exists()


def test_a_final_result_changes_only_with_a_reason(client, tree, alice):
    classify(tree.a, 2018, "complete")
    client.force_login(alice)
    response = client.post(url(tree.d, 2018), {f"level_{tree.a.pk}": "good", "action": "draft"})
    assert response.status_code == 200 and "needs a reason" in response.content.decode()
    assert Classification.objects.get().level == "complete"

    response = client.post(
        url(tree.d, 2018),
        {f"level_{tree.a.pk}": "good", f"reason_{tree.a.pk}": "Phúc tra của Ủy ban Kiểm tra", "action": "draft"},
    )
    assert response.status_code == 302
    result = Classification.objects.get()
    assert (result.level, result.state) == ("good", "final")  # never back to draft
    change = ClassificationChange.objects.get()
    assert (change.old_label, change.new_label, change.changed_by) == (
        "Hoàn thành nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        alice,
    )
    body = client.get(url(tree.d, 2018)).content.decode()
    assert "Phúc tra của Ủy ban Kiểm tra" in body  # the history stays visible


def test_a_stored_result_cannot_be_blanked(client, tree, alice):
    classify(tree.a, 2018, "good", state=Classification.State.DRAFT)
    client.force_login(alice)
    response = client.post(url(tree.d, 2018), {f"level_{tree.a.pk}": "", f"level_{tree.b.pk}": "good"})
    assert "already has a result" in response.content.decode()
    assert Classification.objects.count() == 1


def test_an_empty_form_says_what_to_do(client, tree, alice):
    client.force_login(alice)
    response = client.post(url(tree.d, 2018), {"action": "draft"})
    assert "choose a level for at least one unit" in response.content.decode()


def test_a_grassroots_committee_enters_its_cells(client, tree, bob):
    client.force_login(bob)
    body = client.get(url(tree.a, 2018)).content.decode()
    assert "row-D-A-1" in body and "row-D-A-2" in body
    response = client.post(
        url(tree.a, 2018),
        {f"level_{tree.a1.pk}": "complete", f"level_{tree.a2.pk}": "good", "action": "final"},
    )
    assert response.status_code == 302
    assert set(Classification.objects.values_list("deciding_body__code", flat=True)) == {"D-A"}


def test_a_secretary_cannot_enter_the_upper_committee_year(client, tree, bob, standing):
    client.force_login(bob)
    assert client.get(url(tree.d, 2018)).status_code == 404  # outside bob's scope
    client.force_login(standing)
    assert client.get(url(tree.d, 2018)).status_code == 403  # standing members do not enter results


def test_a_secretary_of_an_upper_committee_reaches_the_rule_and_is_refused(client, tree):
    """Inside the scope, so the scope check passes: only the secretary rule stops them."""
    secretary = make_user("thu", "secretary", tree.d)
    client.force_login(secretary)
    assert client.get(url(tree.d, 2018)).status_code == 403
    response = client.post(url(tree.d, 2018), {f"level_{tree.a.pk}": "good", "action": "final"})
    assert response.status_code == 403
    assert not Classification.objects.exists()
    assert client.get(url(tree.a, 2018)).status_code == 200  # a grassroots committee classifies its cells


def _add_units(tree, count):
    for n in range(count):
        unit = make_org(f"D-N{n}", f"Đảng bộ xã Mới {n}", Organization.Kind.GRASSROOTS_COMMITTEE, tree.d, "commune")
        classify(unit, 2017, "good")
        if n % 2:
            classify(unit, 2018, "complete")


@pytest.mark.parametrize("extra_units", [0, 30])
def test_the_page_costs_the_same_queries_for_any_number_of_rows(
    client, tree, alice, django_assert_num_queries, extra_units
):
    _add_units(tree, extra_units)
    client.force_login(alice)
    # session, user, role; the organization; the units; their results of the year; the results
    # of the year before; the corrections of the year
    with django_assert_num_queries(8):
        assert client.get(url(tree.d, 2018)).status_code == 200


def test_saving_costs_the_same_queries_for_any_number_of_rows(client, tree, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice)

    def save_all():
        units = Organization.objects.filter(parent=tree.d)
        data = {f"level_{unit.pk}": "good" for unit in units} | {"action": "draft"}
        data |= {f"note_{unit.pk}": f"lần {Classification.objects.count()}" for unit in units}
        with CaptureQueriesContext(connection) as context:
            assert client.post(url(tree.d, 2019), data).status_code == 302
        return len(context.captured_queries)

    small = save_all(), save_all()  # the first creates, the second updates
    _add_units(tree, 30)
    Classification.objects.filter(year=2019).delete()
    large = save_all(), save_all()
    assert small == large


def test_saving_warns_when_excellent_units_exceed_20_percent_of_good_ones(client, tree, alice):
    client.force_login(alice)
    response = client.post(
        url(tree.d, 2018),
        {f"level_{tree.a.pk}": "excellent", f"level_{tree.b.pk}": "good", "action": "draft"},
        follow=True,
    )
    assert "should not exceed 20%" in response.content.decode()
    assert Classification.objects.count() == 2  # a guideline, not a rule: saved


def test_results_made_final_with_the_queue_down_are_saved_and_say_the_job_will_follow(transactional_db, client, alice):
    """The broker cannot be reached: the results are final all the same, the candidate job is
    recorded as queued (the sweep sends it when the queue is back), and the page says so."""
    from cells.models import Run
    from tests.conftest import make_org as org
    from tests.throwaway import app_on_broker, free_port
    from vanlang.celery import app

    district = Organization.objects.get(code="D")
    unit = org("D-Z", "Đảng bộ xã Zê", Organization.Kind.GRASSROOTS_COMMITTEE, district, "commune")
    client.force_login(alice)
    with app_on_broker(app, f"redis://127.0.0.1:{free_port()}/0"):
        app.conf.task_always_eager = False  # restored by the autouse celery_in_process fixture
        started = time.monotonic()
        answer = client.post(url(district, 2018), {f"level_{unit.pk}": "complete", "action": "final"})
        answered_in = time.monotonic() - started
        response = client.get(answer.url)
    assert answer.status_code == 302 and answered_in < 2, answered_in
    assert response.status_code == 200
    assert Classification.objects.get(organization=unit).state == "final"
    run = Run.objects.get()
    assert (run.kind, run.state, run.sent_at) == ("candidates", "queued", None)
    body = response.content.decode()
    assert "The work queue cannot be reached right now" in body
