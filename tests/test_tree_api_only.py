"""Scope and life span are written once, in the tree API (`cells/models/tree.py`).

A module that filters on the path or on the life-span fields by hand is how "active in year Y"
came to be written six ways that disagreed: this search of the source fails on the next one.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["cells", "assessments", "plans", "vanlang"]
# The tree API itself, and the model whose constraints state the life span's own rules.
ALLOWED = {Path("cells/models/tree.py"), Path("cells/models/organizations.py")}
RAW_FILTER = re.compile(r"(?<![A-Za-z0-9])(path|founded|dissolved)__[a-z]")


def raw_filters():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if RAW_FILTER.search(line):
                    yield f"{relative}:{number}: {line.strip()}"


def test_no_module_filters_on_the_path_or_the_life_span_by_hand():
    found = list(raw_filters())
    assert not found, "use Organization.objects.within()/active_in()/active_on() instead:\n" + "\n".join(found)


def test_the_search_finds_a_raw_filter():
    """The guard itself works: a line like the ones it replaced is found."""
    assert RAW_FILTER.search("Meeting.objects.filter(organization__path__startswith=unit.path)")
    assert RAW_FILTER.search("Q(dissolved__isnull=True) | Q(dissolved__gte=first)")
    assert not RAW_FILTER.search('Organization.objects.within(unit).active_in(2020).order_by("path")')
