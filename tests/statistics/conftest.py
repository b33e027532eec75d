"""Hand-built orders for the statistics tests, placed at exact Beijing times.

Orders and lines are written directly (not through checkout) so each test controls the
moment, status and price of every line; the figures they must add up to are worked out by
hand in the tests.
"""

import itertools
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from oscar.core.loading import get_model

from tests import factories

Order = get_model("order", "Order")
Line = get_model("order", "Line")
ReturnRequest = get_model("order", "ReturnRequest")

SHANGHAI = ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(500001)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def order(*, at: datetime, status: str, lines, user=None):
    """An order placed at ``at`` with ``lines`` [(product, quantity, line price, line status), ...]."""
    total = sum((price for _p, _q, price, *_ in lines), Decimal("0.00"))
    placed = Order.objects.create(number=str(next(_numbers)), currency="CNY", total_incl_tax=total,
                                  total_excl_tax=total, shipping_incl_tax=Decimal("0.00"),
                                  shipping_excl_tax=Decimal("0.00"), status=status, date_placed=at, user=user)
    for product, quantity, price, *rest in lines:
        record = product.stockrecords.first()
        Line.objects.create(
            order=placed, partner=record.partner, partner_name=record.partner.name, partner_sku=record.partner_sku,
            stockrecord=record, product=product, title=product.title, quantity=quantity,
            line_price_incl_tax=price, line_price_excl_tax=price, line_price_before_discounts_incl_tax=price,
            line_price_before_discounts_excl_tax=price, unit_price_incl_tax=price / quantity,
            unit_price_excl_tax=price / quantity, num_allocated=quantity, status=rest[0] if rest else status)
    return placed


def return_request(*, line, at: datetime, status: str, refund=None):
    made = ReturnRequest.objects.create(line=line, status=status, refund_amount=refund)
    ReturnRequest.objects.filter(pk=made.pk).update(requested_at=at)
    return made


@pytest.fixture
def shop(db):
    """Two merchants, two categories, two origin counties and one product without an origin."""
    ginseng, aids = factories.category(name="人参"), factories.category(name="助行器")
    a, b = factories.merchant(name="甲参业"), factories.merchant(name="乙辅具")
    root = factories.product(merchant_=a, title="生晒参", product_class="ginseng", category=ginseng,
                             origin_region="吉林省白山市抚松县")
    red = factories.product(merchant_=a, title="红参", product_class="ginseng", category=ginseng,
                            origin_region="吉林省通化市集安市")
    cane = factories.product(merchant_=b, title="手杖", category=aids)
    return {"a": a, "b": b, "root": root, "red": red, "cane": cane, "ginseng": ginseng, "aids": aids}
