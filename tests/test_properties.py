"""Property-based tests (hypothesis): whatever a user types into a form, a query string or a file,
the answer is never a server error and nothing is partly written.

Kept fast for CI: a modest number of examples per property and no deadline. The forms are
found on their pages (every input, select and textarea the page offers), so a field added
later is covered too.
"""

import datetime
import re
import string
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.imports import classifications_import
from assessments.models import Classification, ClassificationChange
from cells.importing import organizations_import
from cells.meeting_import import meetings_import
from cells.models import Absentee, Admission, AdmissionQuota, Meeting, Organization
from cells.params import clean_text, parse_code, parse_int, parse_year
from cells.tabular import TabularFileError, parse_date
from plans.models import Candidate, Plan, ProgressReport, Target, Task
from tests.cells.factories import make_admission, make_meeting
from tests.plans.factories import make_candidate, make_plan, make_task

FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PURE = settings(max_examples=300, deadline=None)

# Texts users and scanners send: ordinary, Vietnamese, digits of every script, control characters.
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=string.digits + "²³¹٣０-/.,;: ", max_size=12),
    st.sampled_from(["\x00", "²", "9" * 30, "-1", "0", "2018", "05/03/2018", "2018-03-05", "x" * 5000, "=1+1", ""]),
    st.text(alphabet="\x00\x07\x1b\t\r\nĐđâêôơưăÃãẠ ", max_size=20),
)


# ---------------------------------------------------------------- the parsers themselves


@PURE
@given(st.text())
def test_the_parsers_never_fail_and_keep_their_promises(text):
    number = parse_int(text)
    assert number is None or (0 <= number < 2**63 and text.strip().isascii())
    year = parse_year(text)
    assert year is None or 1900 <= year <= 2999
    code = parse_code(text)
    assert code is None or (code and "\x00" not in code and len(code) <= 64)
    cleaned = clean_text(text)
    assert "\x00" not in cleaned and len(cleaned) <= 200
    date = parse_date(text)
    assert date is None or 1900 <= date.year <= 2999


@PURE
@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2999, 12, 31)))
def test_every_date_reads_back_in_the_vietnamese_spellings(date):
    for text in (f"{date:%d/%m/%Y}", f"{date.day}/{date.month}/{date.year:04d}", date.isoformat(), f"{date:%d.%m.%Y}"):
        assert parse_date(text) == date


# ---------------------------------------------------------------- query parameters

QUERY_NAMES = ("q", "nam", "to-chuc", "page", "xuat", "level", "status", "hoan-thanh", "next", "run")
# Query parameters read elsewhere, and why they are not fuzzed here.
QUERY_EXEMPT = {"format": "the report downloads (plans/views/reports.py): an unknown format is tested there"}


@pytest.fixture
def world(tree, alice, standing):
    plan = make_plan(tree.a, 2018, lead=standing)
    return SimpleNamespace(
        tree=tree,
        alice=alice,
        standing=standing,
        plan=plan,
        task=make_task(plan, assignee=standing),
        meeting=make_meeting(tree.a1),
        admission=make_admission(tree.a1),
        selected=make_candidate(tree.b, 2018, decision=Candidate.Decision.SELECTED),
        pending=make_candidate(tree.b1, 2018),
    )


def list_urls(world):
    tree = world.tree
    return [
        reverse("cells:tree"),
        reverse("cells:search"),
        reverse("cells:detail", kwargs={"org_code": tree.a.code}),
        reverse("cells:meeting_list"),
        reverse("cells:meeting_create"),
        reverse("cells:meeting_compliance", kwargs={"org_code": tree.a.code, "year": 2018}),
        reverse("cells:admission_overview", kwargs={"org_code": tree.a.code, "year": 2018}),
        reverse("cells:watch_list", kwargs={"year": 2018}),
        reverse("assessments:year", kwargs={"org_code": tree.d.code, "year": 2018}),
        reverse("plans:candidates_year", kwargs={"year": 2018}),
        reverse("plans:candidates_export", kwargs={"year": 2018}),
        reverse("plans:consolidation"),
        reverse("plans:my_tasks"),
        reverse("plans:task_detail", args=[world.task.pk]),
        reverse("login"),
    ]


@FAST
@given(values=st.dictionaries(st.sampled_from(QUERY_NAMES), HOSTILE_TEXT, max_size=4), which=st.integers(0, 14))
def test_no_query_string_gives_a_server_error(client, world, values, which):
    client.force_login(world.alice)
    url = list_urls(world)[which]
    response = client.get(url, values)
    assert response.status_code < 500, (url, values)


# ---------------------------------------------------------------- every form

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"', re.IGNORECASE)
NOT_TYPED = {"csrfmiddlewaretoken", "once"}


def form_pages(world):
    """(page showing the form, address it posts to) for every form of the project."""
    tree, plan, task = world.tree, world.plan, world.task
    overview = reverse("cells:admission_overview", kwargs={"org_code": tree.a.code, "year": 2018})
    candidates = reverse("plans:candidates_year", kwargs={"year": 2019})
    return [
        (reverse("cells:meeting_create"), None),
        (reverse("cells:meeting_update", args=[world.meeting.pk]), None),
        (reverse("cells:admission_create"), None),
        (reverse("cells:admission_update", args=[world.admission.pk]), None),
        (overview, reverse("cells:admission_quotas", kwargs={"org_code": tree.a.code, "year": 2018})),
        (reverse("assessments:entry", kwargs={"org_code": tree.a.code, "year": 2018}), None),
        (reverse("plans:candidate_decide", args=[world.pending.pk]), None),
        (reverse("plans:candidate_select"), None),
        (reverse("plans:plan_create", args=[world.selected.pk]), None),
        (reverse("plans:plan_edit", args=[plan.pk]), None),
        (reverse("plans:detail", args=[plan.pk]), reverse("plans:plan_transition", args=[plan.pk])),
        (reverse("plans:task_create", args=[plan.pk]), None),
        (reverse("plans:task_edit", args=[task.pk]), None),
        (reverse("plans:task_detail", args=[task.pk]), reverse("plans:task_report", args=[task.pk])),
        (candidates, reverse("plans:candidates_schedule")),
        (reverse("account:password"), None),
        (reverse("account:setup"), None),
    ]


def query_names_in_the_source() -> set[str]:
    """Every query parameter a view reads: `request.GET.get("x")`, the `cells.params` helpers (with
    their default names) and the fields of forms bound to `request.GET`."""
    import ast
    import importlib
    from pathlib import Path

    names = {"nam", "to-chuc"}  # year_param's and code_param's defaults
    root = Path(__file__).resolve().parent.parent
    for label in ("cells", "assessments", "plans"):
        for path in (root / label).rglob("*.py"):
            if "migrations" in path.parts or path.name == "params.py":
                continue
            module = ".".join(path.relative_to(root).with_suffix("").parts)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                function = node.func
                called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
                reads_get = isinstance(function, ast.Attribute) and "GET" in ast.unparse(function.value)
                strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if (reads_get and called in ("get", "getlist")) or called.endswith("_param"):
                    names.update(strings[:1])
                if any("request.GET" in ast.unparse(a) for a in node.args) and called.endswith("Form"):
                    form = getattr(importlib.import_module(module), called, None)
                    names.update(getattr(form, "base_fields", {}))
    return names


def test_every_query_parameter_a_view_reads_is_fuzzed():
    read = query_names_in_the_source()
    assert {"q", "page", "level", "status"} <= read  # the search finds them
    assert read - set(QUERY_NAMES) - set(QUERY_EXEMPT) == set()


def posting_views() -> set[str]:
    """`namespace:name` of every URL of the project whose view accepts a post."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "view_class", None)
                if (
                    view is not None
                    and hasattr(view, "post")
                    and pattern.callback.__module__.split(".")[0]
                    in (
                        "cells",
                        "assessments",
                        "plans",
                    )
                ):
                    found.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return found


# Posting views whose forms are not fuzzed above, and where their bad input is tested instead.
POSTS_ELSEWHERE = {
    "cells:import": "a file upload: the importer properties below and tests/cells/test_hostile_files.py",
    "plans:candidates_run": "a button without fields (tests/test_runs_faults.py)",
    "assessments:import": "a file upload: tests/assessments/test_classification_import_view.py (NUL, encodings)",
    "cells:meeting_import": "a file upload: tests/cells/test_meeting_import_view.py and the importer properties below",
    "plans:report": "a button recording a report run, its format from fixed choices: tests/cells/test_report_runs.py",
    "plans:candidates_export": "a button recording a report run: tests/cells/test_report_runs.py",
    "cells:meeting_compliance": "a button recording a report run: tests/cells/test_report_runs.py",
    "plans:plan_pdf": "a button recording a long plan's PDF run: tests/plans/test_plan_pdf_long.py",
    "account:verify": "a sign-in step with a code: tests/cells/test_two_factor.py (wrong codes, throttling)",
    "account:recovery": "a sign-in step with a code: tests/cells/test_two_factor.py (a code works once)",
}


def test_every_form_of_the_project_is_fuzzed(world):
    from django.urls import resolve

    fuzzed = set()
    for page, action in form_pages(world):
        match = resolve(action or page)
        fuzzed.add(f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name)
    posting = posting_views()
    assert set(POSTS_ELSEWHERE) <= posting  # the list stays true
    assert posting - fuzzed - set(POSTS_ELSEWHERE) == set()


def snapshot():
    models = (Organization, Meeting, Absentee, Admission, AdmissionQuota, Classification, ClassificationChange)
    models += (Candidate, Plan, Target, Task, ProgressReport)
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


@pytest.fixture
def forms(client, world):
    """Each form's post address and the names of its fields, read from its page."""
    client.force_login(world.alice)
    found = []
    for page, action in form_pages(world):
        body = client.get(page).content.decode()
        names = sorted(set(FIELD.findall(body)) - NOT_TYPED)
        assert names, f"no form found on {page}"
        found.append((action or page, names))
    return found


@FAST
@given(data=st.data())
def test_no_form_input_gives_a_server_error_or_a_partial_write(client, world, forms, data):
    action, names = data.draw(st.sampled_from(forms))
    values = data.draw(st.fixed_dictionaries({}, optional={name: HOSTILE_TEXT for name in names}))
    before = snapshot()
    response = client.post(action, values)
    assert response.status_code < 500, (action, values)
    if response.status_code != 302:  # refused: the form says why, and the database is as it was
        assert snapshot() == before, (action, values)


# ---------------------------------------------------------------- every importer

CELL = st.one_of(HOSTILE_TEXT, st.sampled_from(["D-A", "D-A-1", "D-A-9", "Chi bộ trực thuộc", "good", "regular", "20"]))
IMPORTERS = {
    "organizations": (("code", "name", "kind", "parent_code", "sector"), lambda path: organizations_import(path=path)),
    "classifications": (("code", "year", "level", "score", "note"), lambda path: classifications_import(path=path)),
    "meetings": (
        ("cell_code", "date", "kind", "members_total", "members_present", "duration_minutes", "topic"),
        lambda path: meetings_import(path=path),
    ),
}


def csv_text(header, rows, delimiter):
    def quoted(value):
        return '"' + value.replace('"', '""') + '"'

    return "\n".join(delimiter.join(quoted(value) for value in row) for row in [header, *rows]) + "\n"


@FAST
@given(
    kind=st.sampled_from(sorted(IMPORTERS)),
    rows=st.lists(st.lists(CELL, min_size=7, max_size=7), min_size=1, max_size=4),
    delimiter=st.sampled_from([",", ";"]),
    bom=st.booleans(),
)
def test_no_file_of_rows_breaks_an_importer_or_writes_part_of_itself(
    world, tmp_path_factory, kind, rows, delimiter, bom
):
    header, run = IMPORTERS[kind]
    path = tmp_path_factory.mktemp("import") / f"{kind}.csv"
    path.write_bytes(
        ("\ufeff" if bom else "").encode() + csv_text(header, [r[: len(header)] for r in rows], delimiter).encode()
    )
    before = snapshot()
    try:
        result = run(path)
    except TabularFileError:
        result = None
    if result is None or result.errors:
        assert snapshot() == before


@FAST
@given(
    content=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".xlsx"]), kind=st.sampled_from(sorted(IMPORTERS))
)
def test_any_bytes_are_read_or_refused_with_a_message(world, tmp_path_factory, content, suffix, kind):
    header, run = IMPORTERS[kind]
    path = tmp_path_factory.mktemp("bytes") / f"file{suffix}"
    path.write_bytes(",".join(header).encode() + b"\n" + content if suffix == ".csv" else b"PK\x03\x04" + content)
    before = snapshot()
    try:
        result = run(path)
    except TabularFileError as refusal:
        assert str(refusal)
        result = None
    if result is None or result.errors:
        assert snapshot() == before
