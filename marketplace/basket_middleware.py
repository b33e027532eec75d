"""Oscar's basket middleware, reading the basket's lines and vouchers once.

Oscar asks ``basket.is_empty`` before applying offers, which counts the lines in SQL, then
loads them to apply the offers, and the basket page and checkout count them again. Here the
lines are loaded first; every later count is answered from them. The basket's vouchers are
read with it: applying offers, the basket page and placing the order each asked again.
"""

from django.db.models import prefetch_related_objects
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware
from oscar.core.loading import get_class

Applicator = get_class("offer.applicator", "Applicator")


class BasketMiddleware(OscarBasketMiddleware):
    def get_basket(self, request):
        basket = super().get_basket(request)
        if basket.id is not None and "vouchers" not in getattr(basket, "_prefetched_objects_cache", {}):
            # Adding or removing a voucher drops this copy (Django's m2m managers do).
            prefetch_related_objects([basket], "vouchers")
        return basket

    def apply_offers_to_basket(self, request, basket):
        if basket.id is not None and len(basket.all_lines()):
            Applicator().apply(basket, request.user, request)
