"""A product with a red-flag claim cannot be saved through any path; campaign pages that show
products are screened before they go live."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from oscar.core.loading import get_class, get_model
from wagtail import hooks

from marketplace.claims.enforcement import screen_page
from marketplace.claims.models import ALL_KINDS, RedFlagTerm
from marketplace.claims.screening import claim_class
from marketplace.demo.wording import HEALTH_FOOD_NOTICE
from tests import factories
from tests.claims.formdata import form_with

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
AttributeOption = get_model("catalogue", "AttributeOption")
ProductForm = get_class("dashboard.catalogue.forms", "ProductForm")

pytestmark = pytest.mark.django_db

HEALTH_FOOD_ATTRS = {
    "blue_hat_number": "国食健注G20150123", "health_function": "增强免疫力", "suitable_groups": "免疫力低下者",
    "unsuitable_groups": "少年儿童、孕妇", "daily_amount": "每日2次，每次2粒", "statement": HEALTH_FOOD_NOTICE,
}


def _health_food(**overrides):
    product = factories.product(product_class="health-food", title="蛋白粉")
    for code, value in {**HEALTH_FOOD_ATTRS, **overrides}.items():
        product.attr.set(code, value)
    product.save()
    return Product.objects.get(pk=product.pk)


def _care_option():
    attribute = ProductAttribute.objects.get(product_class__slug="daily-care", code="care_type")
    return AttributeOption.objects.filter(group=attribute.option_group).first()


# --- The model: every path that saves ---------------------------------------------------------

def test_a_new_product_with_a_red_flag_title_is_not_saved():
    before = Product.objects.count()
    with pytest.raises(ValidationError) as error:
        factories.product(title="包治百病养生垫")
    assert "标题中有「包治百病」" in str(error.value.message_dict["title"])
    assert Product.objects.count() == before


def test_changing_the_description_of_a_saved_product_is_refused_and_changes_nothing():
    product = factories.product(title="四脚手杖", description="<p>铝合金</p>")
    product.description = "<p>老年人必需，<strong>人人必备</strong></p>"
    with pytest.raises(ValidationError) as error:
        product.save()
    assert [m for m in error.value.message_dict["description"] if "「老年人必需」" in m]
    assert [m for m in error.value.message_dict["description"] if "「人人必备」" in m]
    assert Product.objects.get(pk=product.pk).description == "<p>铝合金</p>"


def test_an_attribute_value_set_on_the_product_is_screened_on_save():
    product = _health_food()
    product.attr.health_function = "降 血 糖，增强免疫力"
    with pytest.raises(ValidationError) as error:
        product.save()
    assert "属性「保健功能」中有「降血糖」" in error.value.message_dict["attr_health_function"][0]
    assert Product.objects.get(pk=product.pk).attr.health_function == "增强免疫力"


def test_an_attribute_value_saved_on_its_own_is_screened():
    product = _health_food()
    value = ProductAttributeValue.objects.get(product=product, attribute__code="suitable_groups")
    value.value_text = "适合所有人，无毒副作用"
    with pytest.raises(ValidationError):
        value.save()
    assert ProductAttributeValue.objects.get(pk=value.pk).value_text == "免疫力低下者"


def test_clean_reports_every_finding_by_field():
    product = _health_food()
    product.title = "祖传秘方蛋白粉"
    product.attr.daily_amount = "每日2次，可停药"
    with pytest.raises(ValidationError) as error:
        product.clean()
    assert set(error.value.message_dict) == {"title", "attr_daily_amount"}


def test_a_product_saved_before_a_term_was_added_can_still_be_saved_unchanged():
    """A shopper's review recalculates the rating and saves the product: no 500 for that."""
    product = factories.product(title="神奇护膝")
    RedFlagTerm.objects.create(term="神奇", category=RedFlagTerm.EFFICACY, legal_basis="《广告法》第二十八条",
                               product_kinds=",".join(ALL_KINDS), explanation="虚假宣传。")
    product.update_rating()
    with pytest.raises(ValidationError):
        product.clean()  # but the merchant's next edit on a form shows it


def test_the_demo_seed_refuses_a_red_flag_product():
    from marketplace.demo.seed import build_product, class_attributes

    classes, attributes, options = class_attributes()

    class Spec:
        product_class, title, title_en, upc = "daily-care", "防癌护理垫", "pad", "06900000000017"
        description, origin_region, attributes = "", "", {"care_type": _care_option().option, "size": "L"}

    with pytest.raises(ValidationError) as error:
        build_product(Spec, classes=classes, attributes=attributes, options=options)
    assert "「防癌」" in str(error.value.message_dict["title"])


def test_medical_devices_are_told_apart_by_their_filing():
    device = factories.product(product_class="smart-health-devices", title="血压计")
    watch = factories.product(product_class="smart-health-devices", title="手表")
    device.attr.set("device_record_number", "吉械注准20242190001")
    assert claim_class(device) == "medical_device"
    assert claim_class(watch) == "general"


# --- The Oscar dashboard's product form ---------------------------------------------------------

def _dashboard_form(product, **data):
    product_class = product.get_product_class()
    values = {"title": product.title, "upc": product.upc, "description": product.description,
              "structure": product.structure, "slug": product.slug, "is_discountable": True, **data}
    return ProductForm(product_class, data=values, instance=product)


def test_dashboard_form_shows_each_term_where_and_why():
    product = _health_food()
    attrs = {f"attr_{code}": value for code, value in HEALTH_FOOD_ATTRS.items()}
    attrs["attr_health_function"] = "抗 癌"
    form = _dashboard_form(product, title="延年益寿蛋白粉", description="<p>比吃药效果好</p>", **attrs)
    assert not form.is_valid()
    assert "标题中有「延年益寿」（《广告法》第十六条第（四）项、第十八条第（五）项）" in form.errors["title"][0]
    assert "「比…药效果好」" in form.errors["description"][0]
    assert "属性「保健功能」中有「抗癌」" in form.errors["attr_health_function"][0]


def test_dashboard_form_saves_a_clean_product():
    product = _health_food()
    form = _dashboard_form(product, title="乳清蛋白粉",
                           **{f"attr_{code}": value for code, value in HEALTH_FOOD_ATTRS.items()})
    assert form.is_valid(), form.errors
    form.save()
    assert Product.objects.get(pk=product.pk).title == "乳清蛋白粉"


def test_dashboard_form_refuses_a_malformed_blue_hat_number():
    product = _health_food()
    attrs = {f"attr_{code}": value for code, value in HEALTH_FOOD_ATTRS.items()}
    attrs["attr_blue_hat_number"] = "国食健注G2015012"
    form = _dashboard_form(product, **attrs)
    assert not form.is_valid()
    assert "国食健注G" in form.errors["attr_blue_hat_number"][0]


def _admin_client():
    from marketplace import roles

    admin = factories.user(role=roles.PLATFORM_ADMIN, is_staff=True, is_superuser=True)
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    return client


def _errors(response):
    context = response.context or {}
    found = {}
    for key in ("form", "stockrecord_formset", "category_formset", "image_formset", "recommended_formset",
                "attribute_option_formset"):
        item = context.get(key)
        if item is not None:
            found[key] = getattr(item, "errors", None), getattr(item, "non_form_errors", lambda: None)()
    return found


def test_dashboard_page_shows_the_findings_and_changes_nothing():
    client = _admin_client()
    product = factories.product(product_class="daily-care", title="护理垫", category=factories.category())
    url = f"/dashboard/catalogue/products/{product.pk}/"
    data = form_with(client.get(url).content.decode(), "title")
    data.update(title=["首选护理垫"], attr_care_type=[str(_care_option().pk)], attr_size=["L"])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "标题中有「首选」" in response.content.decode()
    assert Product.objects.get(pk=product.pk).title == "护理垫"
    data.update(title=["加厚护理垫"])
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    assert Product.objects.get(pk=product.pk).title == "加厚护理垫"


# --- The Django admin -----------------------------------------------------------------------------

def test_django_admin_shows_the_findings_and_changes_nothing():
    client = _admin_client()
    product = _health_food()
    url = f"/django-admin/catalogue/product/{product.pk}/change/"
    data = form_with(client.get(url).content.decode(), "title")
    data.update(title=["极品蛋白粉"])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "标题中有「极品」" in response.content.decode()
    assert Product.objects.get(pk=product.pk).title == "蛋白粉"


def test_django_admin_inline_attribute_values_are_screened():
    client = _admin_client()
    product = _health_food()
    url = f"/django-admin/catalogue/product/{product.pk}/change/"
    html = client.get(url).content.decode()
    data = form_with(html, "title")
    index = next(key.split("-")[1] for key, value in data.items()
                 if key.endswith("-value_text") and value == ["增强免疫力"])
    data[f"attribute_values-{index}-value_text"] = ["药到病除"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "属性「保健功能」中有「药到病除」" in response.content.decode()
    assert Product.objects.get(pk=product.pk).attr.health_function == "增强免疫力"


# --- Campaign pages ---------------------------------------------------------------------------------

def _campaign(world, *, body_text, with_products=True):
    from datetime import timedelta

    from django.utils import timezone

    from cms.models import CampaignIndexPage, CampaignPage

    index = world.home.add_child(instance=CampaignIndexPage(title="活动", slug="campaigns-test"))
    body = [("paragraph", f"<p>{body_text}</p>")]
    if with_products:
        body.append(("product_grid", {"heading": "好物", "source": "chosen", "products": [world.product_a],
                                      "count": 4}))
    now = timezone.now()
    page = CampaignPage(title="敬老月", slug="respect", summary="敬老月好物", starts_at=now,
                        ends_at=now + timedelta(days=30), body=body, live=False)
    index.add_child(instance=page)
    return page


def test_a_campaign_that_shows_products_is_screened(world):
    page = _campaign(world, body_text="顶级 人参，药到病除")
    assert [(f.term, f.where) for f in screen_page(page=page)] == [("顶级", "正文「段落」"), ("药到病除", "正文「段落」")]
    request = RequestFactory().post("/cms/")
    request.user = world.users["cms_editor"]
    request.session = {}
    from django.contrib.messages.storage.fallback import FallbackStorage

    request._messages = FallbackStorage(request)
    responses = [fn(request, page) for fn in hooks.get_hooks("before_publish_page")]
    assert any(getattr(r, "status_code", None) == 302 for r in responses)
    assert "药到病除" in " ".join(str(m) for m in request._messages)


def test_a_campaign_without_products_is_not_screened(world):
    assert screen_page(page=_campaign(world, body_text="最好的陪伴", with_products=False)) == []


def test_a_flagged_campaign_published_another_way_is_taken_down(world):
    page = _campaign(world, body_text="包治百病")
    page.save_revision().publish()  # as scheduled publishing and workflows do: no admin hook
    page.refresh_from_db()
    assert page.live is False
    page.body = [("paragraph", "<p>敬老月，为长辈挑好物</p>"), *[(c.block_type, c.value) for c in page.body][1:]]
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live is True
