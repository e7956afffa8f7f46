"""Every URL pattern of the project refuses a user of another unit.

New views are covered without anyone remembering to add a test: a pattern whose keyword
argument has no entry in an app's tests/<app>/outsiders.py makes this test fail.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.assessments.outsiders import OUTSIDER_KWARGS as ASSESSMENTS_KWARGS
from tests.cells.outsiders import OUTSIDER_KWARGS as CELLS_KWARGS
from tests.plans.outsiders import OUTSIDER_KWARGS as PLANS_KWARGS

OUTSIDER_KWARGS = {**CELLS_KWARGS, **ASSESSMENTS_KWARGS, **PLANS_KWARGS}

# Not part of the application: Django's own pages, guarded by their own rules.
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_NAMES = {"login", "logout", "set_language"}

# Names that only district D's subtree has; none may appear on a page charlie sees.
VICTIM_MARKERS = ["huyện Đông", "Gia Miễn", "Tân Mỹ", "Nặm Bao", "Bản Làn", "Pò Cại"]


def walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in EXEMPT_NAMESPACES:
                continue
            yield from walk(entry.url_patterns, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in EXEMPT_NAMES:
            yield f"{prefix}{entry.name}", list(entry.pattern.regex.groupindex)


ALL_PATTERNS = sorted(set((name, tuple(kwargs)) for name, kwargs in walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_views():
    names = {name for name, _ in ALL_PATTERNS}
    assert {"plans:home", "cells:tree", "cells:detail", "cells:search"} <= names


@pytest.mark.parametrize(("name", "kwarg_names"), ALL_PATTERNS, ids=[name for name, _ in ALL_PATTERNS])
def test_outsider_is_refused(client, tree, alice, charlie, name, kwarg_names):
    unknown = [k for k in kwarg_names if k not in OUTSIDER_KWARGS]
    assert not unknown, f"{name}: add {unknown} to tests/<app>/outsiders.py so this view's scope is tested"
    kwargs, names_an_object = {}, False
    for key in kwarg_names:
        factory, is_object = OUTSIDER_KWARGS[key]
        kwargs[key] = factory(tree)
        names_an_object |= is_object
    url = reverse(name, kwargs=kwargs)

    client.force_login(charlie)
    get = client.get(url)
    post = client.post(url, {})
    if names_an_object:
        assert get.status_code in (403, 404, 405), f"GET {url} answered {get.status_code} to an outsider"
        assert post.status_code in (403, 404, 405), f"POST {url} answered {post.status_code} to an outsider"
    else:
        for response in (get, post):
            assert response.status_code < 500, f"{url} failed: {response.status_code}"
            body = response.content.decode(errors="replace") if response.status_code == 200 else ""
            leaked = [marker for marker in VICTIM_MARKERS if marker in body]
            assert not leaked, f"{url} shows another unit's data to an outsider: {leaked}"
