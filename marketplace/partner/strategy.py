"""Oscar's pricing and availability strategy, with traceability in front of stock.

Oscar asks the strategy whether a product can be bought on the product page, on
basket-add and again in checkout, so the traceability rule lives here once. Prices in
China include VAT, so the price shown is the price paid (NoTax).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import availability, strategy
from oscar.core.loading import get_model

from marketplace import storefront_cache
from traceability.availability import REASON_SOLD_OUT, SaleStatus
from traceability.sale import check as sale_check
from traceability.sale import units_left

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")


class NotTraceable(availability.Base):
    """A product that traceability rules keep off sale, with the reason in plain words."""

    code = "unavailable"

    def __init__(self, reason: str):
        self.reason = reason
        self.message = reason

    @property
    def short_message(self):
        return _("暂不能购买")

    def is_purchase_permitted(self, quantity):
        return False, self.reason


class LotStock(availability.StockRequired):
    """Units left in the product's current lot: the same number ``traceability.sale`` allocates from."""

    def is_purchase_permitted(self, quantity):
        if self.num_available <= 0:
            return False, str(REASON_SOLD_OUT)
        if quantity > self.num_available:
            return False, _("这件商品现在只剩 %(left)s 件，最多只能买 %(left)s 件。") % {"left": self.num_available}
        return True, ""

    @property
    def short_message(self):
        return _("有货") if self.num_available > 0 else _("已卖完")

    @property
    def message(self):
        # No "only N left": a dwindling count is a pressure tactic (DOMAIN.md §3, SAMR 2025).
        return _("有货") if self.num_available > 0 else str(REASON_SOLD_OUT)


def cached_sale_status(product_ids) -> dict[int, SaleStatus]:
    """Each product's sale status, kept under its own version and the storefront's.

    A sale, a suspension, a recall, an exit, a new lot or a trace event bumps one of them, so
    the answer is as live as the product page (other workers within
    ``storefront_cache.LOCAL_SECONDS``); expiry and commitments starting are by the day, which
    the key carries. Basket pages and checkout steps are answered from here; placing an order
    re-checks on locked rows (``traceability.sale.allocate``), so a stale answer can at worst
    send the shopper back from the last step with the reason.
    """
    product_ids = list(dict.fromkeys(product_ids))
    versions = storefront_cache.product_versions(product_ids)
    today = timezone.localdate()
    return storefront_cache.get_or_build_many(
        "sale-status", {pk: [pk, versions[pk], today] for pk in product_ids},
        lambda missing: sale_check(product_ids=missing))


def product_classes() -> dict:
    """The product classes by id, read once per storefront version (saving one bumps it)."""
    return storefront_cache.get_or_build(
        "product-classes", [], lambda: {cls.pk: cls for cls in ProductClass.objects.all()}, remember=True)


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return TraceableStrategy(request)


def strategy_for(request):
    """The request's strategy (Oscar's middleware sets it), or a new one where there is none
    (a page rendered outside a request, a cached fragment built from a command)."""
    return getattr(request, "strategy", None) or Selector().strategy(request=request)


class TraceableStrategy(strategy.Default):
    """Loads sale status in bulk and remembers it for the request."""

    def __init__(self, request=None):
        super().__init__(request)
        self._statuses: dict[int, SaleStatus] = {}
        self._classes = None

    def preload(self, product_ids) -> None:
        missing = [pk for pk in product_ids if pk not in self._statuses]
        if missing:
            self._statuses.update(cached_sale_status(missing))

    def status_for(self, product) -> SaleStatus:
        if product.pk not in self._statuses:
            self.preload([product.pk])
        return self._statuses[product.pk]

    def fetch_for_line(self, line, stockrecord=None):
        if line.product_id not in self._statuses and line.basket_id:
            # Every line of the basket at once instead of one query per line: from the lines
            # the basket has loaded (the basket middleware loads them first), else their ids.
            lines = line.basket.all_lines()
            if getattr(lines, "_result_cache", None) is not None:
                self.preload([each.product_id for each in lines])
            else:
                self.preload(list(line.basket.lines.values_list("product_id", flat=True)))
        self._attach_product_class(line.product)
        return self.fetch_for_product(line.product, stockrecord or line.stockrecord)

    def _attach_product_class(self, product) -> None:
        """Basket lines load their product without its class; there are only a handful of classes."""
        if product.product_class_id is None or Product.product_class.is_cached(product):
            return
        if self._classes is None:
            self._classes = product_classes()
        if product.product_class_id in self._classes:
            Product.product_class.field.set_cached_value(product, self._classes[product.product_class_id])

    def availability_policy(self, product, stockrecord):
        status = self.status_for(product)
        if not status.can_sell:
            return NotTraceable(status.reason)
        if stockrecord is None:
            return availability.Unavailable()
        return LotStock(units_left(status))
