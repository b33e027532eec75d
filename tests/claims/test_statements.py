"""Mandatory statements: shown from the product itself, whatever the merchant wrote."""

import pytest
from django.utils import translation
from oscar.core.loading import get_model

from marketplace.claims.statements import mandatory_statements
from marketplace.glossary import TERMS
from tests import factories
from tests.claims.test_enforcement import HEALTH_FOOD_ATTRS

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def _sellable(product_class, title, attrs):
    product = factories.sellable_product(product_class=product_class, title=title, description="<p>规格见下</p>")
    for code, value in attrs.items():
        product.attr.set(code, value)
    product.save()
    return Product.objects.get(pk=product.pk)


def _page(client, product) -> str:
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_health_food_page_shows_the_statements_and_its_blue_hat_number(client):
    product = _sellable("health-food", "蛋白粉", HEALTH_FOOD_ATTRS)
    html = _page(client, product)
    assert "本品不能代替药物。" in html
    assert "保健食品不是药物，不能代替药物治疗疾病。" in html
    assert "保健食品批准文号（蓝帽子）：国食健注G20150123" in html
    assert f'<span class="term-help">{TERMS["blue_hat"]}</span>' in html  # what the blue hat means, in plain words
    assert "举报/反映问题" in html


def test_the_statements_do_not_depend_on_what_the_merchant_typed(client):
    product = _sellable("health-food", "蛋白粉", HEALTH_FOOD_ATTRS)
    # A merchant (or an import) writes straight to the rows, past the form: the page still says it.
    product.attribute_values.filter(attribute__code="statement").update(value_text="")
    Product.objects.filter(pk=product.pk).update(description="")
    from marketplace import storefront_cache

    storefront_cache.bump()
    html = _page(client, product)
    assert "本品不能代替药物。" in html and "保健食品不是药物，不能代替药物治疗疾病。" in html


def test_a_malformed_blue_hat_number_is_not_shown_as_one():
    product = factories.product(product_class="health-food", title="蛋白粉")
    product.attr.set("blue_hat_number", "国食健字G2004032")  # stored by a path that skipped clean()
    product.save()
    notices = mandatory_statements(product=Product.objects.get(pk=product.pk))
    assert notices.kind == "health_food" and notices.blue_hat_number == ""
    assert len(notices.statements) == 2


def test_medical_device_page_shows_the_device_notice(client):
    product = _sellable("smart-health-devices", "上臂式电子血压计",
                        {"device_record_number": "吉械注准20242190001", "warranty_months": 12, "power_source": "电池"})
    html = _page(client, product)
    assert "请仔细阅读产品说明书或者在医务人员的指导下购买和使用。" in html
    assert "禁忌内容或者注意事项详见说明书。" in html
    assert "吉械注准20242190001" in html


def test_an_ordinary_product_shows_no_statements_but_the_report_link(client):
    product = factories.sellable_product(title="四脚手杖")
    html = _page(client, product)
    assert "重要提示" not in html and "本品不能代替药物" not in html
    assert f"/catalogue/{product.pk}/report/" in html
    assert mandatory_statements(product=product).statements == []


def test_statements_are_in_english_under_en(client):
    product = _sellable("health-food", "蛋白粉", HEALTH_FOOD_ATTRS)
    with translation.override("en"):
        url = product.get_absolute_url()
    html = client.get(url).content.decode()
    assert "This product cannot replace medicine." in html
    assert "Report a problem" in html
