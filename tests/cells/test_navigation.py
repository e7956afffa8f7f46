"""The menu marks the page the user is on, for screen readers (aria-current) and by its look."""

import re

from django.urls import reverse


def current_links(body: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]+)"[^>]*aria-current="page"', body)


def test_the_current_menu_item_is_marked(client, tree, alice):
    client.force_login(alice)
    assert current_links(client.get(reverse("plans:home")).content.decode()) == [reverse("plans:home")]
    assert current_links(client.get(reverse("cells:tree")).content.decode()) == [reverse("cells:tree")]
    # A page under a menu entry marks that entry, and its dropdown shows it is the active one.
    body = client.get(reverse("plans:candidates_year", kwargs={"year": 2019})).content.decode()
    assert current_links(body) == [reverse("plans:candidates")]
    assert 'class="nav-link dropdown-toggle active"' in body


def test_the_mark_is_visible_without_colour():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/vanlang.css").read_text()
    rule = css.split('[aria-current="page"]')[-1].split("}")[0]
    assert "text-decoration: underline" in rule and "font-weight: 700" in rule
