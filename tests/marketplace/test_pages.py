"""Every storefront page renders, in Chinese at the root and in English under /en/,
in a number of queries that does not grow with the catalogue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from marketplace import storefront_cache
from marketplace.glossary import TERMS
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    top = factories.category(name="康复辅具", name_en="Mobility aids")
    leaf = factories.category(name="助行器", name_en="Walkers", parent=top)
    products = [
        factories.sellable_product(title=f"折叠助行器{n}号", title_en=f"Folding walker No.{n}", category=leaf)
        for n in range(3)
    ]
    factories.home_pages(category_slug=top.slug)
    return {"top": top, "leaf": leaf, "products": products}


def _pages(shop):
    product = shop["products"][0]
    with translation.override("zh-hans"):
        return _unprefixed(shop, product)


def _unprefixed(shop, product):
    return {
        "home": "/",
        "catalogue": "/catalogue/",
        "category": shop["top"].get_absolute_url(),
        "product": product.get_absolute_url(),
        "search": "/search/?q=助行器",
    }


@pytest.mark.parametrize("page", ["home", "catalogue", "category", "product", "search"])
def test_each_page_renders_in_chinese(client, shop, page):
    response = client.get(_pages(shop)[page])
    assert response.status_code == 200
    text = response.content.decode()
    assert 'lang="zh-Hans"' in text
    assert "银龄集市" in text
    if page != "home":
        assert "折叠助行器" in text
    assert 'hreflang="en"' in text  # the visible language switch


@pytest.mark.parametrize("page", ["home", "catalogue", "category", "product", "search"])
def test_each_page_renders_in_english(client, shop, page):
    url = "/en" + _pages(shop)[page]
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode()
    assert 'lang="en"' in text
    if page == "home":
        assert "Buy with confidence" in text
    else:
        assert "Folding walker" in text
    assert 'hreflang="zh-hans"' in text


def test_category_page_lists_products_of_its_subcategories(client, shop):
    response = client.get(shop["top"].get_absolute_url())
    assert response.context["product_ids"] == [p.pk for p in reversed(shop["products"])]


def test_product_page_shows_licence_commitment_and_trace_link(client, shop):
    product = shop["products"][0]
    partner = product.stockrecords.get().partner
    text = client.get(product.get_absolute_url()).content.decode()
    assert partner.credit_code in text
    assert partner.legal_name in text
    assert "商家质量承诺" in text
    assert product.lots.get().lot_number in text
    assert "加入购物车" in text
    # Jargon carries a one-line explanation in everyday words, next to the term.
    for term in ("credit_code", "lot_number", "standard"):
        assert f'<span class="term-help">{TERMS[term]}</span>' in text, term


def _query_count(client, url, *, cold=False):
    client.get(url)  # warm per-process caches (categories, URLs)
    if cold:
        storefront_cache.bump()  # render from the database, as after any catalogue change
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["home", "catalogue", "category", "product", "search"])
def test_query_count_does_not_grow_with_the_catalogue(client, shop, page):
    before = _query_count(client, _pages(shop)[page])
    for n in range(8):
        factories.sellable_product(title=f"四脚手杖{n}", title_en=f"Quad cane {n}", category=shop["leaf"])
    after = _query_count(client, _pages(shop)[page])
    assert after == before
    # The foundation issue's budget for the product page is 12; the home page adds Wagtail's
    # site, locale, page and view-restriction look-ups to its product grid.
    assert after <= (12 if page == "product" else 15)


@pytest.mark.parametrize("page", ["home", "catalogue", "category", "product", "search"])
def test_query_count_after_a_catalogue_change_does_not_grow_with_the_catalogue(client, shop, page):
    before = _query_count(client, _pages(shop)[page], cold=True)
    for n in range(8):
        factories.sellable_product(title=f"四脚手杖{n}", title_en=f"Quad cane {n}", category=shop["leaf"])
    after = _query_count(client, _pages(shop)[page], cold=True)
    assert after == before
    assert after <= (12 if page == "product" else 15)


def test_a_suspension_shows_on_cached_pages_at_once(client, shop):
    product = shop["products"][0]
    category_url = shop["top"].get_absolute_url()
    assert "暂不能购买" not in client.get(category_url).content.decode()
    assert "加入购物车" in client.get(product.get_absolute_url()).content.decode()
    product.catalogue_listings.update(status="suspended")
    assert "暂不能购买" in client.get(category_url).content.decode()
    assert "加入购物车" not in client.get(product.get_absolute_url()).content.decode()


def test_product_page_writes_nothing_to_the_database(client, shop):
    url = shop["products"][0].get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


def test_basket_page_query_count_does_not_grow_with_lines(client, shop):
    products = shop["products"] + [factories.sellable_product(category=shop["leaf"]) for _ in range(3)]
    for product in products[:2]:
        client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    two_lines = _query_count(client, "/basket/")
    for product in products[2:]:
        client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    assert client.get("/basket/").context["basket"].num_lines == 6
    assert _query_count(client, "/basket/") == two_lines


def test_unknown_product_is_a_friendly_404(client, shop):
    response = client.get("/catalogue/no-such-thing_999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "没有找到这个页面" in html
    assert "看看全部商品" in html


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
