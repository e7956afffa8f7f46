"""A province's staff member in Chromium: the first visit says the figures are being computed and
follows the run; a real worker computes them and the page shows them, with the time, by itself."""

import pytest

from cells.models import Run
from plans.models import HomeSnapshot
from tests.cells.test_security_browser import watch_policy
from tests.conftest import browser_login, make_user

pytestmark = pytest.mark.browser


@pytest.mark.celery_worker
def test_the_first_visit_follows_the_run_and_then_shows_the_stored_figures(page, tree, celery_worker):
    make_user("nga", "staff", tree.province)
    violations = watch_policy(page)
    browser_login(page, "nga")
    page.wait_for_selector("#figures-as-of", timeout=60_000)  # runs.js reloads the page when the run ends
    assert page.locator("#figures-computing").count() == 0
    assert page.inner_text("#classified-counts")  # the figures, from the snapshot
    snapshot = HomeSnapshot.objects.select_related("run").get(scope=tree.province)
    assert snapshot.computed_at is not None and snapshot.run.state == Run.State.DONE
    assert Run.objects.filter(kind=Run.Kind.HOME_SNAPSHOT).count() == 1
    assert not violations, violations
