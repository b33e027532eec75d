from django import template

from catalog.sanitise import safe_html

register = template.Library()


@register.filter(name="clean_html")
def clean_html_filter(value):
    """``{{ product.description|clean_html }}``: merchant HTML through the allow-list."""
    return safe_html(value or "")
