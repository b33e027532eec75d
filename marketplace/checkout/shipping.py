"""How orders are delivered: one way, by courier to the door, at the flat charge in settings.

The charge is shown on the basket, on the delivery step and on the confirm step, before
the order is placed (明码标价: no hidden fees).
"""

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping import methods
from oscar.apps.shipping.repository import Repository as OscarRepository
from oscar.core import prices


class CourierDelivery(methods.Base):
    code = "courier"
    name = _("快递送货上门")
    description = _("商家发货后，快递员把商品送到您填写的地址。")

    def calculate(self, basket):
        charge = Decimal(settings.SHIPPING_FLAT_CHARGE)
        return prices.Price(currency=basket.currency, excl_tax=charge, incl_tax=charge)


class Repository(OscarRepository):
    methods = (CourierDelivery(),)


def courier() -> CourierDelivery:
    return CourierDelivery()
