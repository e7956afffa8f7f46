"""Fixtures every test shares: a small organization tree, the owner / colleague / outsider
users, and the real services (Chromium, a Celery worker) with the rule for their absence.

A test that needs a service that is missing is skipped with its reason on a newcomer's
machine (pytest prints the reasons: -rs). With CI=true nothing may be skipped: the test fails.
"""

import os
import shutil
from types import SimpleNamespace

import pytest

from cells.models import Organization
from cells.services import user_role_grant

Kind = Organization.Kind
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "Mật-khẩu-thử-2018"


def missing_service(reason: str):
    """Skip on a newcomer's machine; fail in CI, where every service must be there."""
    if IN_CI:
        pytest.fail(f"CI=true and a required service is missing: {reason}")
    pytest.skip(reason)


def make_org(code, name, kind, parent=None, sector="", **extra):
    return Organization.objects.create(code=code, name=name, kind=kind, parent=parent, sector=sector, **extra)


@pytest.fixture
def tree(db):
    """Two districts. D holds communes A (cells A1, A2) and B (cell B1); X holds commune Y (cell Y1)."""
    province = make_org("P", "Đảng bộ tỉnh", Kind.UPPER_COMMITTEE)
    d = make_org("D", "Đảng bộ huyện Đông", Kind.UPPER_COMMITTEE, province)
    a = make_org("D-A", "Đảng bộ xã Gia Miễn", Kind.GRASSROOTS_COMMITTEE, d, "commune")
    a1 = make_org("D-A-1", "Chi bộ Nặm Bao", Kind.CELL, a)
    a2 = make_org("D-A-2", "Chi bộ Bản Làn", Kind.CELL, a)
    b = make_org("D-B", "Đảng bộ xã Tân Mỹ", Kind.GRASSROOTS_COMMITTEE, d, "commune")
    b1 = make_org("D-B-1", "Chi bộ Pò Cại", Kind.CELL, b)
    x = make_org("X", "Đảng bộ huyện Tây", Kind.UPPER_COMMITTEE, province)
    y = make_org("X-Y", "Đảng bộ xã Yên Ngoại", Kind.GRASSROOTS_COMMITTEE, x, "commune")
    y1 = make_org("X-Y-1", "Chi bộ Ngoại Lai", Kind.CELL, y)
    return SimpleNamespace(province=province, d=d, a=a, a1=a1, a2=a2, b=b, b1=b1, x=x, y=y, y1=y1)


def make_user(username, role, organization):
    return user_role_grant(username=username, role=role, organization=organization, password=PASSWORD)


@pytest.fixture
def alice(tree):
    """The owner: staff of district D."""
    return make_user("alice", "staff", tree.d)


@pytest.fixture
def bob(tree):
    """A colleague: secretary of commune A in district D."""
    return make_user("bob", "secretary", tree.a)


@pytest.fixture
def charlie(tree):
    """The outsider: staff of district X."""
    return make_user("charlie", "staff", tree.x)


@pytest.fixture
def standing(tree):
    return make_user("dung", "standing", tree.d)


@pytest.fixture
def auditor(tree):
    return make_user("eve", "auditor", tree.d)


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian Chromium for the session, driven by Playwright."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        missing_service(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_service("Playwright for Python is not installed")
    # Playwright's sync API keeps an event loop on this thread; Django's ORM must still be
    # usable from the test body.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone_page(chromium, live_server):
    context = chromium.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()


def browser_login(page, username, password=PASSWORD):
    page.goto(page.base_url + "/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def celery_worker(request, transactional_db):
    """A real Celery worker process (`celery -A vanlang worker`) on CELERY_BROKER_URL and the test database.

    Tests that use it (mark them `celery_worker`) see tasks cross the broker to another process,
    as in production; they need committed data, hence transactional_db. Without a reachable
    broker or with an in-memory SQLite test database (another process cannot open it) the test
    is skipped on a newcomer's machine and fails in CI.
    """
    import subprocess
    import sys
    import time
    import uuid
    from urllib.parse import quote

    from django.conf import settings
    from django.db import connection

    from vanlang.celery import app

    if not settings.CELERY_BROKER_URL:
        missing_service("CELERY_BROKER_URL is not set: the real Celery worker tests need a broker (redis://…)")
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        missing_service("the real Celery worker tests need PostgreSQL (DATABASE_URL=postgres://…)")
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1)
    except Exception as error:  # any transport error means: no broker
        missing_service(f"the Celery broker {settings.CELERY_BROKER_URL} does not answer: {error}")

    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "vanlang.settings",
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DATABASE_CONN_MAX_AGE": "0",
    }
    node = f"test-{uuid.uuid4().hex[:8]}@localhost"
    command = [sys.executable, "-m", "celery", "-A", "vanlang", "worker", "--pool", "solo", "--loglevel", "INFO"]
    command += ["-n", node, "--without-mingle", "--without-gossip", "-I", request.module.__name__]
    worker = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[node], timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                worker.kill()
                pytest.fail(f"the Celery worker did not start:\n{worker.communicate()[0]}")
        yield app
    finally:
        worker.terminate()
        try:
            output = worker.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            worker.kill()
            output = worker.communicate()[0]
        print(output)  # shown by pytest when the test fails


@pytest.fixture
def reports_at_once(settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    """Report runs (tests/reports.py) sent as their request ends, as they would be when it commits
    (the test's transaction never does), and run in the test's process; their files in tmp_path."""
    from django.db import transaction

    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(transaction, "on_commit", lambda callback, using=None, robust=False: callback())
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def celery_in_process(request):
    """Tasks run in the test's own process, as in the embedded default, even when
    CELERY_BROKER_URL is set; tests marked `celery_worker` that take the `celery_worker`
    fixture get a real worker instead."""
    from vanlang.celery import app

    if request.node.get_closest_marker("celery_worker"):
        if "celery_worker" not in request.fixturenames:
            pytest.fail("a test marked celery_worker must take the celery_worker fixture as an argument")
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Production's hasher is slow on purpose; tests create many users and log in often."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_unless_asked(request, settings):
    """Tests read English messages, whatever the catalogs hold, so an edited translation does
    not break a behaviour test. Tests marked `vietnamese` run in the product's default
    language instead and check what users actually read (tests/test_vietnamese.py)."""
    from django.utils import translation

    language = "vi" if request.node.get_closest_marker("vietnamese") else "en"
    settings.LANGUAGE_CODE = language
    with translation.override(language):
        yield


def _skip_reason(report):
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CI=true a skip is a failure, whoever asked for it (a fixture, a marker, importorskip)."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"CI=true and this test was skipped: {_skip_reason(report)}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"CI=true and this module was skipped: {_skip_reason(report)}"


@pytest.fixture
def media(settings, tmp_path):
    """Uploads waiting for their import go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def runs_at_once(monkeypatch):
    """A preview or an import is a background run sent when the request's transaction commits;
    the test's transaction never commits, so send it as the request ends, as it would be."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda callback, using=None, robust=False: callback())
