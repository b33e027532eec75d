from django import template

from marketplace.family.selectors import display_name

register = template.Library()


@register.filter
def person(user) -> str:
    """A Chinese name as written (family name first), else the e-mail address."""
    return display_name(user)
