"""No address, query or form value answers a server error, whatever a user or a scanner sends.

Walks every URL pattern of the project as a user who may do everything in district D, and
puts hostile values in each path argument, each query parameter the views read and the form
fields they read by hand: a NUL byte (PostgreSQL refuses it in a text), "²" (a digit to
`str.isdigit()`, not to `int()`), a number beyond any integer column, a very long text, an
undecodable byte. CI runs this against PostgreSQL, where a NUL that reaches a query fails.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.test_every_url_is_scoped import EXEMPT_NAMES, EXEMPT_NAMESPACES, OUTSIDER_KWARGS

HOSTILE = {
    "nul": "%00",
    "superscript two": quote("²"),
    "huge number": "9" * 40,
    "long text": "x" * 3000,
    "undecodable byte": "%ff",
    "control character": "D-A%07",
}
# What views read from the query string (and a few form fields they parse by hand).
QUERY_NAMES = ("q", "nam", "to-chuc", "page", "xuat", "level", "status", "next")
FORM_NAMES = ("token", "to", "version", "next_year", "confirm_warnings", "action", "quota_1", "next", "code")


def routes(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in EXEMPT_NAMES:
            yield entry.name, prefix + str(entry.pattern)


ROUTES = sorted(set(routes(get_resolver().url_patterns)))
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")


def fill(route: str, values: dict) -> str:
    return "/" + ARGUMENT.sub(lambda match: values[match.group(1)], route)


@pytest.fixture
def valid_arguments(tree):
    """Real values for alice (staff of D): OUTSIDER_KWARGS point into district D."""
    made = {}

    def values(names):
        for name in names:
            if name not in made:
                made[name] = quote(str(OUTSIDER_KWARGS[name][0](tree)))
        return {name: made[name] for name in names}

    return values


def answer(client, method, url, data=None):
    response = getattr(client, method)(url, data or {})
    assert response.status_code < 500, f"{method.upper()} {url[:200]} answered {response.status_code}"
    return response


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[name for name, _ in ROUTES])
def test_hostile_values_never_answer_a_server_error(client, tree, alice, valid_arguments, name, route):
    client.force_login(alice)
    names = ARGUMENT.findall(route)
    # In each path argument: a value no converter accepts is not found; none fails.
    for argument in names:
        for value in HOSTILE.values():
            url = fill(route, {**valid_arguments(names), argument: value})
            for method in ("get", "post"):
                response = answer(client, method, url)
                if value in ("%00", "%ff") or argument.endswith("_id") and value != "%00":
                    assert response.status_code in (403, 404, 405), f"{url[:200]}: {response.status_code}"
    # In every query parameter the views read, and the form fields they parse by hand.
    url = fill(route, valid_arguments(names))
    for value in HOSTILE.values():
        query = "&".join(f"{key}={value}" for key in QUERY_NAMES)
        answer(client, "get", f"{url}?{query}")
        answer(client, "post", f"{url}?{query}", {key: value for key in FORM_NAMES})


@pytest.mark.parametrize(
    "url",
    ["/to-chuc/%00/", "/tim-kiem/?q=%00", "/xep-loai/%00/2024/", "/sinh-hoat/?to-chuc=%00", "/to-chuc/D-A%00/nhanh/"],
)
def test_a_nul_is_not_found(client, alice, url):
    client.force_login(alice)
    assert client.get(url).status_code in (200, 404)


def test_a_unicode_digit_is_no_year(client, alice):
    client.force_login(alice)
    assert client.get("/sinh-hoat/?nam=²").status_code == 200
    assert client.get(f"/theo-doi/{quote('²²²²')}/").status_code == 404
    assert client.get("/xep-loai/D-A/0999/").status_code == 404


def test_a_quota_of_superscript_two_is_refused_and_nothing_is_saved(client, tree, alice):
    from cells.models import AdmissionQuota

    client.force_login(alice)
    url = reverse("cells:admission_quotas", kwargs={"org_code": tree.a.code, "year": 2018})
    response = client.post(url, {f"quota_{tree.a1.pk}": "²", f"quota_{tree.a2.pk}": "3"}, follow=True)
    assert response.status_code == 200 and "is not. Nothing was saved." in response.content.decode()
    assert not AdmissionQuota.objects.exists()
    client.post(url, {f"quota_{tree.a1.pk}": "2", f"quota_{tree.a2.pk}": "3"})
    assert sorted(AdmissionQuota.objects.values_list("quota", flat=True)) == [2, 3]


def test_the_schedule_form_with_a_unicode_digit_year_goes_back_to_the_candidates(client, alice):
    client.force_login(alice)
    response = client.post(reverse("plans:candidates_schedule"), {"next_year": "２０１９", "frequency": "x"})
    assert response.status_code == 302 and response.url == reverse("plans:candidates")
