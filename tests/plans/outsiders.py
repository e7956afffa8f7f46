"""URL keyword arguments of the `plans` views: see tests/cells/outsiders.py."""


def _run_in_d(tree):
    from plans.models import JobRun

    return JobRun.objects.create(year=2018, scope=tree.a).pk


OUTSIDER_KWARGS = {
    # --- candidates (issue 3) ---
    "run_id": (_run_in_d, True),
    # --- end of candidates ---
}
