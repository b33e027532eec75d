"""Published campaign pages follow the catalogue without republishing: suspensions, price
and stock changes show at once although grids are served from the storefront cache; and
the number of queries does not grow with the number of products shown."""

from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import CatalogueListing
from tests import factories
from tests.cms.conftest import DURING, Benefit, campaign, grid, percentage_offer
from traceability import regulation

pytestmark = pytest.mark.django_db
URL = "/campaigns/jinglaoyue/"


@pytest.fixture
def live(shop):
    offer = percentage_offer(category=shop["top"])
    campaign(shop["index"], body=[grid(shop["top"].slug), grid(source="chosen", products=[shop["ginseng"]],
                                                              heading="人参")], offers=[offer])
    return shop


def _get(client):
    with time_machine.travel(DURING, tick=False):
        response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_a_regulator_suspending_a_listing_takes_the_product_off_the_page_at_once(client, live):
    regulator = factories.user(role="regulator")
    suspended = live["products"][0]
    assert suspended.title in _get(client)  # now cached
    listing = CatalogueListing.objects.get(product=suspended)
    regulation.suspend_listing(listing=listing, reason="抽检不合格", actor=regulator)
    text = _get(client)
    assert suspended.title not in text
    assert live["products"][1].title in text


def test_a_suspended_lot_takes_a_chosen_product_off_the_page(client, live):
    regulator = factories.user(role="regulator")
    assert "林下山参礼盒" in _get(client)
    regulation.suspend_lot(lot=live["ginseng"].lots.get(), reason="批次召回核查", actor=regulator)
    text = _get(client)
    assert "林下山参礼盒" not in text
    assert "人参</h2>" in text and "这里暂时没有能买的商品。" in text


def test_a_price_change_shows_at_once_with_its_offer_price(client, live):
    product = live["products"][0]
    assert "活动价 <strong>¥242.01</strong>" in _get(client)
    record = product.stockrecords.get()
    record.price = Decimal("300.00")
    record.save()
    text = _get(client)
    assert "¥300.00" in text and "活动价 <strong>¥270.00</strong>" in text
    assert "¥242.01" not in text


def test_out_of_stock_products_are_not_shown_as_buyable(client, live):
    product = live["products"][1]
    assert product.title in _get(client)
    product.lots.update(quantity=0)  # every unit of its lot sold
    assert product.title not in _get(client)


def test_an_offer_change_shows_at_once(client, live):
    assert "活动价 <strong>¥242.01</strong>" in _get(client)
    benefit = Benefit.objects.get()
    benefit.value = Decimal("20")
    benefit.save()
    assert "活动价 <strong>¥215.12</strong>" in _get(client)


def _queries(client, url) -> int:
    cache.clear()
    with time_machine.travel(DURING, tick=False), CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_number_of_products(client, shop):
    many = factories.category(name="适老好物")
    products = [factories.sellable_product(title=f"适老好物{n:02d}", category=many) for n in range(24)]
    offer = percentage_offer(category=many, name="适老好物九折")
    campaign(shop["index"], slug="six", body=[grid(many.slug, count=6)], offers=[offer])
    campaign(shop["index"], slug="twenty-four", body=[grid(many.slug, count=24)], offers=[offer])
    cache.clear()
    with time_machine.travel(DURING, tick=False):
        client.get("/campaigns/six/")  # warm Django's and Wagtail's own per-process lookups
    six = _queries(client, "/campaigns/six/")
    twenty_four = _queries(client, "/campaigns/twenty-four/")
    with time_machine.travel(DURING, tick=False):
        text = client.get("/campaigns/twenty-four/").content.decode()
    assert sum(p.title in text for p in products) == 24
    assert text.count("活动价") == 24
    assert six == twenty_four, (six, twenty_four)
    with time_machine.travel(DURING, tick=False), CaptureQueriesContext(connection) as warm:
        client.get("/campaigns/twenty-four/")
    assert len(warm) < twenty_four  # the grid comes from the storefront cache
