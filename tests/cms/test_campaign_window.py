"""Before, during and after a campaign's window (time frozen): what the page says, whether
offer prices show, and whether the basket gives the offer."""

import re
from decimal import Decimal

import pytest
import time_machine
from oscar.core.loading import get_class, get_model

from cms.models import CampaignPage
from tests.cms.conftest import (
    AFTER,
    BEFORE,
    DURING,
    WINDOW_END,
    WINDOW_START,
    campaign,
    grid,
    percentage_offer,
)

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
Applicator = get_class("offer.applicator", "Applicator")
Selector = get_class("partner.strategy", "Selector")


@pytest.fixture
def month(shop):
    offer = percentage_offer(category=shop["top"])
    body = [
        grid(shop["top"].slug),
        ("offer", {"heading": "康复辅具一律九折", "offer": str(offer.pk), "voucher": "", "note": ""}),
    ]
    page = campaign(shop["index"], body=body, offers=[offer])
    return {"page": page, "offer": offer, **shop}


def _page(client):
    response = client.get("/campaigns/jinglaoyue/")
    assert response.status_code == 200
    return response.content.decode()


def _basket_total(product) -> Decimal:
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(product, 1)
    basket.reset_offer_applications()
    Applicator().apply(basket)
    return basket.total_incl_tax


def test_before_the_window_the_page_says_when_it_starts_and_shows_no_offer_price(client, month):
    with time_machine.travel(BEFORE, tick=False):
        text = _page(client)
        total = _basket_total(month["products"][0])
        assert month["page"].state() == CampaignPage.UPCOMING
    assert "活动还没有开始" in text
    assert "活动价" not in text
    assert "活动开始后才能享受这项优惠。" in text
    assert "减价10%" not in text
    assert "¥268.90" in text  # the products are still shown at their own price
    assert total == Decimal("268.90")


def test_during_the_window_offer_prices_show_and_the_basket_charges_them(client, month):
    with time_machine.travel(DURING, tick=False):
        text = _page(client)
        total = _basket_total(month["products"][0])
        assert month["page"].state() == CampaignPage.LIVE
    assert "活动正在进行" in text
    assert "减价10%（打9折）" in text
    assert "活动价 <strong>¥242.01</strong>" in text  # 268.90 less 26.89
    assert total == Decimal("242.01")


def test_after_the_window_the_page_says_it_has_ended_and_the_basket_charges_full_price(client, month):
    with time_machine.travel(AFTER, tick=False):
        text = _page(client)
        total = _basket_total(month["products"][0])
        assert month["page"].state() == CampaignPage.ENDED
    assert "活动已经结束" in text
    assert "活动价" not in text
    assert "这项优惠已随活动结束。" in text
    assert total == Decimal("268.90")


def test_the_window_edges_are_inclusive(month):
    page = month["page"]
    assert page.state(WINDOW_START) == CampaignPage.LIVE
    assert page.state(WINDOW_END) == CampaignPage.LIVE


def test_campaign_and_index_move_between_groups_as_time_passes(client, month):
    with time_machine.travel(BEFORE, tick=False):
        before = client.get("/campaigns/").content.decode()
    with time_machine.travel(AFTER, tick=False):
        after = client.get("/campaigns/").content.decode()
    assert re.search(r"即将开始</h2>\s*<ul class=\"campaign-list\">\s*<li class=\"campaign-card campaign-upcoming\">",
                     before)
    assert re.search(r"已经结束</h2>\s*<ul class=\"campaign-list\">\s*<li class=\"campaign-card campaign-ended\">",
                     after)


def test_a_suspended_offer_is_not_described_as_available(client, month):
    offer = month["offer"]
    offer.suspend()
    with time_machine.travel(DURING, tick=False):
        text = _page(client)
        total = _basket_total(month["products"][0])
    assert "这项优惠暂时不可用。" in text
    assert "减价10%" not in text and "活动价" not in text
    assert total == Decimal("268.90")
