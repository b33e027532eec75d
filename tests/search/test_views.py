"""The search page and the autocomplete endpoint, as a shopper meets them."""

import html

import pytest

pytestmark = pytest.mark.django_db

MALFORMED = [
    "",
    "血" * 1000,
    '" * : ^ NEAR AND OR NOT ( ) - +',
    "NEAR(血压计 助听器)",
    "血压计 OR 1=1; DROP TABLE search_searchdocument; --",
    "' OR '1'='1",
    "🙂👵血压计",
    "血压\x00计",
    "%_\\",
    "   ",
]


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed_queries_get_a_page(client, catalogue, text):
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "银龄集市" in page
    if text.strip():
        assert "找到" in page or "没有找到" in page


def test_malformed_query_with_emoji_still_finds(client, catalogue):
    page = client.get("/search/", {"q": "🙂👵血压计"}).content.decode()
    assert "颐安上臂式电子血压计" in page


def test_zero_results_offer_categories_and_the_hotline(client, catalogue):
    page = client.get("/search/", {"q": "qwertyuiop"}).content.decode()
    assert "没有找到“qwertyuiop”" in page
    assert "400-000-0000" in page
    assert "吉林人参" in page  # a popular category to go on with
    assert "颐安上臂式电子血压计" not in page


def test_empty_query_explains_how_to_search(client, catalogue):
    page = client.get("/search/", {"q": ""}).content.decode()
    assert "拼音首字母" in page


def test_facet_links_work_without_javascript(client, catalogue):
    page = client.get("/search/", {"q": "人参"}).content.decode()
    assert "抚松（2）" in page
    assert "集安（1）" in page
    assert "只看现在能买的（2）" in page
    narrowed = client.get("/search/", {"q": "人参", "origin": "抚松", "available": "1"}).content.decode()
    assert "抚松林下参" in narrowed
    assert "抚松园参 鲜参" not in narrowed
    assert "集安园参" not in narrowed
    assert "取消" in narrowed


def test_bad_facet_values_are_ignored(client, catalogue):
    response = client.get("/search/", {"q": "人参", "price": "free", "merchant": "abc", "category": "zzzz"})
    assert response.status_code == 200
    assert "找到 3 件商品" in response.content.decode()


def test_bad_page_goes_back_to_the_first_page(client, catalogue):
    response = client.get("/search/", {"q": "人参", "page": "999"})
    assert response.status_code == 302
    assert "page" not in response["Location"]
    response = client.get("/search/", {"q": "人参", "page": "abc"})
    assert response.status_code == 302


@pytest.mark.parametrize("text", ["长辈版", "长辈模式", "关怀版", "大字"])
def test_elder_mode_words_link_to_the_display_setting(client, catalogue, text):
    page = client.get("/search/", {"q": text}).content.decode()
    assert "打开长辈模式（大字显示）设置" in page
    assert 'href="/display/"' in page
    assert 'name="elder_mode" value="on"' in page  # one click turns it on


def test_ordinary_search_has_no_elder_mode_link(client, catalogue):
    assert "打开长辈模式" not in client.get("/search/", {"q": "人参"}).content.decode()


def test_autocomplete_json(client, catalogue):
    response = client.get("/search/suggest/", {"q": "xueya"})
    assert response.status_code == 200
    data = response.json()
    labels = [s["label"] for s in data["suggestions"]]
    assert "血压计" in labels
    assert all(s["url"].startswith("/search/?q=") for s in data["suggestions"])
    assert client.get("/search/suggest/", {"q": ""}).json()["suggestions"] == []
    assert client.get("/search/suggest/", {"q": "\x00" * 5}).status_code == 200


def test_search_form_is_a_plain_form_with_the_enhancement_script(client, catalogue):
    page = client.get("/search/", {"q": "人参"}).content.decode()
    assert 'data-suggest-url="/search/suggest/"' in page
    assert 'method="get" role="search"' in page
    assert "js/search.js" in page


def test_category_page_lists_through_the_backend(client, catalogue):
    ginseng = catalogue["categories"]["ginseng"]
    page = client.get(ginseng.get_absolute_url()).content.decode()
    assert "抚松林下参" in page and "集安园参" in page
    assert "血压计 YA-B10" not in page


def test_page_links_keep_the_query_and_the_facets(client, catalogue, settings):
    from search import indexing
    from tests import factories

    walkers = catalogue["categories"]["walkers"]
    for n in range(settings.OSCAR_PRODUCTS_PER_PAGE + 2):
        factories.sellable_product(title=f"折叠手杖{n:02d}", category=walkers)
    indexing.flush()
    page = client.get("/search/", {"q": "手杖", "available": "1"}).content.decode()
    assert 'rel="next"' in page
    next_link = html.unescape(page[page.index('rel="next" href="'):].split('"')[3])
    assert "q=%E6%89%8B%E6%9D%96" in next_link and "available=1" in next_link and "page=2" in next_link
    second = client.get("/search/" + next_link).content.decode()
    assert 'rel="prev"' in second and "第 2 页" in second


def _loads_products(queries) -> bool:
    return any('FROM "catalogue_product"' in q["sql"] for q in queries)


def test_a_new_search_shows_cached_cards_without_loading_products(client, catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get("/search/", {"q": "人参"})
    assert "集安园参 红参 6年 500克" in first.content.decode()
    # Another query, new to the result and page caches, lists products already shown.
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/search/", {"q": "园参"})
    assert "集安园参 红参 6年 500克" in again.content.decode()
    assert again.context["product_ids"] and set(again.context["product_ids"]) <= set(first.context["product_ids"])
    assert not _loads_products(queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        client.get("/search/", {"q": "血压计"})  # a product not shown before: its card is rendered
    assert _loads_products(queries.captured_queries)


def _card(client, text, pk) -> str:
    page = client.get("/search/", {"q": text})
    return page.context["cards"][page.context["product_ids"].index(pk)]


def test_a_cached_card_changes_with_the_product(client, catalogue):
    from catalog.models import CatalogueListing
    from tests import factories

    client.force_login(factories.user())  # a signed-in shopper's page is rendered every time
    red = catalogue["products"]["red"]
    before = _card(client, "红参", red.pk)
    assert 'class="unavailable"' not in before
    CatalogueListing.objects.filter(product=red).update(status=CatalogueListing.SUSPENDED)
    after = _card(client, "集安", red.pk)  # a new query showing the same product
    assert 'class="unavailable"' in after
