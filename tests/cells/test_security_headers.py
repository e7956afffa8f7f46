"""Content-Security-Policy and Permissions-Policy on every response, and templates that need
no inline script or style (the browser check is in test_security_browser.py)."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_every_page_carries_the_policies(client, tree, alice):
    client.force_login(alice)
    for url in [reverse("login"), reverse("cells:tree"), reverse("admin:index"), "/khong-co-trang-nay/"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_no_template_has_inline_script_or_style():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\sstyle=", r"\son[a-z]+=\""):
            # A data block (json_script) is not code: the policy does not apply to it.
            hits = [m for m in re.findall(pattern, text) if 'type="application/json"' not in m]
            found += [f"{path.relative_to(TEMPLATES)}: {hit.strip()}" for hit in hits]
    assert not found, found
