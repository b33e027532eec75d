"""After the sale: several merchants in one order, shipping, returns, order pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.checkout.placement import place_order
from marketplace.checkout.shipping import courier
from marketplace.order import fulfilment, returns
from tests import factories

Line = get_model("order", "Line")
ReturnRequest = get_model("order", "ReturnRequest")
PaymentEvent = get_model("order", "PaymentEvent")


@pytest.fixture
def two_merchant_order():
    shopper = factories.user(email="elder2@example.com")
    hearing = factories.merchant(name="长春助听器店")
    ginseng_shop = factories.merchant(name="抚松人参合作社")
    aid = factories.product(merchant_=hearing, title="手杖", product_class="mobility-aids", price=Decimal("80.00"))
    root = factories.product(merchant_=ginseng_shop, title="生晒参", product_class="ginseng", price=Decimal("300.00"))
    for item in (aid, root):
        factories.listing(product_=item)
        factories.lot(product_=item, quantity=10)
    order = place_order(basket=factories.basket(items=[(aid, 1), (root, 1)], owner=shopper), user=shopper,
                        shipping_address=factories.shipping_address(), shipping_method=courier(),
                        payment_method="cod")
    return {"order": order, "shopper": shopper, "hearing": hearing, "ginseng_shop": ginseng_shop,
            "hearing_staff": factories.merchant_staff(hearing), "ginseng_staff": factories.merchant_staff(ginseng_shop),
            "aid_line": order.lines.get(product=aid), "root_line": order.lines.get(product=root)}


@pytest.mark.django_db
def test_one_order_and_each_merchant_sees_only_its_lines(client, two_merchant_order):
    o = two_merchant_order
    assert o["order"].lines.count() == 2
    client.force_login(o["hearing_staff"])
    page = client.get(reverse("orders:merchant-orders")).content.decode()
    assert "手杖" in page and "生晒参" not in page
    assert client.get(reverse("orders:merchant-line", args=[o["aid_line"].pk])).status_code == 200
    assert client.get(reverse("orders:merchant-line", args=[o["root_line"].pk])).status_code == 404
    response = client.post(reverse("orders:merchant-ship"), {"line": o["root_line"].pk, "carrier": "顺丰速运",
                                                             "tracking_number": "SF1234567890"})
    assert response.status_code == 404
    assert Line.objects.get(pk=o["root_line"].pk).shipped_at is None


@pytest.mark.django_db
def test_merchant_ships_its_lines_and_the_order_moves_on_when_all_have_shipped(client, two_merchant_order):
    o = two_merchant_order
    client.force_login(o["hearing_staff"])
    bad = client.post(reverse("orders:merchant-ship"), {"line": o["aid_line"].pk, "carrier": "顺丰速运",
                                                        "tracking_number": "12"}, follow=True)
    assert "快递单号应是 6 到 40 位字母或数字" in bad.content.decode()
    client.post(reverse("orders:merchant-ship"), {"line": o["aid_line"].pk, "carrier": "顺丰速运",
                                                  "tracking_number": "sf1234567890"})
    line = Line.objects.get(pk=o["aid_line"].pk)
    assert (line.carrier, line.tracking_number, line.status) == ("顺丰速运", "SF1234567890", "已发货")
    o["order"].refresh_from_db()
    assert o["order"].status == "待发货"  # the other merchant has not shipped yet
    fulfilment.mark_shipped(merchant=o["ginseng_shop"], lines=[o["root_line"]], carrier="中国邮政 EMS",
                            tracking_number="EMS998877", actor=o["ginseng_staff"])
    o["order"].refresh_from_db()
    assert o["order"].status == "已发货"


@pytest.mark.parametrize("role", ["anonymous", "shopper", "other_merchant"])
@pytest.mark.django_db
def test_merchant_order_pages_refuse_everyone_else(client, two_merchant_order, role):
    o = two_merchant_order
    if role == "shopper":
        client.force_login(o["shopper"])
    elif role == "other_merchant":
        client.force_login(factories.merchant_staff(factories.merchant()))
    pages = [reverse("orders:merchant-orders"), reverse("orders:merchant-returns"),
             reverse("orders:merchant-line", args=[o["aid_line"].pk])]
    for url in pages:
        response = client.get(url)
        expected = {"anonymous": 302, "shopper": 403, "other_merchant": 200 if "line" not in url else 404}[role]
        assert response.status_code == expected, url
    if role == "other_merchant":
        assert "手杖" not in client.get(reverse("orders:merchant-orders")).content.decode()


@pytest.mark.django_db
def test_order_pages_say_what_was_bought_from_whom_with_lot_and_trace_link(client, two_merchant_order):
    o = two_merchant_order
    client.force_login(o["shopper"])
    page = client.get(reverse("customer:order", kwargs={"order_number": o["order"].number})).content.decode()
    for text in ("手杖", "长春助听器店", "生晒参", "抚松人参合作社", o["aid_line"].lot.code,
                 f"/trace/{o['root_line'].lot.code}/", "商家正在准备发货", "人参属于食品"):
        assert text in page
    detail = client.get(reverse("customer:order-line", kwargs={"order_number": o["order"].number,
                                                               "line_id": o["aid_line"].pk}))
    assert detail.status_code == 200
    assert o["aid_line"].lot.code in detail.content.decode()
    unknown = client.get(reverse("customer:order-line", kwargs={"order_number": o["order"].number,
                                                                "line_id": o["aid_line"].pk + 1000}))
    assert unknown.status_code == 404 and "没有找到这个页面" in unknown.content.decode()
    stranger = factories.user()
    client.force_login(stranger)
    assert client.get(reverse("customer:order-line", kwargs={"order_number": o["order"].number,
                                                             "line_id": o["aid_line"].pk})).status_code == 404


@pytest.mark.django_db
def test_return_after_delivery_approved_refunds_through_cash_on_delivery(client, two_merchant_order):
    o = two_merchant_order
    fulfilment.mark_shipped(merchant=o["hearing"], lines=[o["aid_line"]], carrier="顺丰速运",
                            tracking_number="SF1234567890")
    client.force_login(o["shopper"])
    client.post(reverse("orders:received", args=[o["order"].number]))
    response = client.post(reverse("orders:return-request", args=[o["aid_line"].pk]), {"reason": "尺寸不合适"})
    assert response.status_code == 302
    wanted = ReturnRequest.objects.get()
    assert wanted.status == ReturnRequest.REQUESTED
    # Not twice.
    again = client.post(reverse("orders:return-request", args=[o["aid_line"].pk]), {"reason": "再来"})
    assert "已经申请过退货" in again.content.decode()
    client.force_login(o["ginseng_staff"])
    other = client.post(reverse("orders:merchant-return-decide", args=[wanted.pk]), {"decision": "approve"})
    assert other.status_code == 404
    client.force_login(o["hearing_staff"])
    client.post(reverse("orders:merchant-return-decide", args=[wanted.pk]), {"decision": "approve"})
    wanted.refresh_from_db()
    assert wanted.status == ReturnRequest.APPROVED and wanted.refund_amount == Decimal("80.00")
    event = PaymentEvent.objects.get(order=o["order"])
    assert event.amount == Decimal("80.00") and "由商家退给顾客" in event.reference
    assert o["order"].sources.get().amount_refunded == Decimal("80.00")


@pytest.mark.django_db
def test_opened_ginseng_is_refused_with_the_reason_and_late_returns_too(client, two_merchant_order):
    o = two_merchant_order
    fulfilment.mark_shipped(merchant=o["ginseng_shop"], lines=[o["root_line"]], carrier="中国邮政 EMS",
                            tracking_number="EMS998877")
    client.force_login(o["shopper"])
    refused = client.post(reverse("orders:return-request", args=[o["root_line"].pk]), {"reason": "不想要了"})
    assert refused.status_code == 200
    assert "人参属于食品，拆封后会影响安全和健康" in refused.content.decode()
    assert not ReturnRequest.objects.exists()
    Line.objects.filter(pk=o["root_line"].pk).update(delivered_at=timezone.now() - timedelta(days=8))
    line = Line.objects.get(pk=o["root_line"].pk)
    assert "七日无理由退货的期限已过" in returns.return_refusal(line, still_sealed=True)


@pytest.mark.django_db
def test_rejecting_needs_a_reason(two_merchant_order):
    o = two_merchant_order
    fulfilment.mark_shipped(merchant=o["hearing"], lines=[o["aid_line"]], carrier="顺丰速运",
                            tracking_number="SF1234567890")
    o["aid_line"].refresh_from_db()
    wanted = returns.request_return(line=o["aid_line"], user=o["shopper"])
    with pytest.raises(Exception) as refused:
        returns.decide(merchant=o["hearing"], return_request=wanted, approve=False, note=" ")
    assert "请写明原因" in str(refused.value)


@pytest.mark.django_db
def test_cancelling_gives_the_units_back_once(client, two_merchant_order):
    o = two_merchant_order
    lot = o["aid_line"].lot
    client.force_login(o["shopper"])
    client.post(reverse("orders:cancel", args=[o["order"].number]))
    client.post(reverse("orders:cancel", args=[o["order"].number]))
    lot.refresh_from_db()
    o["order"].refresh_from_db()
    assert lot.quantity == 10 and o["order"].status == "已取消"
