"""Product cards: built from plain rows (listings) or from a loaded product (campaign grids),
they say the same thing; and a page of cards costs the same few queries however long it is."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from oscar.core.loading import get_model

from catalog.cards import card_for, cards_for, render_card
from catalog.models import CatalogueListing
from catalog.selectors import browsable_products
from marketplace.partner.strategy import Selector
from tests import factories
from traceability.models import Lot

ProductImage = get_model("catalogue", "ProductImage")

pytestmark = pytest.mark.django_db


def _products_in_every_state() -> dict:
    products = {
        "sellable": factories.sellable_product(price=Decimal("128.50")),
        "no lot": factories.product(title="无批次商品"),
        "lot recalled": factories.sellable_product(),
        "listing suspended": factories.sellable_product(),
        "two catalogues and a photo": factories.sellable_product(title_en=""),
        "no stock record": factories.sellable_product(),
        "no price": factories.sellable_product(price=None),
    }
    Lot.objects.filter(product=products["lot recalled"]).update(status=Lot.RECALLED)
    CatalogueListing.objects.filter(product=products["listing suspended"]).update(
        status=CatalogueListing.SUSPENDED)
    two = products["two catalogues and a photo"]
    factories.listing(product_=two, catalogue=CatalogueListing.JIZHI_JIPIN)
    ProductImage.objects.create(product=two, original="images/products/second.jpg", display_order=1)
    ProductImage.objects.create(product=two, original="images/products/first.jpg", display_order=0)
    products["no stock record"].stockrecords.all().delete()
    return products


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_cards_from_rows_match_cards_from_loaded_products(language):
    products = _products_in_every_state()
    with translation.override(language):
        from_rows = cards_for([product.pk for product in products.values()])
        strategy = Selector().strategy()
        loaded = {product.pk: product for product in browsable_products().filter(
            pk__in=[product.pk for product in products.values()])}
        for name, product in products.items():
            assert from_rows[product.pk] == card_for(loaded[product.pk], strategy), name

    cards = {name: from_rows[product.pk] for name, product in products.items()}
    assert not cards["sellable"].unavailable and cards["sellable"].price == Decimal("128.50")
    for name in ["no lot", "lot recalled", "listing suspended", "no stock record"]:
        assert cards[name].unavailable, name
    assert cards["no price"].price is None
    assert cards["listing suspended"].badges == ()
    assert [code for code, _ in cards["two catalogues and a photo"].badges] == [
        CatalogueListing.ELDER_PRODUCTS, CatalogueListing.JIZHI_JIPIN]
    assert cards["two catalogues and a photo"].image_url != cards["sellable"].image_url
    english = language == "en"
    assert (cards["sellable"].title == products["sellable"].title_en) is english
    assert cards["two catalogues and a photo"].title == products["two catalogues and a photo"].title


def test_the_card_shows_price_badges_and_why_it_cannot_be_bought():
    products = _products_in_every_state()
    cards = cards_for([product.pk for product in products.values()])
    sellable = render_card(cards[products["sellable"].pk])
    assert "¥128.50" in sellable and 'class="unavailable"' not in sellable
    assert products["sellable"].get_absolute_url() in sellable
    recalled = render_card(cards[products["lot recalled"].pk])
    assert 'class="unavailable"' in recalled and "暂不能购买" in recalled
    assert "暂无报价" in render_card(cards[products["no price"].pk])


def test_product_text_in_a_card_is_escaped():
    product = factories.sellable_product(title='<img src=x onerror=alert(1)>拐杖')
    html = render_card(cards_for([product.pk])[product.pk])
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_products_the_storefront_does_not_list_have_no_card():
    hidden = factories.sellable_product(is_public=False)
    shown = factories.sellable_product()
    assert set(cards_for([hidden.pk, shown.pk, 10**9])) == {shown.pk}


def test_a_page_of_cards_costs_the_same_queries_however_many_products():
    def queries(count):
        ids = [factories.sellable_product().pk for _ in range(count)]
        with CaptureQueriesContext(connection) as captured:
            cards = cards_for(ids)
        assert len(cards) == count
        return len(captured)

    assert queries(2) == queries(12) <= 5


def test_a_card_goes_unbuyable_when_its_lot_expires():
    product = factories.sellable_product()
    assert not cards_for([product.pk])[product.pk].unavailable
    Lot.objects.filter(product=product).update(expires_on=timezone.localdate() - timedelta(days=1))
    assert cards_for([product.pk])[product.pk].unavailable


def test_a_parent_product_is_priced_from_its_variants():
    from catalog.models import Product

    parent = Product.objects.create(title="可调节助行器（多规格）", structure=Product.PARENT,
                                    product_class=factories.product().product_class)
    child = factories.product(title="可调节助行器 · 大号", price=Decimal("188.00"))
    Product.objects.filter(pk=child.pk).update(structure=Product.CHILD, parent=parent, product_class=None)
    card = cards_for([parent.pk])[parent.pk]
    assert card.title == "可调节助行器（多规格）"
    assert card.price == Decimal("188.00")
    loaded = browsable_products().get(pk=parent.pk)
    assert card == card_for(loaded, Selector().strategy())


def test_a_damaged_photo_shows_the_placeholder_not_an_error(settings, client):
    product = factories.sellable_product(title="照片损坏的拐杖")
    damaged = Path(settings.MEDIA_ROOT) / "images" / "products" / "damaged.jpg"
    damaged.parent.mkdir(parents=True, exist_ok=True)
    damaged.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    ProductImage.objects.create(product=product, original="images/products/damaged.jpg", display_order=0)
    placeholder = cards_for([factories.sellable_product().pk]).popitem()[1].image_url
    card = cards_for([product.pk])[product.pk]
    assert card.image_url == placeholder
    response = client.get("/search/?q=照片损坏")
    assert response.status_code == 200 and "照片损坏的拐杖" in response.content.decode()
