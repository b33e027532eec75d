"""``{% product_card product %}``: a loaded product's card (catalog.cards), priced by the request's strategy."""

from django import template
from oscar.core.loading import get_class

from catalog.cards import card_for, render_card

register = template.Library()


@register.simple_tag(takes_context=True)
def product_card(context, product):
    request = context.get("request")
    strategy = getattr(request, "strategy", None) or get_class("partner.strategy", "Selector")().strategy(
        request=request)
    return render_card(card_for(product, strategy))
