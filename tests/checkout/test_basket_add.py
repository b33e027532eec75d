"""Basket-add: one transaction, a plain message, counted off the database, and a cost that
does not grow with the basket."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signing import Signer
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.analytics.models import ProductRecord
from oscar.core.loading import get_model

from marketplace.checkout.placement import place_order
from marketplace.checkout.shipping import courier
from marketplace.view_counts import flush_view_counts
from tests import factories
from traceability import regulation
from traceability.models import Lot

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")


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


# --- The lean path: what it still refuses, and what it no longer reads -----------------------

def _said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def _lines(product):
    return list(Line.objects.filter(product=product).values_list("basket_id", "quantity"))


def test_a_warm_add_reads_nothing_and_writes_the_basket_and_line_only(client):
    product = factories.sellable_product()
    _add(client, product)  # fills the product's basket-add entry
    client.cookies.clear()
    with CaptureQueriesContext(connection) as new_visitor:
        client.post(reverse("basket:add", args=[product.pk]), {"quantity": 1})
    with CaptureQueriesContext(connection) as same_visitor:
        client.post(reverse("basket:add", args=[product.pk]), {"quantity": 1})
    statements = [query["sql"].split()[0] for query in new_visitor.captured_queries]
    assert "SELECT" not in statements
    assert [query["sql"].split()[0] for query in same_visitor.captured_queries if
            query["sql"].split()[0] not in ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "SET")] == ["INSERT"]
    assert sorted(quantity for _, quantity in _lines(product)) == [1, 2]


def test_a_suspension_refuses_the_very_next_add_even_with_the_entry_warm(client):
    product = factories.sellable_product()
    _add(client, product)
    regulation.suspend_lot(lot=Lot.objects.get(product=product), reason="抽检不合格",
                           actor=factories.user(role="regulator"))
    response, _ = _add(client, product)
    assert any("暂停" in message for message in _said(response))
    assert _lines(product)[0][1] == 1


def test_a_sale_elsewhere_lowers_what_the_next_add_may_take(client, django_capture_on_commit_callbacks):
    product = factories.sellable_product()
    lot = Lot.objects.get(product=product)
    _add(client, product)  # warm, with the lot's units as they were
    buyer = factories.user(email="buyer-elsewhere@example.com")
    left = lot.quantity
    with django_capture_on_commit_callbacks(execute=True):  # the sale commits, as in another worker
        place_order(basket=factories.basket(items=[(product, left - 2)], owner=buyer), user=buyer,
                    shipping_address=factories.shipping_address(), shipping_method=courier(),
                    payment_method="cod")
    response, _ = _add(client, product, 2)  # the basket would hold 3; 2 are left
    assert any("只剩 2 件" in message for message in _said(response))
    assert _lines(product)[0][1] == 1  # the refused add changed nothing


def test_more_than_the_lot_holds_over_several_adds_is_refused_and_rolled_back(client):
    product = factories.sellable_product()
    left = Lot.objects.get(product=product).quantity
    _add(client, product, min(left, 99))
    response, _ = _add(client, product, 1) if left <= 99 else _add(client, product, left - 98)
    assert any("最多只能买" in message for message in _said(response))
    assert _lines(product)[0][1] == min(left, 99)


@pytest.mark.parametrize("quantity, said", [("", "请填写"), ("abc", "整数"), ("0", "至少是 1"),
                                            ("-3", "至少是 1"), ("1000", "最多放 99"), ("1.5", "整数")])
def test_a_bad_quantity_is_explained_in_plain_chinese_and_adds_nothing(client, quantity, said):
    product = factories.sellable_product()
    response = client.post(reverse("basket:add", args=[product.pk]), {"quantity": quantity},
                           HTTP_REFERER=product.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == product.get_absolute_url()
    assert any(said in message for message in _said(response))
    assert not Line.objects.exists()


def test_an_unknown_product_is_not_found(client):
    response = client.post(reverse("basket:add", args=[987654]), {"quantity": 1})
    assert response.status_code == 404


def test_a_closed_basket_in_the_cookie_starts_a_new_one(client):
    product = factories.sellable_product()
    _add(client, product)
    Basket.objects.update(status=Basket.SUBMITTED)
    response, _ = _add(client, product)
    assert Basket.open.count() == 1 and Basket.open.get().all_lines()[0].quantity == 1
    assert response.cookies[settings.OSCAR_BASKET_COOKIE_OPEN].value  # the new basket's cookie
    _add(client, product)
    assert Basket.open.get().all_lines()[0].quantity == 2


def test_a_forged_basket_cookie_gets_a_basket_of_its_own(client):
    product = factories.sellable_product()
    _add(client, product)
    victim = Basket.objects.get()
    client.cookies[settings.OSCAR_BASKET_COOKIE_OPEN] = f"{victim.pk}:forged-signature"
    _add(client, product)
    assert victim.all_lines()[0].quantity == 1
    assert Basket.objects.count() == 2


def test_a_guest_cannot_add_to_a_signed_in_shoppers_basket(client):
    product = factories.sellable_product()
    shopper = factories.user(email="owner@example.com")
    theirs = Basket.objects.create(owner=shopper)
    client.cookies[settings.OSCAR_BASKET_COOKIE_OPEN] = Signer().sign(theirs.pk)
    _add(client, product)
    assert theirs.all_lines().count() == 0
    assert Basket.objects.filter(owner=None).get().all_lines()[0].quantity == 1


def test_a_signed_in_shopper_adds_to_their_own_basket(client):
    product, other = factories.sellable_product(), factories.sellable_product()
    shopper = factories.user(email="signed-in@example.com")
    client.force_login(shopper)
    _add(client, product)
    _add(client, other)
    _add(client, product)
    basket = Basket.objects.get(owner=shopper)
    assert {line.product_id: line.quantity for line in basket.all_lines()} == {product.pk: 2, other.pk: 1}


def test_a_new_price_is_what_the_next_line_records(client):
    product = factories.sellable_product()
    _add(client, product)  # warm, at the old price
    Line.objects.all().delete()
    record = product.stockrecords.get()
    record.price = Decimal("7.50")
    record.save()
    _add(client, product)
    assert Line.objects.get(product=product).price_excl_tax == Decimal("7.50")
