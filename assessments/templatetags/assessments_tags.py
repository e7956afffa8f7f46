from django import template
from django.utils.formats import number_format

from assessments import rules

register = template.Library()

LEVEL_CLASSES = {
    "excellent": "text-bg-success",
    "good": "text-bg-primary",
    "complete": "text-bg-warning",
    "incomplete": "text-bg-danger",
}


@register.filter
def percent(value):
    """92.45 → "92,45%" in Vietnamese, "92.45%" in English; "—" when there is nothing to count."""
    if value is None or value == "":
        return "—"
    return f"{number_format(value, decimal_pos=2, use_l10n=True)}%"


@register.filter
def level_class(level):
    return LEVEL_CLASSES.get(str(level), "text-bg-secondary")


@register.filter
def level_label(level, year):
    """`{{ level|level_label:year }}`: the level in the words of that year's rule set."""
    try:
        return rules.level_label(level, int(year))
    except (TypeError, ValueError):
        return ""
