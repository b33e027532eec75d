"""Who may use the payment pages: every role against every action, denied cases changing nothing."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from marketplace import roles
from marketplace.family import services as family
from marketplace.payments import webhooks
from marketplace.payments.models import StripeRefund
from tests import factories
from tests.payments.conftest import place_stripe_order
from tests.payments.test_webhooks import _open

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "owner", "shopper", "family_linked", "family_unlinked", "merchant", "regulator", "editor",
         "admin"]


@pytest.fixture
def world(stripe_on):
    owner = factories.user(role=roles.SHOPPER)
    order, product = place_stripe_order(user=owner)
    _, checkout, _ = _open(order, stripe_on)
    linked = factories.user(role=roles.FAMILY)
    family.link_directly(elder=owner, member=linked)
    people = {
        "anonymous": None,
        "owner": owner,
        "shopper": factories.user(role=roles.SHOPPER),
        "family_linked": linked,
        "family_unlinked": factories.user(role=roles.FAMILY),
        "merchant": factories.merchant_staff(factories.merchant()),
        "regulator": factories.user(role=roles.REGULATOR),
        "editor": factories.user(role=roles.EDITOR, is_staff=True),
        "admin": factories.user(role=roles.PLATFORM_ADMIN, is_staff=True),
    }
    return {"order": order, "product": product, "checkout": checkout, "people": people, "standin": stripe_on}


def _as(client, person):
    if person is not None:
        client.force_login(person)
    return client


def _denied(response, person):
    if person is None:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_status_page(client, world, role):
    person, order = world["people"][role], world["order"]
    response = _as(client, person).get(f"/checkout/stripe/return/{order.number}/")
    if role == "owner":
        assert response.status_code == 200
        assert f"订单 {order.number}" in response.content.decode()
    else:
        _denied(response, person)


@pytest.mark.parametrize("role", ROLES)
def test_cancel(client, world, role):
    person, order, standin = world["people"][role], world["order"], world["standin"]
    response = _as(client, person).post(f"/checkout/stripe/cancel/{order.number}/")
    order.refresh_from_db()
    if role == "owner":
        assert response.status_code == 302
        assert order.status == "已取消"
        assert world["product"].lots.get().quantity == 100
    else:
        _denied(response, person)
        assert order.status == "待付款"
        assert world["product"].lots.get().quantity == 98
        assert not [call for call in standin.requests if call.path.endswith("/expire")]


@pytest.mark.parametrize("role", ROLES)
def test_pay(client, world, role):
    person, order = world["people"][role], world["order"]
    response = _as(client, person).post(f"/checkout/stripe/pay/{order.number}/")
    if role == "owner":
        assert response.status_code == 303
        assert response["Location"] == world["checkout"].url
    else:
        _denied(response, person)


def _paid(world):
    standin, checkout = world["standin"], world["checkout"]
    event = standin.event("checkout.session.completed", standin.complete(checkout.session_id))
    webhooks.process_event(event_pk=webhooks.store_event(event=event).pk)


@pytest.mark.parametrize("role", ROLES)
def test_staff_refund(client, world, role):
    _paid(world)
    person, order, standin = world["people"][role], world["order"], world["standin"]
    url = f"/dashboard/payments/orders/{order.number}/refund/"
    page = _as(client, person).get(url)
    response = client.post(url, {"amount": "20.00", "reason": "商品破损"})
    if role == "admin":
        assert page.status_code == 200
        assert "还可以退" in page.content.decode()
        assert response.status_code == 302
        refund = StripeRefund.objects.get(order=order)
        assert (refund.amount, refund.actor, refund.reason) == (Decimal("20.00"), person, "商品破损")
        assert len(standin.calls("POST", "/v1/refunds")) == 1
        assert order.notes.filter(user=person, message__contains="商品破损").exists()
    else:
        for answer in (page, response):
            if person is None:
                assert answer.status_code == 302
                assert answer["Location"].startswith("/accounts/login/")
            else:
                assert answer.status_code == 403
        assert not StripeRefund.objects.exists()
        assert standin.calls("POST", "/v1/refunds") == []


def test_refund_over_the_paid_amount_is_refused_in_plain_words(client, world):
    _paid(world)
    admin, order = world["people"]["admin"], world["order"]
    client.force_login(admin)
    response = client.post(f"/dashboard/payments/orders/{order.number}/refund/", {"amount": "999.00", "reason": "x"})
    assert response.status_code == 200
    assert "最多还能退 ¥177.60" in response.content.decode()
    assert world["standin"].calls("POST", "/v1/refunds") == []


def test_dashboard_order_page_links_to_refund(client, world):
    client.force_login(world["people"]["admin"])
    world["people"]["admin"].is_superuser = True
    world["people"]["admin"].save()
    page = client.get(f"/dashboard/orders/{world['order'].number}/").content.decode()
    assert f"/dashboard/payments/orders/{world['order'].number}/refund/" in page


@pytest.mark.parametrize("role", ROLES)
def test_webhook_needs_the_signature_whatever_the_role(client, world, role):
    _as(client, world["people"][role])
    response = client.post("/checkout/stripe/webhook/", data="{}", content_type="application/json")
    assert response.status_code == 400
    assert Order.objects.get(pk=world["order"].pk).status == "待付款"
