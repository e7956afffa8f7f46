"""The menu marks the page the user is on (aria-current="page", styled in vanlang.css)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


def is_current(path: str, url: str) -> bool:
    """The page itself, or a page under it ("/ung-vien/2019/" under "/ung-vien/"); "/" only itself."""
    return path == url or (url != "/" and path.startswith(url))


@register.simple_tag(takes_context=True)
def current(context, url: str, *more: str):
    """` aria-current="page"` when the request's path is `url` or under it (or under any of `more`)."""
    request = context.get("request")
    path = getattr(request, "path", "")
    if any(is_current(path, u) for u in (url, *more) if u):
        return mark_safe(' aria-current="page"')
    return ""


@register.simple_tag(takes_context=True)
def section_active(context, *urls: str):
    """` active` for a dropdown whose item is the current page: the toggle shows where the user is."""
    request = context.get("request")
    path = getattr(request, "path", "")
    return format_html("{}", " active") if any(is_current(path, u) for u in urls if u) else ""
