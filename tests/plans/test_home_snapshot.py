"""The staff home of a scope above a district reads stored figures (plans.HomeSnapshot) computed by a
background run: a fixed number of queries whatever the data, one run however many requests find the
figures stale, the same figures as the live page, another scope's figures never shown, and an
answer (not a 500) with the broker down."""

import datetime

import pytest
from django.utils import timezone

from cells.models import Admission, AdmissionQuota, Organization, Run
from cells.runs import run_execute
from plans.models import Candidate, HomeSnapshot, Plan
from plans.queries.home import staff_figures, staff_home
from plans.services.home import home_snapshot_request, home_snapshot_work, home_snapshots_refresh
from tests.conftest import make_org, make_user
from tests.plans.factories import classify, make_candidate, make_plan, make_task
from tests.plans.test_home import _staff_records
from tests.throwaway import app_on_broker
from vanlang.celery import app

HOME = "/"


@pytest.fixture
def national(tree):
    """Staff of the province P, above the districts D and X: a large scope."""
    return make_user("nga", "staff", tree.province)


def _compute(scope) -> Run:
    """What a worker does with the scope's run: the real run path, in this process."""
    run = home_snapshot_request(scope=scope)
    return run_execute(run_id=run.pk, work=home_snapshot_work)


def _more_units(tree, n):
    for i in range(n):
        unit = make_org(f"X-N{i}", f"Đảng bộ xã Mới {i}", "grassroots_committee", tree.x, "commune")
        cell = make_org(f"X-N{i}-1", f"Chi bộ Mới {i}", "cell", unit)
        AdmissionQuota.objects.create(organization=unit, year=2018, quota=i + 1)
        Admission.objects.create(organization=cell, full_name=f"Người {i}", decision_date=datetime.date(2018, 3, 1))
        make_candidate(unit, 2019)
        make_candidate(unit, 2018, decision=Candidate.Decision.SELECTED)
        plan = make_plan(unit, year=2017, state=Plan.State.ADOPTED)
        make_task(plan, committee="office", due=datetime.date(2017, 1, 1))


def _snapshot_runs(scope):
    return Run.objects.filter(kind=Run.Kind.HOME_SNAPSHOT, scope=scope)


@pytest.mark.parametrize("extra", [0, 6])
def test_a_large_scope_shows_its_stored_figures_in_a_fixed_number_of_queries(
    client, tree, national, standing, django_assert_num_queries, extra
):
    _staff_records(tree, standing)
    _more_units(tree, extra)
    assert _compute(tree.province).state == Run.State.DONE
    client.force_login(national)
    # 1 session, 2 user, 3 role with its unread notifications, 4 whether the scope is above a
    # district (yes), 5 its snapshot with its latest run, 6 the mark that it was viewed, 7-9 the
    # stored first rows of the three lists read by key (pending candidates, selected without a plan,
    # overdue tasks).
    with django_assert_num_queries(9):
        response = client.get(HOME)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="figures-as-of"' in body
    assert f"Figures as of {timezone.localtime(HomeSnapshot.objects.get().computed_at):%H:%M}" in body
    assert response.context["home"].units == 3 + extra
    assert not _snapshot_runs(tree.province).exclude(state=Run.State.DONE).exists()  # fresh: nothing started


def test_the_stored_figures_equal_the_live_computation_on_the_same_data(client, tree, national, standing):
    _staff_records(tree, standing)
    _more_units(tree, 3)
    classify(tree.y, 2018, "good")
    _compute(tree.province)
    live = staff_figures(staff_home(tree.province, timezone.localdate()))
    assert HomeSnapshot.objects.get(scope=tree.province).figures == live
    assert live["units"] == 6 and live["pending"]["count"] == 5 and live["plans"]["late"] == 4
    client.force_login(national)
    shown = client.get(HOME).context["home"]
    assert staff_figures(shown) == live
    assert shown.pending.items == staff_home(tree.province).pending.items  # in the live page's order
    # A row settled since the snapshot drops out of its list; the count waits for the next snapshot.
    decided = shown.pending.items[0]
    Candidate.objects.filter(pk=decided.pk).update(decision=Candidate.Decision.NOT_SELECTED)
    again = client.get(HOME).context["home"]
    assert decided not in again.pending.items and len(again.pending.items) == 4
    assert again.pending.count == 5


def test_a_missing_or_stale_snapshot_starts_one_run_however_many_requests_find_it(client, tree, national):
    client.force_login(national)
    first = client.get(HOME)
    assert first.status_code == 200 and first.context["home"] is None
    body = first.content.decode()
    assert 'id="figures-computing"' in body and "The figures of your scope are being computed" in body
    assert 'id="run-status"' in body  # the run's progress, followed by runs.js
    client.get(HOME)
    client.get(HOME)
    assert _snapshot_runs(tree.province).count() == 1

    run = _snapshot_runs(tree.province).get()
    run_execute(run_id=run.pk, work=home_snapshot_work)
    client.get(HOME)
    assert _snapshot_runs(tree.province).count() == 1  # fresh: nothing more

    HomeSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(minutes=16))
    stale = [client.get(HOME) for _ in range(3)]
    assert _snapshot_runs(tree.province).count() == 2  # one new run for three requests
    assert all(response.context["home"] is not None for response in stale)  # the old figures meanwhile
    assert "Newer figures are being computed." in stale[-1].content.decode()


def test_a_district_keeps_live_figures_and_starts_no_run(client, tree, alice, charlie):
    for user in (alice, charlie):
        client.force_login(user)
        response = client.get(HOME)
        assert response.status_code == 200 and "snapshot" not in response.context
        assert 'id="figures-as-of"' not in response.content.decode()
    assert not Run.objects.filter(kind=Run.Kind.HOME_SNAPSHOT).exists()
    assert not HomeSnapshot.objects.exists()


def test_another_scopes_figures_are_never_shown(client, tree, national, charlie):
    other = make_org("Q", "Đảng bộ tỉnh Khác", Organization.Kind.UPPER_COMMITTEE)
    make_org("Q-H", "Đảng bộ huyện Khác", Organization.Kind.UPPER_COMMITTEE, other)
    _compute(other)
    HomeSnapshot.objects.filter(scope=other).update(
        figures={**HomeSnapshot.objects.get(scope=other).figures, "units": 777}
    )
    client.force_login(national)
    response = client.get(HOME)
    assert response.context["home"] is None  # P has no figures yet: Q's are not borrowed
    _compute(tree.province)
    assert client.get(HOME).context["home"].units == 3
    # A district user of P sees live figures of the district, not the province's stored ones.
    client.force_login(charlie)
    assert client.get(HOME).context["home"].units == 1
    # The province's run is refused to the district's user (the page's progress URL).
    run = _snapshot_runs(tree.province).first()
    assert client.get(f"/tien-trinh/{run.pk}/").status_code in (403, 404)


def test_with_the_broker_down_the_page_answers_and_the_run_waits(transactional_db, client, tree, national):
    app.conf.task_always_eager = False  # restored by the autouse celery_in_process fixture
    with app_on_broker(app, "redis://127.0.0.1:1/0"):  # nothing listens there
        client.force_login(national)
        response = client.get(HOME)
        assert response.status_code == 200
        body = response.content.decode()
        assert "The figures of your scope are being computed" in body
        assert "The work queue cannot be reached right now" in body
        run = _snapshot_runs(tree.province).get()
        assert (run.state, run.sent_at) == (Run.State.QUEUED, None)  # the sweep sends it when the queue is back
        assert client.get(HOME).status_code == 200
        assert _snapshot_runs(tree.province).count() == 1


def test_the_periodic_refresh_recomputes_the_scopes_viewed_recently_once(tree, national):
    other = make_org("Q", "Đảng bộ tỉnh Khác", Organization.Kind.UPPER_COMMITTEE)
    now = timezone.now()
    for scope in (tree.province, other):
        _compute(scope)
    HomeSnapshot.objects.update(computed_at=now - datetime.timedelta(minutes=10))
    HomeSnapshot.objects.filter(scope=tree.province).update(viewed_at=now - datetime.timedelta(minutes=3))
    HomeSnapshot.objects.filter(scope=other).update(viewed_at=now - datetime.timedelta(days=2))

    assert home_snapshots_refresh(now=now) == {"started": 1}
    assert home_snapshots_refresh(now=now) == {"started": 0}  # its run is still queued
    queued = Run.objects.get(kind=Run.Kind.HOME_SNAPSHOT, state=Run.State.QUEUED)
    assert (queued.scope, queued.trigger) == (tree.province, Run.Trigger.SCHEDULE)
