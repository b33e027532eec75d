"""Order placement, with stock taken from lots by ``traceability.sale`` instead of stock records.

Oscar's ``OrderCreator`` allocates on ``StockRecord.num_allocated``; here lots are the one
truth for what is left, and ``traceability.sale.allocate`` (called by
``marketplace.checkout.placement.place_order`` in the same transaction) takes the units,
checks the sale rule on locked rows and records each line's lot.
"""

from oscar.apps.order.utils import OrderCreator as OscarOrderCreator
from oscar.apps.order.utils import OrderNumberGenerator  # noqa: F401 - re-exported for get_class


class OrderCreator(OscarOrderCreator):
    def update_stock_records(self, line):
        """Stock is allocated from lots (``traceability.sale.allocate``), not stock records."""
