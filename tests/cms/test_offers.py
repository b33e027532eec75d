"""Campaign offers: validity follows the campaign, the page's prices are the basket's prices
(Oscar's real basket and Applicator), and conditions read in plain words."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from oscar.core.loading import get_class, get_model

from cms import offers as campaign_offers
from tests.cms.conftest import DURING, WINDOW_END, WINDOW_START, campaign, grid, percentage_offer

pytestmark = pytest.mark.django_db
Basket = get_model("basket", "Basket")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Applicator = get_class("offer.applicator", "Applicator")
Selector = get_class("partner.strategy", "Selector")


def _basket(*lines):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product, quantity in lines:
        basket.add_product(product, quantity)
    basket.reset_offer_applications()
    Applicator().apply(basket)
    return basket


def test_publishing_gives_owned_offers_the_campaign_window(shop):
    offer = percentage_offer(category=shop["top"])
    assert offer.start_datetime is None
    page = campaign(shop["index"], offers=[offer])
    offer.refresh_from_db()
    assert (offer.start_datetime, offer.end_datetime) == (WINDOW_START, WINDOW_END)
    page.ends_at = WINDOW_END + timedelta(days=3)
    page.save_revision().publish()
    offer.refresh_from_db()
    assert offer.end_datetime == WINDOW_END + timedelta(days=3)


def test_unpublishing_a_campaign_suspends_its_offers_and_republishing_reopens_them(shop):
    offer = percentage_offer(category=shop["top"])
    page = campaign(shop["index"], offers=[offer])
    page.unpublish()
    offer.refresh_from_db()
    assert offer.status == ConditionalOffer.SUSPENDED
    with time_machine.travel(DURING, tick=False):
        assert _basket((shop["products"][0], 1)).total_incl_tax == Decimal("268.90")
    page.save_revision().publish()
    offer.refresh_from_db()
    assert offer.status == ConditionalOffer.OPEN


def test_a_draft_campaign_does_not_switch_its_offer_on(shop):
    offer = percentage_offer(category=shop["top"])
    campaign(shop["index"], offers=[offer], publish=False)
    offer.refresh_from_db()
    assert offer.start_datetime is None  # untouched until the campaign is published


@pytest.mark.parametrize("benefit_type, value, expected", [
    (Benefit.PERCENTAGE, Decimal("10"), [Decimal("242.01"), Decimal("242.91"), Decimal("243.81")]),
    (Benefit.PERCENTAGE, Decimal("15"), [Decimal("228.57"), Decimal("229.42"), Decimal("230.27")]),
    (Benefit.FIXED, Decimal("30"), [Decimal("238.90"), Decimal("239.90"), Decimal("240.90")]),
    (Benefit.FIXED_PRICE, Decimal("199"), [Decimal("199.00"), Decimal("199.00"), Decimal("199.00")]),
])
def test_prices_on_the_page_are_what_the_basket_charges(client, shop, benefit_type, value, expected):
    range_ = Range.objects.create(name="康复辅具范围")
    range_.included_categories.add(shop["top"])
    offer = ConditionalOffer.objects.create(
        name="敬老月优惠", offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=range_, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=range_, type=benefit_type, value=value),
    )
    campaign(shop["index"], body=[grid(shop["top"].slug)], offers=[offer])
    with time_machine.travel(DURING, tick=False):
        text = client.get("/campaigns/jinglaoyue/").content.decode()
        for product, price in zip(shop["products"], expected, strict=True):
            charged = _basket((product, 1)).total_incl_tax
            assert charged == price, product.title
            shown = f"{product.title}</h3>"
            start = text.index(shown)
            card = text[start: text.find('class="product-title"', start)]  # up to the next card
            assert f"活动价 <strong>¥{price:,}</strong>" in card, product.title


def test_an_offer_whose_condition_one_unit_cannot_meet_shows_no_unit_price(client, shop):
    range_ = Range.objects.create(name="满三件")
    range_.included_categories.add(shop["top"])
    offer = ConditionalOffer.objects.create(
        name="满三件九折", offer_type=ConditionalOffer.SITE,
        condition=Condition.objects.create(range=range_, type=Condition.COUNT, value=3),
        benefit=Benefit.objects.create(range=range_, type=Benefit.PERCENTAGE, value=10),
    )
    body = [grid(shop["top"].slug), ("offer", {"heading": "满三件九折", "offer": str(offer.pk), "voucher": "",
                                               "note": ""})]
    campaign(shop["index"], body=body, offers=[offer])
    with time_machine.travel(DURING, tick=False):
        text = client.get("/campaigns/jinglaoyue/").content.decode()
        one = _basket((shop["products"][0], 1)).total_incl_tax
        three = _basket((shop["products"][0], 3)).total_incl_tax
    assert "活动价" not in text
    assert "购买「满三件」中的商品满3件，这些商品减价10%（打9折）。" in text
    assert one == Decimal("268.90")
    assert three == Decimal("726.03")  # 806.70 less 80.67


def test_products_outside_the_offer_range_show_no_offer_price(client, shop):
    offer = percentage_offer(category=shop["top"])
    campaign(shop["index"], body=[grid(shop["other"].slug)], offers=[offer])
    with time_machine.travel(DURING, tick=False):
        text = client.get("/campaigns/jinglaoyue/").content.decode()
        charged = _basket((shop["ginseng"], 1)).total_incl_tax
    assert "林下山参礼盒" in text
    assert "活动价" not in text
    assert charged == Decimal("1280.00")


def test_voucher_offer_is_described_with_its_code(client, shop):
    Voucher = get_model("voucher", "Voucher")
    offer = percentage_offer(category=shop["top"], name="重阳节优惠码")
    offer.offer_type = ConditionalOffer.VOUCHER
    offer.save()
    voucher = Voucher.objects.create(name="重阳节", code="CHONGYANG", usage=Voucher.ONCE_PER_CUSTOMER,
                                     start_datetime=WINDOW_START, end_datetime=WINDOW_END)
    voucher.offers.add(offer)
    campaign(shop["index"], body=[("offer", {"heading": "重阳节优惠码", "offer": "", "voucher": str(voucher.pk),
                                             "note": ""})])
    with time_machine.travel(DURING, tick=False):
        text = client.get("/campaigns/jinglaoyue/").content.decode()
    assert "结算时填写优惠码 CHONGYANG 即可使用。" in text
    assert "每位顾客只能使用一次。" in text


def test_plain_words_for_conditions_and_benefits(shop):
    range_ = Range.objects.create(name="血压计")
    value = Condition(range=range_, type=Condition.VALUE, value=Decimal("300"))
    assert campaign_offers.describe_condition(value) == "购买「血压计」中的商品满¥300"
    fixed = Benefit(range=range_, type=Benefit.FIXED, value=Decimal("20.50"))
    assert campaign_offers.describe_benefit(fixed) == "立减¥20.50"
    assert campaign_offers.unit_offer_price(Decimal("299.00"), ConditionalOffer(condition=value, benefit=fixed)) \
        is None
    assert campaign_offers.unit_offer_price(Decimal("300.00"), ConditionalOffer(condition=value, benefit=fixed)) \
        == Decimal("279.50")


def test_the_basket_agrees_with_the_displayed_price_for_a_two_line_basket(shop):
    offer = percentage_offer(category=shop["top"])
    campaign(shop["index"], offers=[offer])
    first, second = shop["products"][:2]
    with time_machine.travel(DURING, tick=False):
        basket = _basket((first, 1), (second, 1))
        shown = [campaign_offers.unit_offer_price(p.stockrecords.first().price, offer) for p in (first, second)]
    assert basket.total_incl_tax == sum(shown)


def _applicator_queries(basket):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    basket.reset_offer_applications()
    with CaptureQueriesContext(connection) as captured:
        Applicator().apply(basket)
    return len(captured)


def test_applying_a_category_offer_costs_the_same_queries_for_one_line_as_for_four(shop):
    """Range membership is read once per storefront version, not per line, offer and side."""
    offer = percentage_offer(category=shop["top"])
    campaign(shop["index"], offers=[offer])
    first, *others = shop["products"] + [shop["ginseng"]]
    with time_machine.travel(DURING, tick=False):
        one = _basket((first, 1))
        four = _basket((first, 1), *[(product, 2) for product in others])
        _applicator_queries(one)  # the first application reads the membership for both
        one_line, four_lines = _applicator_queries(one), _applicator_queries(four)
        assert four.offer_discounts and four.total_discount > 0
        discounted = {line.product_id for line in four.all_lines() if line.discount_value > 0}
    assert one_line == four_lines
    assert discounted == {product.pk for product in shop["products"]}  # the ginseng is outside the range


def test_a_product_moved_out_of_the_offer_category_loses_the_discount_at_once(shop):
    offer = percentage_offer(category=shop["top"])
    campaign(shop["index"], offers=[offer])
    product = shop["products"][0]
    with time_machine.travel(DURING, tick=False):
        assert _basket((product, 1)).total_discount > 0
        product.productcategory_set.update(category=shop["other"])  # behind the ORM's signals…
        product.save()  # …but saving the product bumps the storefront version
        assert _basket((product, 1)).total_discount == 0


@pytest.mark.django_db(transaction=True)
def test_an_order_with_the_discount_counts_it_without_throwing_away_every_cached_page(shop):
    """Oscar saved the offer on every discounted order, bumping the storefront version; the
    counts now move in SQL, and only the order that uses the offer up changes the storefront."""
    from marketplace import storefront_cache
    from marketplace.checkout.placement import place_order
    from marketplace.checkout.shipping import courier
    from tests import factories

    factories.reference_data()
    offer = percentage_offer(category=shop["top"])
    campaign(shop["index"], offers=[offer])
    ConditionalOffer.objects.filter(pk=offer.pk).update(max_global_applications=3)
    product = shop["products"][0]

    def buy(quantity):
        basket = _basket((product, quantity))
        assert basket.total_discount > 0
        return place_order(basket=basket, user=None, shipping_address=factories.shipping_address(),
                           shipping_method=courier(), payment_method="cod")

    with time_machine.travel(DURING, tick=False):
        storefront_cache._local.update(version=None, until=0.0)
        before = storefront_cache.version()
        buy(1)
        buy(1)
        storefront_cache._local.update(version=None, until=0.0)
        assert storefront_cache.version() == before
        offer.refresh_from_db()
        assert (offer.num_orders, offer.num_applications) == (2, 2)
        assert offer.total_discount > 0
        buy(1)  # the third application is the last the offer allows: its prices go
        storefront_cache._local.update(version=None, until=0.0)
        assert storefront_cache.version() != before
        offer.refresh_from_db()
        assert offer.num_applications == 3 and not offer.is_available()


def test_a_site_offer_starts_and_ends_on_its_dates_with_the_offers_read_from_the_cache(shop):
    """Site offers are kept per storefront version (``marketplace.offer.applicator``); their
    dates are still read at each request, so an offer starts and ends with nothing saved."""
    offer = percentage_offer(category=shop["top"])
    ConditionalOffer.objects.filter(pk=offer.pk).update(start_datetime=WINDOW_START, end_datetime=WINDOW_END)
    from marketplace import storefront_cache

    storefront_cache.bump()  # update() behind the ORM's signals: as an edit in the dashboard would
    product = shop["products"][0]
    with time_machine.travel(WINDOW_START - timedelta(hours=1), tick=False):
        assert _basket((product, 1)).total_discount == 0
    with time_machine.travel(DURING, tick=False):
        assert _basket((product, 1)).total_discount > 0
    with time_machine.travel(WINDOW_END + timedelta(hours=1), tick=False):
        assert _basket((product, 1)).total_discount == 0
