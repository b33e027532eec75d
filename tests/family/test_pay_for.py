"""代付: the elder's basket, paid once by a linked family member, shipped to the elder."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.family import services
from marketplace.family.models import OrderBeneficiary, PayRequest
from tests import factories

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def pay_request(family):
    return services.create_pay_request(elder=family["elder"])


def _url(pay_request):
    return f"/family/pay/{pay_request.token}/"


def test_pay_request_is_a_snapshot_with_an_unguessable_token(family, pay_request):
    assert len(pay_request.token) >= 40
    assert pay_request.total == Decimal("256.00")
    assert pay_request.lines == [{"product_id": family["product"].pk, "title": "电子血压计", "quantity": 2,
                                  "unit_price": "128.00", "line_price": "256.00"}]
    assert pay_request.expires_at - pay_request.created_at == timedelta(hours=24)


def test_elder_sees_link_and_qr(client, family, pay_request):
    client.force_login(family["elder"])
    page = client.get(f"/family/pay-requests/{pay_request.pk}/").content.decode()
    assert f"http://testserver/family/pay/{pay_request.token}/" in page
    assert "电子血压计" in page
    svg = client.get(f"/family/pay-requests/{pay_request.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<?xml") and b"<path" in svg.content


def test_linked_member_pays_with_cash_on_delivery(client, family, pay_request, django_capture_on_commit_callbacks):
    client.force_login(family["member"])
    page = client.get(_url(pay_request))
    assert page.status_code == 200
    text = page.content.decode()
    assert "为 王秀兰 代付" in text
    assert "电子血压计" in text and "¥256.00" in text
    assert "吉林省" in text
    assert "货到付款" in text
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(pay_request), {"payment_method": "cod"}, follow=True)
    assert "已为长辈下单" in response.content.decode()
    order = Order.objects.get()
    assert (order.user, order.placed_by, order.status) == (family["elder"], family["member"], "待发货")
    assert order.shipping_address.state == "吉林省"
    assert order.total_incl_tax == Decimal("256.00")
    assert family["product"].lots.get().quantity == 98
    pay_request.refresh_from_db()
    assert (pay_request.paid_by, pay_request.order) == (family["member"], order)
    beneficiary = OrderBeneficiary.objects.get(order=order)
    assert (beneficiary.elder, beneficiary.kind) == (family["elder"], OrderBeneficiary.PAY_FOR)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([family["elder"].email, family["member"].email])
    assert all(str(order.number) in m.body for m in mail.outbox)

    # Both see it on their family page.
    elder_page = client.get("/family/").content.decode()
    assert str(order.number) in elder_page
    client.force_login(family["elder"])
    assert str(order.number) in client.get("/family/").content.decode()


def test_reused_link_is_refused(client, family, pay_request):
    client.force_login(family["member"])
    client.post(_url(pay_request), {"payment_method": "cod"})
    again = client.post(_url(pay_request), {"payment_method": "cod"})
    assert again.status_code == 410
    assert "已经付过了" in again.content.decode()
    assert Order.objects.count() == 1


def test_expired_link_is_refused(client, family, pay_request):
    PayRequest.objects.filter(pk=pay_request.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(family["member"])
    for response in (client.get(_url(pay_request)), client.post(_url(pay_request), {"payment_method": "cod"})):
        assert response.status_code == 410
        assert "已过期" in response.content.decode()
    assert not Order.objects.exists()


def test_tampered_token_is_refused(client, family, pay_request):
    client.force_login(family["member"])
    token = pay_request.token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.post(f"/family/pay/{tampered}/", {"payment_method": "cod"})
    assert response.status_code == 404
    assert "代付链接无效" in response.content.decode()
    assert not Order.objects.exists()


def test_stranger_is_refused(client, family, pay_request):
    client.force_login(family["stranger"])
    for response in (client.get(_url(pay_request)), client.post(_url(pay_request), {"payment_method": "cod"})):
        assert response.status_code == 403
        assert "只有和这位长辈关联了的家人才能代付" in response.content.decode()
        assert "电子血压计" not in response.content.decode()
    assert not Order.objects.exists()


def test_anonymous_logs_in_first_then_comes_back(client, family, pay_request):
    response = client.get(_url(pay_request))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/family/pay/{pay_request.token}/"
    assert client.post(_url(pay_request), {"payment_method": "cod"}).status_code == 302
    assert not Order.objects.exists()


def test_unlinked_member_is_refused(client, family, pay_request):
    services.unlink(link=family["link"], actor=family["elder"])
    client.force_login(family["member"])
    response = client.post(_url(pay_request), {"payment_method": "cod"})
    assert response.status_code == 403
    assert "只有和这位长辈关联了的家人才能代付" in response.content.decode()
    assert not Order.objects.exists()


def test_changed_basket_is_shown_and_refused(client, family, pay_request):
    family["basket"].add_product(factories.sellable_product(price=Decimal("9.90")), 1)
    client.force_login(family["member"])
    page = client.get(_url(pay_request))
    assert page.status_code == 409
    assert "长辈的购物车已经变了" in page.content.decode()
    assert "确认代付并下单" not in page.content.decode()
    client.post(_url(pay_request), {"payment_method": "cod"})
    assert not Order.objects.exists()
    with pytest.raises(services.FamilyError, match="购物车已经变了"):
        services.pay_for(pay_request=pay_request, member=family["member"], payment_method="cod")


def test_elder_cannot_pay_own_link_and_cancels_it(client, family, pay_request):
    client.force_login(family["elder"])
    assert client.get(_url(pay_request)).status_code == 403
    client.post(f"/family/pay-requests/{pay_request.pk}/cancel/")
    client.force_login(family["member"])
    response = client.get(_url(pay_request))
    assert response.status_code == 410
    assert "已经作废" in response.content.decode()


@pytest.mark.parametrize("missing, message", [
    ("basket", "购物车是空的"), ("address", "保存您的地址"), ("link", "还没有关联家人"),
])
def test_pay_request_needs_basket_address_and_a_link(client, family, missing, message):
    elder = family["elder"]
    if missing == "basket":
        family["basket"].flush()
    elif missing == "address":
        elder.addresses.all().delete()
    else:
        services.unlink(link=family["link"], actor=elder)
    client.force_login(elder)
    response = client.post("/family/pay-requests/new/", follow=True)
    assert message in response.content.decode()
    assert not PayRequest.objects.exists()
