"""Placing an order: the one function every checkout path calls (web checkout, family
代付, tests, the concurrency benchmark).

One transaction: Oscar's ``OrderCreator`` writes the order, ``traceability.sale.allocate``
takes the units from the lots under row locks and re-checks the sale rule, and the payment
method is recorded. Any refusal rolls everything back and leaves the basket as it was.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_class

from marketplace.payments import methods
from traceability import sale

OrderCreator = get_class("order.utils", "OrderCreator")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")


class NotPlaced(Exception):
    """The order was not placed; ``message`` says why in plain words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def place_order(*, basket, user, shipping_address, shipping_method, payment_method: str, placed_by=None,
                request=None):
    """Place the basket as an order and return it, or raise ``NotPlaced``/``sale.NotAllocated``.

    ``user`` is the buyer (None or anonymous for a guest); ``placed_by`` the family member
    who placed it for them. The order's first status comes from the payment method.
    """
    if not methods.is_offered(payment_method):
        raise NotPlaced(_("这种付款方式现在不能用，请换一种付款方式。"))
    if basket.is_empty:
        raise NotPlaced(_("购物车是空的，请先挑选商品。"))
    shipping_charge = shipping_method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, shipping_charge)
    number = OrderNumberGenerator().order_number(basket)
    buyer = user if user is not None and user.is_authenticated else None
    extra = {}
    if placed_by is not None and getattr(placed_by, "is_authenticated", False):
        extra["placed_by"] = placed_by
    new_address = shipping_address is not None and shipping_address.pk is None
    try:
        order = _place(basket=basket, user=buyer, shipping_address=shipping_address,
                       shipping_method=shipping_method, shipping_charge=shipping_charge, total=total,
                       number=number, payment_method=payment_method, request=request, extra=extra)
    except Exception as error:
        if new_address:
            shipping_address.pk = None  # its insert was rolled back; a retry inserts it again
        if isinstance(error, sale.NotAllocated) and error.broken:
            sale.record_broken(error)
        raise
    return order


def _place(*, basket, user, shipping_address, shipping_method, shipping_charge, total, number, payment_method,
           request, extra):
    with transaction.atomic():
        if shipping_address is not None and shipping_address.pk is None:
            shipping_address.save()
        try:
            order = OrderCreator().place_order(
                basket=basket, total=total, shipping_method=shipping_method, shipping_charge=shipping_charge,
                user=user, shipping_address=shipping_address, order_number=number,
                status=methods.initial_order_status(payment_method), request=request, **extra,
            )
        except (UnableToPlaceOrder, ValueError) as error:
            raise NotPlaced(str(error)) from error
        sale.allocate(order=order)
        order.lines.update(status=order.status)
        methods.record_method(order=order, code=payment_method)
        basket.submit()
    return order
