"""Order placement that records, on each line, the lot it was sold from.

The lots are chosen and their chains verified again, live, at the moment the order is
placed: a lot suspended, recalled or found broken since the shopper filled the basket
stops the order. Statuses and chains are loaded for the whole basket at once.
"""

from oscar.apps.order import exceptions
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.apps.order.utils import OrderNumberGenerator  # noqa: F401 - re-exported for get_class

from traceability.availability import SaleStatus, sale_status_for
from traceability.verification import verify_all


def sale_statuses_verified(product_ids) -> dict[int, SaleStatus]:
    """Sale status per product, after re-verifying the chain of every lot to be sold from."""
    statuses = sale_status_for(product_ids)
    lots = {status.lot.code for status in statuses.values() if status.can_sell}
    if lots and not all(report.intact for report in verify_all(sorted(lots))):
        statuses = sale_status_for(product_ids)  # a broken lot is now recorded as such
    return statuses


class OrderCreator(OscarOrderCreator):
    def place_order(self, basket, *args, **kwargs):
        self._statuses = sale_statuses_verified([line.product_id for line in basket.all_lines()])
        return super().place_order(basket, *args, **kwargs)

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        status = getattr(self, "_statuses", {}).get(basket_line.product_id) or sale_statuses_verified(
            [basket_line.product_id]
        )[basket_line.product_id]
        if not status.can_sell:
            raise exceptions.UnableToPlaceOrder(f"{basket_line.product.get_title()}：{status.reason}")
        extra_line_fields = dict(extra_line_fields or {}, lot=status.lot)
        return super().create_line_models(order, basket_line, extra_line_fields)
