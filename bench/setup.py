"""Pointing Django at the benchmark's database, and creating that database."""

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def django_for(url: str) -> None:
    """Set Django up against `url` with production-like settings (no query log, no debug toolbar)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vanlang.settings")
    # DEBUG off: Django would keep the text of every query, and the pages would render the
    # debug panels. The test client talks plain HTTP to "testserver".
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-never-used-in-production-0123456789")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    # The benchmark's users sign in with force_login: no second factor to owe.
    os.environ["VANLANG_TWO_FACTOR"] = "0"
    import django
    from django.conf import settings

    django.setup()
    # The pages are rendered without `collectstatic`: plain static URLs, no manifest to read.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}


def create_database(url: str) -> None:
    """CREATE DATABASE for a PostgreSQL URL when it does not exist yet."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
