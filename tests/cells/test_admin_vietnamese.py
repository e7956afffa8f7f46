"""The auditors' admin speaks Vietnamese: every page an auditor can open, on the demo's records, shows
none of the English words of the interface (Django's, django-auditlog's, django-axes', ours) and no raw
field name."""

import io
import re
from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from assessments.models import Classification
from assessments.services import ResultRow, classifications_write
from cells.access import admin_scope_filter
from cells.models import UserRole

pytestmark = pytest.mark.vietnamese

ENGLISH = [
    "Add", "Action", "Actions", "Username", "Logout", "Log out", "AUDIT LOG", "Audit log", "Periodic", "Clocked",
    "Solar", "Access attempts", "Access logs", "Django", "administration", "Home", "History", "View site",
    "Change password", "Welcome", "Filter", "Search", "Select", "Changes", "Created", "Updated", "Resource",
    "Correlation", "system", "View", "Yes", "No", "Unknown", "All", "Any date", "Today", "Past 7 days",
    "This month", "This year", "Show all", "results", "total", "Close", "Save", "Delete", "entries", "entry",
    "Toggle", "Skip to", "theme", "Recent actions", "My actions", "None available", "Field", "From", "To",
    "log entry", "Log entries", "timestamp", "Remote", "Previous", "Next", "First", "Last", "Date", "Time",
    "Staff status", "Superuser status", "Active", "Permissions", "Groups", "Personal info", "Important dates",
    "First name", "Last name", "Email address", "Password", "Go", "clear", "Clear all filters", "By ", "Axes",
]  # fmt: skip
RAW_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # members_total, minutes_scan, ...
WORDS = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w.strip()) for w in ENGLISH) + r")(?![\w-])")


class VisibleText(HTMLParser):
    """What a person reads on the page: text, titles, placeholders and button captions."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        values = dict(attrs)
        for name in ("title", "placeholder", "aria-label"):
            if values.get(name):
                self.parts.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def names_of_jobs() -> set[str]:
    """Commands and tasks are named as they are run (the actor of what they wrote): names, not words."""
    from celery import current_app
    from django.core.management import get_commands

    return set(get_commands()) | {part for name in current_app.tasks for part in name.split(".")}


def english_on(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    jobs, found = names_of_jobs(), []
    for part in parser.parts:
        found += [f"{m.group(0)!r} in {part[:80]!r}" for m in WORDS.finditer(part)]
        found += [
            f"raw name {m.group(0)!r} in {part[:80]!r}" for m in RAW_NAME.finditer(part) if m.group(0) not in jobs
        ]
    return found


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def pages(auditor):
    """Every admin page the auditor may open: the index, each app, each change list, the first object's
    page and both of its histories, and the change log with its filters."""
    yield reverse("admin:index")
    seen_apps = set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        request = type("R", (), {"user": auditor})()
        if not model_admin.has_view_permission(request):
            continue
        if opts.app_label not in seen_apps:
            seen_apps.add(opts.app_label)
            yield reverse("admin:app_list", args=[opts.app_label])
        yield reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        first = admin_scope_filter(model._default_manager.all(), auditor).order_by("pk").first()
        if first is None:
            continue
        for view in ("change", "history", "auditlog"):
            try:
                yield reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[first.pk])
            except NoReverseMatch:
                pass


def test_every_admin_page_an_auditor_opens_is_in_vietnamese(client, demo):
    auditor = UserRole.objects.get(role=UserRole.Role.AUDITOR).user
    staff = UserRole.objects.filter(role=UserRole.Role.STAFF).first()
    # A corrected result, so that change pages show a reason and values before and after.
    result = Classification.objects.filter(organization__kind="grassroots_committee").first()
    rows = [ResultRow(organization_id=result.organization_id, year=result.year, level="incomplete", reason="Phúc tra")]
    classifications_write(rows=rows, existing={(result.organization_id, result.year): result}, finalize=True,
                          user=staff.user)  # fmt: skip
    client.force_login(auditor)
    problems = {}
    visited = 0
    for url in pages(auditor):
        response = client.get(url)
        assert response.status_code == 200, url
        visited += 1
        found = english_on(response.content.decode())
        if found:
            problems[url] = found[:6]
    entry = LogEntry.objects.filter(content_type__model="classification", action=LogEntry.Action.UPDATE).last()
    for url in (
        reverse("admin:auditlog_logentry_change", args=[entry.pk]),
        reverse("admin:auditlog_logentry_changelist") + "?loai=1",
    ):
        found = english_on(client.get(url).content.decode())
        if found:
            problems[url] = found[:6]
    assert visited > 40
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())
