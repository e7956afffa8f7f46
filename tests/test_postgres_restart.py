"""PostgreSQL restarted under a running app: the next requests succeed without restarting it.

The app keeps its database connections between requests (DATABASE_CONN_MAX_AGE); a restart
breaks them, and Django's health check (CONN_HEALTH_CHECKS) replaces a broken one at the start
of the next request. Run against a cluster of the test's own (initdb, pg_ctl) and a real
gunicorn, never the shared server.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from tests.conftest import missing_service
from tests.throwaway import PROJECT, PostgresCluster, free_port, wait_for


@pytest.fixture
def cluster():
    server = PostgresCluster()
    if not server.available():
        missing_service("PostgreSQL's initdb/pg_ctl are not installed (/usr/lib/postgresql/*/bin)")
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.stop()


def _login_attempt(opener, base) -> int:
    """A failed login: reads the user table and writes the attempt (django-axes), so it needs the database."""
    form = opener.open(base + "/dang-nhap/", timeout=20).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong"}).encode()
    request = urllib.request.Request(base + "/dang-nhap/", data=data, headers={"Referer": base + "/dang-nhap/"})
    try:
        with opener.open(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_requests_after_a_postgresql_restart_succeed_without_restarting_the_app(cluster):
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url(),
        "DATABASE_CONN_MAX_AGE": "600",
        "CELERY_BROKER_URL": "",
        "DJANGO_LANGUAGE_CODE": "en",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True)
    port = free_port()
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "vanlang.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    try:
        assert wait_for(lambda: _answers(base), 60), "gunicorn did not start"
        assert _login_attempt(opener, base) == 200  # the worker now holds a database connection

        cluster.restart()

        assert _login_attempt(opener, base) == 200
        assert _login_attempt(opener, base) == 200
    finally:
        gunicorn.terminate()
        output = gunicorn.communicate(timeout=30)[0]
        print(output)
    assert "Internal Server Error" not in output


def _answers(base) -> bool:
    try:
        urllib.request.urlopen(base + "/dang-nhap/", timeout=2).close()
        return True
    except OSError:
        return False
