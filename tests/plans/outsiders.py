"""URL keyword arguments of the `plans` views: see tests/cells/outsiders.py."""

from cells.services import user_role_grant
from plans.models import Committee
from tests.plans.factories import make_candidate, make_plan, make_report, make_task


def _run_in_d(tree):
    from plans.models import JobRun

    return JobRun.objects.create(year=2018, scope=tree.a).pk


def _plan(tree):
    return make_plan(tree.a, year=2018)


def _task(tree):
    return make_task(_plan(tree), committee=Committee.ORGANIZATION)


def _report(tree):
    author = user_role_grant(username="d-staff", role="staff", organization=tree.d)
    return make_report(_task(tree), author)


OUTSIDER_KWARGS = {
    # --- candidates (issue 3) ---
    "run_id": (_run_in_d, True),
    # ---- issue 4: decisions, plans, tasks, reports ----
    "candidate_id": (lambda tree: make_candidate(tree.a, 2018).pk, True),
    "plan_id": (lambda tree: _plan(tree).pk, True),
    "task_id": (lambda tree: _task(tree).pk, True),
    "report_id": (lambda tree: _report(tree).pk, True),
    # ---- issue 12: reports; the kind only selects which report of the unit to show ----
    "kind": (lambda tree: "xep-loai", False),
}
