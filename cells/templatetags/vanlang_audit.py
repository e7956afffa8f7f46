"""A change-log entry as an inspector reads it (the admin's history pages)."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from cells.audit import RelatedNames, action_label, actor_text, change_rows, entry_reason

register = template.Library()


@register.simple_tag
def audit_time(entry):
    return date_format(timezone.localtime(entry.timestamp), "d/m/Y H:i:s")


@register.simple_tag
def audit_action(entry):
    return action_label(entry)


@register.simple_tag
def audit_actor(entry):
    return actor_text(entry)


@register.simple_tag
def audit_reason(entry):
    return entry_reason(entry)


@register.simple_tag
def audit_related_names(entries):
    """The names of what a page of entries refers to, read once for the page."""
    return RelatedNames(list(entries))


@register.simple_tag
def audit_changes(entry, names=None):
    return render_to_string("admin/_vanlang_changes.html", {"rows": change_rows(entry, names=names)})
