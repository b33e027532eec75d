"""The product page served whole from the cache to visitors it does not depend on
(catalog/product_page.py): no SQL, its own CSRF token, and a sale status as live as the
storefront cache."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog import product_page
from tests import factories
from traceability import availability, regulation
from traceability.models import Lot

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _plain_static(settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def _get(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert product_page.CSRF_PLACEHOLDER not in html
    return html, len(queries)


def test_a_second_visitor_gets_the_page_without_sql_and_with_a_token_of_their_own():
    product = factories.sellable_product(title="家用电子血压计")
    path = product.get_absolute_url()
    first, _ = _get(Client(), path)
    visitor = Client(enforce_csrf_checks=True)
    second, queries = _get(visitor, path)
    assert queries == 0
    assert "家用电子血压计" in second and "加入购物车" in second
    assert TOKEN.search(first).group(1) != TOKEN.search(second).group(1)
    # The token served from the cache is one the visitor can post with.
    added = visitor.post(f"/basket/add/{product.pk}/", {"quantity": 1,
                                                        "csrfmiddlewaretoken": TOKEN.search(second).group(1)})
    assert added.status_code == 302


def test_a_suspended_lot_shows_at_once_on_the_cached_page():
    product = factories.sellable_product()
    path = product.get_absolute_url()
    _get(Client(), path)
    regulation.suspend_lot(lot=Lot.objects.get(product=product), reason="抽检不合格",
                           actor=factories.user(role="regulator"))
    html, _ = _get(Client(), path)
    assert str(availability.REASON_LOT_SUSPENDED) in html and "加入购物车" not in html


def test_a_lot_expiring_stops_the_sale_the_next_local_day_without_any_change_saved():
    product = factories.sellable_product()
    Lot.objects.filter(product=product).update(expires_on=timezone.localdate())
    path = product.get_absolute_url()
    assert "加入购物车" in _get(Client(), path)[0]
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        html, _ = _get(Client(), path)
    assert "加入购物车" not in html


def test_logged_in_shoppers_and_waiting_messages_get_the_page_rendered_for_them():
    product = factories.sellable_product()
    path = product.get_absolute_url()
    _get(Client(), path)
    shopper = Client()
    shopper.force_login(factories.user(role="shopper"))
    html, queries = _get(shopper, path)
    assert queries > 0 and "退出" in html  # the header knows who is there
    with_message = Client()
    with_message.cookies["messages"] = "anything"
    assert _rendered_for_them(with_message, path)
    assert _rendered_for_them(Client(), path + "?utm=x")
    assert not _rendered_for_them(Client(), path)  # the control: a plain visitor gets the cached copy


def _rendered_for_them(client, path) -> bool:
    """Whether the page template was rendered for this request (the test client records every
    template rendered), rather than the page served whole from the cache."""
    response = client.get(path)
    assert response.status_code == 200
    return "oscar/catalogue/detail.html" in [template.name for template in response.templates]


def test_each_language_has_its_own_copy():
    product = factories.sellable_product()
    zh, _ = _get(Client(), product.get_absolute_url())
    en, _ = _get(Client(), "/en" + product.get_absolute_url())
    assert "加入购物车" in zh and "加入购物车" not in en


def test_each_display_preference_has_its_own_copy_and_odd_cookies_add_none():
    from marketplace.preferences.display import COOKIE_NAME

    product = factories.sellable_product()
    path = product.get_absolute_url()
    standard, _ = _get(Client(), path)
    large = Client()
    large.cookies[COOKIE_NAME] = "x-large.1.1"
    html, _ = _get(large, path)
    assert "text-x-large" in html and "contrast-high" in html and "text-x-large" not in standard
    odd = Client()
    odd.cookies[COOKIE_NAME] = "nonsense"
    html, queries = _get(odd, path)
    assert queries == 0 and "text-x-large" not in html  # the standard copy, already cached


@pytest.mark.django_db(transaction=True)
def test_a_unit_sold_keeps_the_cached_page_until_the_last_unit_goes():
    """A sale moves the product's own version (basket and checkout read units left under it),
    but the page shows no count: it stays cached, product data and all, until it sells out."""
    from marketplace.checkout.placement import place_order
    from marketplace.checkout.shipping import courier

    def sell(quantity):
        place_order(basket=factories.basket(items=[(product, quantity)]), user=None,
                    shipping_address=factories.shipping_address(), shipping_method=courier(),
                    payment_method="cod")

    factories.reference_data()
    product = factories.sellable_product(title="折叠手杖")
    product.lots.update(quantity=3)
    path = product.get_absolute_url()
    _get(Client(), path)
    sell(1)
    with CaptureQueriesContext(connection) as queries:
        html, _ = _get(Client(), path)
    statements = [query["sql"] for query in queries.captured_queries]
    # Only the sale status is read again (its lot and its listings); no product, no template.
    assert statements and all("traceability_lot" in sql or "catalogue_cataloguelisting" in sql
                              for sql in statements), statements
    assert "加入购物车" in html
    sell(2)
    html, _ = _get(Client(), path)
    assert str(availability.REASON_SOLD_OUT) in html and "加入购物车" not in html
