from django import template

from marketplace.claims.statements import mandatory_statements

register = template.Library()


@register.simple_tag
def product_notices(product):
    """The statements the law requires for this product (``statements.py``)."""
    return mandatory_statements(product=product)
