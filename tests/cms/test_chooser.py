"""The Oscar product chooser in Wagtail's admin: search by title, merchant and category."""

import pytest
from django.urls import reverse

from cms.blocks import ProductChooserBlock, ProductGridBlock
from marketplace import roles
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, shop):
    client.force_login(factories.user(role=roles.EDITOR))
    return client


def _results(client, **params) -> str:
    response = client.get(reverse("product_chooser:choose_results"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_chooser_modal_opens_with_the_search_fields(editor_client):
    response = editor_client.get(reverse("product_chooser:choose"))
    assert response.status_code == 200
    html = response.json()["html"]
    assert "商品名称" in html and "商家" in html and "分类" in html
    assert "林下山参礼盒" in html and "折叠助行器0号" in html


def test_search_by_title(editor_client):
    text = _results(editor_client, q="山参")
    assert "林下山参礼盒" in text
    assert "折叠助行器" not in text


def test_search_by_merchant(editor_client, shop):
    text = _results(editor_client, merchant=shop["hearing"].pk)
    assert "折叠助行器0号" in text and "折叠助行器2号" in text
    assert "林下山参礼盒" not in text


def test_search_by_category_takes_in_its_subcategories(editor_client, shop):
    text = _results(editor_client, category=shop["top"].pk)
    assert "折叠助行器1号" in text
    assert "林下山参礼盒" not in text


def test_search_by_title_and_merchant_together(editor_client, shop):
    text = _results(editor_client, q="助行器1", merchant=shop["hearing"].pk)
    assert "折叠助行器1号" in text
    assert "折叠助行器0号" not in text and "林下山参礼盒" not in text
    assert "林下山参礼盒" not in _results(editor_client, q="山参", merchant=shop["hearing"].pk)


def test_choosing_returns_the_product(editor_client, shop):
    product = shop["ginseng"]
    response = editor_client.get(reverse("product_chooser:chosen", args=[product.pk]))
    assert response.status_code == 200
    assert response.json()["result"]["title"] == "林下山参礼盒"


def test_other_roles_cannot_use_the_chooser(client):
    client.force_login(factories.user(role=roles.SHOPPER))
    response = client.get(reverse("product_chooser:choose"))
    assert response.status_code == 302
    assert response["Location"].startswith("/cms/login/")


def test_the_product_grid_block_uses_the_chooser(shop):
    chooser = ProductGridBlock().child_blocks["products"].child_block
    assert isinstance(chooser, ProductChooserBlock)
    assert chooser.to_python(shop["ginseng"].pk) == shop["ginseng"]
