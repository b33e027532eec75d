"""Oscar's basket middleware, reading the basket's lines once.

Oscar asks ``basket.is_empty`` before applying offers, which counts the lines in SQL, then
loads them to apply the offers, and the basket page and checkout count them again. Here the
lines are loaded first; every later count is answered from them.
"""

from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware
from oscar.core.loading import get_class

Applicator = get_class("offer.applicator", "Applicator")


class BasketMiddleware(OscarBasketMiddleware):
    def apply_offers_to_basket(self, request, basket):
        if basket.id is not None and len(basket.all_lines()):
            Applicator().apply(basket, request.user, request)
