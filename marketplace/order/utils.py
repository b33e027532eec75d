"""Order placement that records, on each line, the lot it was sold from.

The lot is chosen and checked again at the moment the order is placed: a lot that was
suspended, recalled or found broken since the shopper filled the basket stops the order.
"""

from oscar.apps.order import exceptions
from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.apps.order.utils import OrderNumberGenerator  # noqa: F401 - re-exported for get_class

from traceability.availability import sale_status
from traceability.chain import verify_and_record


class OrderCreator(OscarOrderCreator):
    def create_line_models(self, order, basket_line, extra_line_fields=None):
        status = sale_status(basket_line.product)
        if status.can_sell and not verify_and_record(status.lot).intact:
            status = sale_status(basket_line.product)
        if not status.can_sell:
            raise exceptions.UnableToPlaceOrder(f"{basket_line.product.get_title()}：{status.reason}")
        extra_line_fields = dict(extra_line_fields or {}, lot=status.lot)
        return super().create_line_models(order, basket_line, extra_line_fields)
