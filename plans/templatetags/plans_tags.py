from django import template

from plans.people import person_name

register = template.Library()


@register.filter
def person(user) -> str:
    """ "Bế Thị Vẫn", not Django's "Vẫn Bế Thị"."""
    return person_name(user)
