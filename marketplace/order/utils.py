"""Order placement, with stock taken from lots by ``traceability.sale`` instead of stock records.

Oscar's ``OrderCreator`` allocates on ``StockRecord.num_allocated``; here lots are the one
truth for what is left, and ``traceability.sale.allocate`` (called by
``marketplace.checkout.placement.place_order`` in the same transaction) takes the units,
checks the sale rule on locked rows and records each line's lot.
"""

from django.db.models import F
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.apps.order.utils import OrderNumberGenerator  # noqa: F401 - re-exported for get_class
from oscar.core.loading import get_model

from marketplace import storefront_cache

ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")


class OrderCreator(OscarOrderCreator):
    def update_stock_records(self, line):
        """Stock is allocated from lots (``traceability.sale.allocate``), not stock records."""

    def record_discount(self, discount):
        """Count the offer's (and voucher's) use in SQL, not with ``save()``.

        Oscar saves the offer, which bumps the storefront version: during 敬老月 every order
        with the discount threw away every cached page. Its statistics show on no storefront
        page; only an offer this order used up does (its prices go), so that bumps. Only an
        offer capped in applications or in discount can be used up, so only such an offer's
        counts are read back. Counting with ``F()`` also keeps two orders placed at once from
        losing one count.
        """
        offer = discount["offer"]
        ConditionalOffer.objects.filter(pk=offer.pk).update(
            num_applications=F("num_applications") + discount["freq"],
            total_discount=F("total_discount") + discount["discount"],
            num_orders=F("num_orders") + 1)
        if offer.max_global_applications or offer.max_discount:
            offer.refresh_from_db(fields=["num_applications", "total_discount", "num_orders"])
            if not offer.is_available():
                storefront_cache.bump()
        if discount.get("voucher"):
            Voucher.objects.filter(pk=discount["voucher"].pk).update(
                total_discount=F("total_discount") + discount["discount"])

    def record_voucher_usage(self, order, voucher, user):
        """Oscar's, counted in SQL without ``save()`` (see ``record_discount``); a single-use
        voucher is used up by it."""
        voucher.applications.create(voucher=voucher, order=order, user=user if user.is_authenticated else None)
        Voucher.objects.filter(pk=voucher.pk).update(num_orders=F("num_orders") + 1)
        if voucher.usage == Voucher.SINGLE_USE:
            storefront_cache.bump()
