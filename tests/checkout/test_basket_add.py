"""Basket-add: one transaction, a plain message, counted off the database, and a cost that
does not grow with the basket."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.analytics.models import ProductRecord
from oscar.core.loading import get_model

from marketplace.view_counts import flush_view_counts
from tests import factories
from traceability import regulation
from traceability.models import Lot

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")


def _add(client, product, quantity=1):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("basket:add", args=[product.pk]), {"quantity": quantity})
    assert response.status_code == 302
    return response, len(queries)


def test_the_shopper_is_told_plainly_what_was_added_and_not_pushed_to_pay(client):
    product = factories.sellable_product(title="老年助行器")
    response, _ = _add(client, product, 2)
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == ["已把「老年助行器」2件放进购物车。"]
    assert Basket.objects.get().all_lines()[0].quantity == 2


def test_adding_costs_the_same_queries_with_one_line_or_five(client):
    products = [factories.sellable_product() for _ in range(6)]
    _add(client, products[0])
    _, second = _add(client, products[1])
    for product in products[2:5]:
        _add(client, product)
    _, sixth = _add(client, products[5])
    assert Basket.objects.get().num_lines == 6
    assert sixth == second


def test_additions_are_counted_in_the_cache_and_written_once_by_the_flush(client):
    product = factories.sellable_product()
    for _ in range(3):
        _add(client, product)
    assert not ProductRecord.objects.filter(product=product).exists()  # no write on the request
    client.get(product.get_absolute_url())
    assert flush_view_counts() == 1
    record = ProductRecord.objects.get(product=product)
    assert (record.num_basket_additions, record.num_views) == (3, 1)
    assert flush_view_counts() == 0


def test_a_refused_add_saves_no_line(client):
    product = factories.sellable_product()
    regulation.suspend_lot(lot=Lot.objects.get(product=product), reason="抽检不合格",
                           actor=factories.user(role="regulator"))
    response, _ = _add(client, product)
    assert not Basket.objects.filter(lines__isnull=False).exists()
    assert any("暂停" in str(message) for message in get_messages(response.wsgi_request))
