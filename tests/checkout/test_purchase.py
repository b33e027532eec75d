"""Buying with cash on delivery, end to end through the web checkout."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests import factories
from traceability.models import Lot

Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")

ADDRESS = {"name": "王秀兰", "mobile": "138 1234 5678", "province": "吉林省", "city": "长春市", "district": "南关区",
           "city_text": "", "district_text": "", "street": "人民大街 100 号 3 单元 201 室", "postcode": ""}


def add_to_basket(client, product, quantity=1):
    response = client.post(reverse("basket:add", args=[product.pk]), {"quantity": quantity})
    assert response.status_code == 302


def fill_checkout(client, *, address=ADDRESS, accept=True):
    response = client.post(reverse("checkout:shipping-address"), address)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("checkout:shipping-method")
    page = client.get(reverse("checkout:shipping-method")).content.decode()
    assert "快递送货上门" in page
    response = client.post(reverse("checkout:shipping-method"), {"method_code": "courier"})
    assert response["Location"] == reverse("checkout:payment-method")
    page = client.get(reverse("checkout:payment-method")).content.decode()
    assert "货到付款" in page
    response = client.post(reverse("checkout:payment-method"), {"payment_method": "cod"})
    assert response["Location"] == reverse("checkout:preview")
    preview = client.get(reverse("checkout:preview"))
    assert preview.status_code == 200
    data = {"accept_exclusions": "on"} if accept else {}
    return preview, client.post(reverse("checkout:preview"), data)


@pytest.mark.django_db
def test_guest_buys_with_cash_on_delivery(client, walker):
    add_to_basket(client, walker, 2)
    gateway = client.get(reverse("checkout:index")).content.decode()
    assert "游客购买" in gateway and "登录后购买" in gateway
    client.post(reverse("checkout:index"))
    page = client.get(reverse("checkout:shipping-address")).content.decode()
    assert "国家" not in page
    assert "电子邮箱（可以不填）" in page
    preview, placed = fill_checkout(client, address=dict(ADDRESS, email=""))
    text = preview.content.decode()
    assert "¥8.00" in text  # shipping shown before confirming
    assert "¥406.00" in text
    assert "由“长春康复辅具店”发货" in text
    assert placed.status_code == 302 and placed["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert order.user is None
    assert order.status == "待发货"
    assert str(order.total_incl_tax) == "406.00"
    assert order.shipping_address.state == "吉林省" and order.shipping_address.line2 == "南关区"
    assert str(order.shipping_address.phone_number) == "+8613812345678"
    assert order.sources.get().source_type.code == "cod"
    line = order.lines.get()
    assert line.lot.quantity == 3
    thanks = client.get(reverse("checkout:thank-you")).content.decode()
    assert order.number in thanks
    assert "四脚助行器" in thanks and "长春康复辅具店" in thanks
    assert line.lot.code in thanks and f"/trace/{line.lot.code}/" in thanks
    assert "7 天内" in thanks


@pytest.mark.django_db
def test_logged_in_shopper_buys_and_saves_the_address(client, walker):
    shopper = factories.user(email="elder@example.com")
    client.force_login(shopper)
    add_to_basket(client, walker)
    assert client.get(reverse("checkout:index"))["Location"] == reverse("checkout:shipping-address")
    _preview, placed = fill_checkout(client, address=dict(ADDRESS, save_address="on"))
    assert placed.status_code == 302
    order = Order.objects.get()
    assert order.user == shopper
    saved = UserAddress.objects.get(user=shopper)
    assert saved.line4 == "长春市"
    # The next purchase can use the saved address with one button.
    add_to_basket(client, walker)
    page = client.get(reverse("checkout:shipping-address")).content.decode()
    assert "送到这个地址" in page and "南关区人民大街" in page.replace(" ", "")
    response = client.post(reverse("checkout:shipping-address"), {"user_address": saved.pk})
    assert response["Location"] == reverse("checkout:shipping-method")
    orders = client.get(reverse("customer:order-list")).content.decode()
    assert order.number in orders and "四脚助行器" in orders


@pytest.mark.django_db
def test_another_users_saved_address_is_refused(client, walker):
    other = factories.user()
    theirs = UserAddress.objects.create(user=other, last_name="李", line1="x", line4="长春市", state="吉林省",
                                        country_id="CN", phone_number="+8613812345678")
    client.force_login(factories.user())
    add_to_basket(client, walker)
    assert client.post(reverse("checkout:shipping-address"), {"user_address": theirs.pk}).status_code == 404


@pytest.mark.django_db
def test_goods_excluded_from_no_reason_returns_need_the_confirmation(client):
    merchant = factories.merchant(name="抚松人参合作社")
    ginseng = factories.product(merchant_=merchant, title="抚松生晒参", product_class="ginseng")
    factories.listing(product_=ginseng)
    factories.lot(product_=ginseng, quantity=5)
    add_to_basket(client, ginseng)
    client.post(reverse("checkout:index"))
    preview, refused = fill_checkout(client, accept=False)
    text = preview.content.decode()
    assert "拆封后不能七日无理由退货" in text
    assert 'name="accept_exclusions"' in text and "checked" not in text.split('name="accept_exclusions"')[1][:80]
    assert refused.status_code == 200
    assert "请先阅读退货说明" in refused.content.decode()
    assert not Order.objects.exists()
    placed = client.post(reverse("checkout:preview"), {"accept_exclusions": "on"})
    assert placed.status_code == 302
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_stock_gone_before_confirming_sends_back_with_the_reason_and_keeps_the_address(client, walker):
    add_to_basket(client, walker, 2)
    client.post(reverse("checkout:index"))
    fill_checkout_steps = [
        (reverse("checkout:shipping-address"), ADDRESS),
        (reverse("checkout:shipping-method"), {"method_code": "courier"}),
        (reverse("checkout:payment-method"), {"payment_method": "cod"}),
    ]
    for url, data in fill_checkout_steps:
        assert client.post(url, data).status_code == 302
    Lot.objects.filter(product=walker).update(quantity=1)
    response = client.post(reverse("checkout:preview"), {}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert "最多只能买 1 件" in page
    assert not Order.objects.exists()
    Lot.objects.filter(product=walker).update(quantity=5)  # the merchant restocks
    again = client.get(reverse("checkout:shipping-address")).content.decode()
    assert 'value="人民大街 100 号 3 单元 201 室"' in again
