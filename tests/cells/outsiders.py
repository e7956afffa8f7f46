"""Values for the URL keyword arguments of the `cells` views, pointing into district D.

The test in tests/test_every_url_is_scoped.py reverses every URL pattern with these values
and requests it as charlie, who works in district X. Each entry is `kwarg: (factory, is_object)`:
`factory(tree)` returns the value; `is_object` says the argument names a thing in D, so the
request must be refused (403 or 404); other arguments (a year, a page) only select what to show.
"""

OUTSIDER_KWARGS = {
    "org_code": (lambda tree: tree.a.code, True),
}


def _meeting(tree):
    from tests.cells.factories import make_meeting

    return make_meeting(tree.a1).pk


def _admission(tree):
    from tests.cells.factories import make_admission

    return make_admission(tree.a1).pk


OUTSIDER_KWARGS.update(
    {
        "meeting_id": (_meeting, True),
        "admission_id": (_admission, True),
        "year": (lambda tree: 2018, False),
    }
)


def _report_run(tree):
    """A finished report run of commune A with its file's record (the file itself need not exist)."""
    from cells.models import ReportFile, Run

    run = Run.objects.create(kind=Run.Kind.REPORT, scope=tree.a, year=2018, state=Run.State.DONE, progress=100)
    ReportFile.objects.create(
        run=run, organization=tree.a, name="sinh-hoat-D-A-2018.xlsx", file="reports/x.xlsx", size=1
    )
    return run.pk


OUTSIDER_KWARGS["report_run_id"] = (_report_run, True)
