"""Checkout steps read each product's sale status from the versioned cache
(``marketplace.partner.strategy.cached_sale_status``); anything that changes whether it sells
bumps a version, so the steps still refuse at once, and placing the order re-checks live."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from tests import factories
from tests.checkout.test_purchase import ADDRESS, add_to_basket
from traceability import availability, regulation
from traceability.models import Lot

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")


def _to_payment_step(client, product):
    add_to_basket(client, product)
    client.post(reverse("checkout:index"))
    assert client.post(reverse("checkout:shipping-address"), ADDRESS).status_code == 302
    assert client.post(reverse("checkout:shipping-method"), {"method_code": "courier"}).status_code == 302


def _lot_queries(client, path) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, [q["sql"] for q in queries.captured_queries if "traceability_lot" in q["sql"]]


def test_a_checkout_step_reads_no_lot_once_the_sale_status_is_known(client, walker):
    _to_payment_step(client, walker)
    status, lot_sql = _lot_queries(client, reverse("checkout:payment-method"))
    assert status == 200 and lot_sql == []


def test_a_suspension_refuses_at_the_next_step_all_the_same(client, walker):
    _to_payment_step(client, walker)
    regulation.suspend_lot(lot=Lot.objects.get(product=walker), reason="抽检不合格",
                           actor=factories.user(role="regulator"))
    response = client.get(reverse("checkout:payment-method"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert str(availability.REASON_LOT_SUSPENDED) in response.content.decode()


def test_units_sold_elsewhere_show_at_the_next_step(client, walker):
    add_to_basket(client, walker, 3)
    client.post(reverse("checkout:index"))
    assert client.post(reverse("checkout:shipping-address"), ADDRESS).status_code == 302
    Lot.objects.filter(product=walker).update(quantity=2)  # another shopper bought three of the five
    response = client.get(reverse("checkout:shipping-method"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert "最多只能买 2 件" in response.content.decode()
    assert not Order.objects.exists()
