"""``{% product_card product %}``: a loaded product's card (catalog.cards), priced by the
request's strategy; ``product|badges``: its live catalogue listings as the card shows them."""

from django import template

from catalog.cards import badges_of, card_for, render_card
from marketplace.partner.strategy import strategy_for

register = template.Library()


@register.simple_tag(takes_context=True)
def product_card(context, product):
    return render_card(card_for(product, strategy_for(context.get("request"))))


@register.filter
def badges(product):
    return badges_of(product)
