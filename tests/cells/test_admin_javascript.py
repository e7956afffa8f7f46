"""The admin's scripts speak Vietnamese too: the calendar, the clock, the selection boxes and the count of
selected rows read their words from the admin's JavaScript catalog (`admin:jsi18n`), which the project's
`locale/vi/LC_MESSAGES/djangojs.po` completes where Django's own Vietnamese catalog stops (2021)."""

import json
import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.cells.factories import make_meeting
from tests.conftest import PASSWORD, browser_login

pytestmark = pytest.mark.vietnamese

ADMIN_SCRIPTS = Path(django.contrib.admin.__file__).parent / "static" / "admin" / "js"
LITERAL = r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*\""""
CALL = re.compile(rf"\b(n?gettext|pgettext)\(\s*((?:(?:{LITERAL})\s*,?\s*)+)")


def strings_of_the_admin_scripts() -> set[str]:
    """Every msgid the admin's own scripts ask for, as catalog keys ("context\\x04msgid" for pgettext)."""
    keys = set()
    for script in ADMIN_SCRIPTS.glob("**/*.js"):
        if "vendor" in script.parts:
            continue
        for function, arguments in CALL.findall(script.read_text(encoding="utf-8")):
            literals = [re.sub(r"\\(.)", r"\1", s[1:-1]) for s in re.findall(LITERAL, arguments)]  # unescaped
            keys.add(f"{literals[0]}\x04{literals[1]}" if function == "pgettext" else literals[0])
    return keys


def served_catalog(client) -> dict:
    script = client.get(reverse("admin:jsi18n")).content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))


def test_every_string_of_the_admin_scripts_is_in_vietnamese(client, tree, auditor):
    client.force_login(auditor)
    catalog = served_catalog(client)
    wanted = strings_of_the_admin_scripts()
    assert {"Today", "Choose a Date", "%(sel)s of %(cnt)s selected", "abbrev. day Monday\x04Mon"} <= wanted
    missing = sorted(key for key in wanted if key not in catalog)
    assert not missing, f"add them to locale/vi/LC_MESSAGES/djangojs.po: {missing}"
    assert catalog["Today"] == "Hôm nay" and catalog["Hide"] == "Ẩn"
    assert catalog["%(sel)s of %(cnt)s selected"] == ["Đã chọn %(sel)s trên %(cnt)s"]
    untranslated = [key for key in wanted if catalog[key] == key.split("\x04")[-1]]
    assert not untranslated


@pytest.mark.browser
def test_the_calendar_and_the_selection_count_are_in_vietnamese(page, tree):
    get_user_model().objects.create_superuser("quantri", "quantri@example.org", PASSWORD)
    meetings = [make_meeting(tree.a1), make_meeting(tree.a2)]
    browser_login(page, "quantri")

    page.goto(page.base_url + reverse("admin:cells_organization_change", args=[tree.a.pk]))
    page.click("#calendarlink0")  # the calendar beside "founded"
    calendar = page.locator("#calendarbox0")
    caption = calendar.locator("caption").text_content()  # shown in capitals by the CSS
    assert re.fullmatch(r"Tháng [^\d]+ \d{4}", caption), caption
    assert calendar.locator("th").first.text_content() == "T2"  # weeks start on Monday
    assert "Hôm nay" in calendar.inner_text() and "Hủy" in calendar.inner_text()

    page.goto(page.base_url + reverse("admin:cells_meeting_changelist"))
    page.check(f"input.action-select[value='{meetings[0].pk}']")
    assert page.locator(".action-counter").inner_text().strip() == "Đã chọn 1 trên 2"
