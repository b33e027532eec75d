from django import template
from django.utils.html import format_html

from marketplace.glossary import explanation

register = template.Library()


@register.simple_tag
def explain(term: str) -> str:
    """A short muted line under a technical term, in everyday words."""
    return format_html('<span class="term-help">{}</span>', explanation(term))
