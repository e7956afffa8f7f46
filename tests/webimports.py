"""What the tests of the web imports share (cells.views.imports): uploads built from rows, the
files waiting, and following a preview to its confirmation. Their fixtures `media` and
`runs_at_once` are in tests/conftest.py."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def csv_upload(header, rows, name="file.csv", encoding="utf-8"):
    lines = [",".join(header)] + [",".join(str(value) for value in row) for row in rows]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(encoding), content_type="text/csv")


def waiting_files(media):
    folder = media / "imports"
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


def confirm(client, preview):
    """Press "Confirm the import" on a preview's page (`preview`: the response that shows it)."""
    form = {"token": preview.context["token"], "once": preview.context["once_token"]}
    return client.post(reverse(preview.context["url_name"]), form, follow=True)
