"""The Stripe webhook against the real ``stripe`` client and a local stand-in of Stripe's API."""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from oscar.core.loading import get_model

from marketplace.payments import stripe_checkout
from marketplace.payments.models import StripeCheckout, StripeEvent, StripeRefund
from tests import factories
from tests.payments.conftest import deliver, place_stripe_order

Order = get_model("order", "Order")
Transaction = get_model("payment", "Transaction")
PaymentEvent = get_model("order", "PaymentEvent")

pytestmark = pytest.mark.django_db


def _lot(product):
    return product.lots.get()


def _open(order, standin):
    request = RequestFactory().post("/checkout/")
    request.session = {}
    response = stripe_checkout.begin(order=order, request=request)
    checkout = StripeCheckout.objects.get(order=order)
    return response, checkout, standin.sessions[checkout.session_id]


def _status(order):
    return Order.objects.get(pk=order.pk).status


def _debits(order):
    return Transaction.objects.filter(source__order=order, txn_type="Debit")


def test_session_carries_the_order_in_fen_and_cny(stripe_on):
    order, product = place_stripe_order(quantity=2, price="88.80")
    assert order.status == "待付款"
    assert _lot(product).quantity == 98  # allocated before the shopper leaves for Stripe
    response, checkout, session = _open(order, stripe_on)

    assert response.status_code == 303
    assert response["Location"] == f"https://checkout.stripe.com/c/pay/{checkout.session_id}"
    [call] = stripe_on.calls("POST", "/v1/checkout/sessions")
    item = call.params["line_items"][0]
    assert item["price_data"]["unit_amount"] == "17760"
    assert item["price_data"]["currency"] == "cny"
    assert item["quantity"] == "1"
    assert call.params["payment_method_types"] == ["card", "alipay", "wechat_pay"]
    assert call.params["payment_method_options"] == {"wechat_pay": {"client": "web"}}
    assert call.params["client_reference_id"] == str(order.number)
    assert call.params["metadata"] == {"order_number": str(order.number)}
    assert call.idempotency_key == f"silver-session-{order.number}"
    assert session["amount_total"] == 17760
    assert checkout.amount == Decimal("177.60")
    assert 55 * 60 <= (checkout.expires_at - checkout.created_at).total_seconds() <= 61 * 60


def test_begin_twice_reuses_the_session(stripe_on):
    order, _ = place_stripe_order()
    _open(order, stripe_on)
    _open(order, stripe_on)
    assert len(stripe_on.calls("POST", "/v1/checkout/sessions")) == 1


def test_only_card_when_configured(stripe_on, settings):
    settings.STRIPE_PAYMENT_METHODS = ["card"]
    order, _ = place_stripe_order()
    _open(order, stripe_on)
    [call] = stripe_on.calls("POST", "/v1/checkout/sessions")
    assert call.params["payment_method_types"] == ["card"]
    assert "payment_method_options" not in call.params


def test_fen_is_exact():
    assert stripe_checkout.to_fen(Decimal("0.07")) == 7
    assert stripe_checkout.to_fen(Decimal("1234.50")) == 123450
    with pytest.raises(ValueError):
        stripe_checkout.to_fen(Decimal("12.345"))


def test_stripe_offered_only_with_keys(settings, stripe_on):
    from marketplace.payments import methods

    assert [m.code for m in methods.available()] == ["stripe", "cod"]
    settings.STRIPE_SECRET_KEY = ""
    assert [m.code for m in methods.available()] == ["cod"]


def test_completed_and_paid_moves_the_order_on_once(client, stripe_on):
    order, product = place_stripe_order()
    _, checkout, _ = _open(order, stripe_on)
    event = stripe_on.event("checkout.session.completed", stripe_on.complete(checkout.session_id))
    for _ in range(3):
        response = deliver(client, event)
        assert response.status_code == 200
    assert _status(order) == "待发货"
    assert _lot(product).quantity == 98
    [debit] = _debits(order)
    assert debit.amount == Decimal("177.60")
    assert debit.reference == stripe_on.sessions[checkout.session_id]["payment_intent"]
    assert PaymentEvent.objects.filter(order=order, event_type__code="paid").count() == 1
    record = StripeEvent.objects.get(event_id=event["id"])
    assert (record.outcome, record.deliveries) == ("paid", 3)
    assert record.processed_at is not None
    assert set(Order.objects.get(pk=order.pk).lines.values_list("status", flat=True)) == {"待发货"}


def test_bad_signature_is_refused_and_changes_nothing(client, stripe_on):
    order, product = place_stripe_order()
    _, checkout, _ = _open(order, stripe_on)
    event = stripe_on.event("checkout.session.completed", stripe_on.complete(checkout.session_id))
    assert deliver(client, event, secret="whsec_wrong").status_code == 400
    assert deliver(client, event, signature="t=1,v1=deadbeef").status_code == 400
    assert deliver(client, event, signature="").status_code == 400
    assert client.get("/checkout/stripe/webhook/").status_code == 405
    assert StripeEvent.objects.count() == 0
    assert _status(order) == "待付款"
    assert not _debits(order).exists()


def test_tampered_payload_is_refused(client, stripe_on):
    import json

    from tests.payments.stripe_standin import sign

    order, _ = place_stripe_order()
    _, checkout, _ = _open(order, stripe_on)
    event = stripe_on.event("checkout.session.completed", stripe_on.complete(checkout.session_id))
    header = sign(json.dumps(event), "whsec_test_standin")
    event["data"]["object"]["amount_total"] = 1
    response = client.post("/checkout/stripe/webhook/", data=json.dumps(event), content_type="application/json",
                           HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


def test_expired_cancels_and_releases_once(client, stripe_on):
    order, product = place_stripe_order(quantity=3)
    _, checkout, _ = _open(order, stripe_on)
    assert _lot(product).quantity == 97
    event = stripe_on.event("checkout.session.expired", stripe_on.expire(checkout.session_id))
    for _ in range(3):
        assert deliver(client, event).status_code == 200
    assert _status(order) == "已取消"
    assert _lot(product).quantity == 100
    assert StripeEvent.objects.get(event_id=event["id"]).outcome == "cancelled"


def test_async_payment_flow(client, stripe_on):
    order, product = place_stripe_order()
    _, checkout, _ = _open(order, stripe_on)
    completed = stripe_on.event("checkout.session.completed", stripe_on.complete(checkout.session_id, paid=False))
    for _ in range(3):
        deliver(client, completed)
    assert _status(order) == "待付款"
    assert StripeEvent.objects.get(event_id=completed["id"]).outcome == "awaiting_async"
    succeeded = stripe_on.event("checkout.session.async_payment_succeeded",
                                stripe_on.settle_async(checkout.session_id, succeeded=True))
    for _ in range(3):
        deliver(client, succeeded)
    assert _status(order) == "待发货"
    assert _debits(order).count() == 1
    assert _lot(product).quantity == 98


def test_async_payment_failed_cancels_and_releases(client, stripe_on):
    order, product = place_stripe_order()
    _, checkout, _ = _open(order, stripe_on)
    deliver(client, stripe_on.event("checkout.session.completed", stripe_on.complete(checkout.session_id, paid=False)))
    failed = stripe_on.event("checkout.session.async_payment_failed",
                             stripe_on.settle_async(checkout.session_id, succeeded=False))
    for _ in range(3):
        deliver(client, failed)
    assert _status(order) == "已取消"
    assert _lot(product).quantity == 100
    assert not _debits(order).exists()


def test_async_succeeded_before_completed(client, stripe_on):
    order, product = place_stripe_order()
    _, checkout, _ = _open(order, stripe_on)
    unpaid = stripe_on.complete(checkout.session_id, paid=False)
    completed = stripe_on.event("checkout.session.completed", unpaid)
    succeeded = stripe_on.event("checkout.session.async_payment_succeeded",
                                stripe_on.settle_async(checkout.session_id, succeeded=True))
    deliver(client, succeeded)
    deliver(client, completed)
    assert _status(order) == "待发货"
    assert StripeEvent.objects.get(event_id=completed["id"]).outcome == "no_change"
    assert _debits(order).count() == 1
    assert _lot(product).quantity == 98


def test_paid_after_expiry_with_stock_left_reopens_the_order(client, stripe_on):
    order, product = place_stripe_order(quantity=2)
    _, checkout, _ = _open(order, stripe_on)
    expired = stripe_on.event("checkout.session.expired", dict(stripe_on.sessions[checkout.session_id],
                                                                status="expired"))
    completed = stripe_on.event("checkout.session.completed", stripe_on.complete(checkout.session_id))
    deliver(client, expired)
    assert (_status(order), _lot(product).quantity) == ("已取消", 100)
    for _ in range(3):
        deliver(client, completed)
    order.refresh_from_db()
    assert order.status == "待发货"
    assert _lot(product).quantity == 98
    assert StripeEvent.objects.get(event_id=completed["id"]).outcome == "reopened_after_expiry"
    assert stripe_on.calls("POST", "/v1/refunds") == []
    assert _debits(order).count() == 1
    assert order.status_changes.filter(old_status="已取消", new_status="待发货").count() == 1
    assert "恢复为待发货" in order.notes.get(message__contains="恢复").message
    # Released again on a later cancellation: the release mark was cleared.
    assert not order.lines.filter(lot_released_at__isnull=False).exists()


def test_paid_after_expiry_without_stock_is_refunded(client, stripe_on):
    order, product = place_stripe_order(quantity=2)
    _, checkout, _ = _open(order, stripe_on)
    deliver(client, stripe_on.event("checkout.session.expired", stripe_on.expire(checkout.session_id)))
    other, _ = place_stripe_order(product=product, quantity=100)  # someone buys every unit left
    assert _lot(product).quantity == 0
    completed = stripe_on.event("checkout.session.completed", stripe_on.complete(checkout.session_id))
    for _ in range(3):
        assert deliver(client, completed).status_code == 200
    order.refresh_from_db()
    assert order.status == "已取消"
    assert _lot(product).quantity == 0
    [call] = stripe_on.calls("POST", "/v1/refunds")
    intent = stripe_on.sessions[checkout.session_id]["payment_intent"]
    assert call.params["payment_intent"] == intent
    assert call.params["amount"] == "17760"
    assert call.idempotency_key == f"silver-late-{order.number}-{intent}"
    refund = StripeRefund.objects.get(order=order)
    assert (refund.status, refund.automatic, refund.amount) == (StripeRefund.SUCCEEDED, True, Decimal("177.60"))
    assert Transaction.objects.get(source__order=order, txn_type="Refund").amount == Decimal("177.60")
    assert _debits(order).count() == 1
    assert StripeEvent.objects.get(event_id=completed["id"]).outcome == "refunded_after_expiry"
    assert stripe_on.payment_intents[intent]["amount_refunded"] == 17760


def test_unknown_session_is_stored_and_answered(client, stripe_on):
    session = {"id": "cs_test_nobody", "object": "checkout.session", "payment_status": "paid",
               "client_reference_id": "999999", "amount_total": 100, "currency": "cny"}
    event = stripe_on.event("checkout.session.completed", session)
    assert deliver(client, event).status_code == 200
    record = StripeEvent.objects.get(event_id=event["id"])
    assert (record.outcome, record.session_id) == ("unknown_session", "cs_test_nobody")
    assert not Transaction.objects.exists()


def test_other_event_types_are_stored_and_ignored(client, stripe_on):
    event = {"id": "evt_test_other", "object": "event", "type": "charge.succeeded",
             "data": {"object": {"id": "ch_1", "object": "charge"}}}
    assert deliver(client, event).status_code == 200
    assert StripeEvent.objects.get(event_id="evt_test_other").outcome == "ignored"


def test_amount_mismatch_is_not_marked_paid(client, stripe_on):
    order, _ = place_stripe_order()
    _, checkout, _ = _open(order, stripe_on)
    session = dict(stripe_on.complete(checkout.session_id), amount_total=100)
    event = stripe_on.event("checkout.session.completed", session)
    deliver(client, event)
    assert _status(order) == "待付款"
    assert StripeEvent.objects.get(event_id=event["id"]).outcome == "amount_mismatch"


def test_return_page_reconciles_before_the_webhook(client, stripe_on):
    order, _ = place_stripe_order()
    _, checkout, _ = _open(order, stripe_on)
    stripe_on.complete(checkout.session_id)
    client.force_login(order.user)
    response = client.get(f"/checkout/stripe/return/{order.number}/?session_id={checkout.session_id}")
    assert response.status_code == 200
    assert "付款已经收到" in response.content.decode()
    assert _status(order) == "待发货"
    assert stripe_on.calls("GET", f"/v1/checkout/sessions/{checkout.session_id}")
    # The webhook arriving afterwards changes nothing more.
    event = stripe_on.event("checkout.session.completed", stripe_on.sessions[checkout.session_id])
    deliver(client, event)
    assert _debits(order).count() == 1
    assert StripeEvent.objects.get(event_id=event["id"]).outcome == "already_paid"


def test_return_page_while_unpaid_offers_to_pay_and_cancel(client, stripe_on):
    order, _ = place_stripe_order()
    _open(order, stripe_on)
    client.force_login(order.user)
    page = client.get(f"/checkout/stripe/return/{order.number}/").content.decode()
    assert "这个订单还没有付款" in page
    assert "去付款" in page and "不买了，取消订单" in page
    assert _status(order) == "待付款"


def test_shopper_cancels_an_unpaid_order(client, stripe_on):
    order, product = place_stripe_order()
    _, checkout, _ = _open(order, stripe_on)
    client.force_login(order.user)
    response = client.post(f"/checkout/stripe/cancel/{order.number}/", follow=True)
    assert "订单已取消，没有扣款" in response.content.decode()
    assert _status(order) == "已取消"
    assert _lot(product).quantity == 100
    assert stripe_on.calls("POST", f"/v1/checkout/sessions/{checkout.session_id}/expire")
    assert stripe_on.sessions[checkout.session_id]["status"] == "expired"


def test_refund_through_methods(stripe_on):
    from marketplace.payments import methods

    order, _ = place_stripe_order()
    _, checkout, _ = _open(order, stripe_on)
    event = stripe_on.event("checkout.session.completed", stripe_on.complete(checkout.session_id))
    from marketplace.payments import webhooks

    webhooks.process_event(event_pk=webhooks.store_event(event=event).pk)
    admin = factories.user(is_staff=True)
    methods.refund(order=order, amount=Decimal("50.00"), lines=order.lines.all(), reason="少发一件", actor=admin)
    [call] = stripe_on.calls("POST", "/v1/refunds")
    assert call.params["amount"] == "5000"
    assert call.idempotency_key.startswith("silver-refund-")
    refund = StripeRefund.objects.get(order=order)
    assert (refund.actor, refund.reason, refund.status) == (admin, "少发一件", StripeRefund.SUCCEEDED)
    assert stripe_checkout.refundable_amount(order) == Decimal("127.60")
    with pytest.raises(stripe_checkout.RefundRefused, match="最多还能退"):
        methods.refund(order=order, amount=Decimal("127.61"), lines=order.lines.all(), reason="x", actor=admin)
    assert len(stripe_on.calls("POST", "/v1/refunds")) == 1


def test_failed_refund_is_recorded_and_retried_with_the_same_key(stripe_on):
    order, _ = place_stripe_order()
    _, checkout, _ = _open(order, stripe_on)
    from marketplace.payments import webhooks

    event = stripe_on.event("checkout.session.completed", stripe_on.complete(checkout.session_id))
    webhooks.process_event(event_pk=webhooks.store_event(event=event).pk)
    stripe_on.fail_refunds = True
    with pytest.raises(stripe_checkout.RefundRefused):
        stripe_checkout.refund(order=order, amount=Decimal("10.00"), reason="破损", actor=None)
    record = StripeRefund.objects.get(order=order)
    assert record.status == StripeRefund.FAILED
    assert not Transaction.objects.filter(source__order=order, txn_type="Refund").exists()
    stripe_on.fail_refunds = False
    stripe_on._idempotent.clear()  # Stripe does not store an idempotent result for a 4xx caused by state
    stripe_checkout.retry_refund(record=record)
    record.refresh_from_db()
    assert record.status == StripeRefund.SUCCEEDED
    keys = {call.idempotency_key for call in stripe_on.calls("POST", "/v1/refunds")}
    assert keys == {record.idempotency_key}
    assert Transaction.objects.get(source__order=order, txn_type="Refund").amount == Decimal("10.00")


def test_reconcile_cancels_orders_whose_session_never_opened(stripe_on):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from marketplace.payments import webhooks

    stuck, product = place_stripe_order(quantity=2)  # Stripe was unreachable: no session
    fresh, _ = place_stripe_order(product=product, quantity=1)
    Order.objects.filter(pk=stuck.pk).update(date_placed=timezone.now() - timedelta(minutes=61))
    assert webhooks.reconcile_unpaid() == {"cancelled": 1, "synced": 0}
    assert (_status(stuck), _status(fresh)) == ("已取消", "待付款")
    assert _lot(product).quantity == 99
    call_command("reconcile_stripe")
    assert _lot(product).quantity == 99


def test_reconcile_applies_a_lost_webhook(stripe_on):
    from datetime import timedelta

    from django.utils import timezone

    from marketplace.payments import webhooks

    order, product = place_stripe_order()
    _, checkout, _ = _open(order, stripe_on)
    stripe_on.complete(checkout.session_id)
    StripeCheckout.objects.filter(pk=checkout.pk).update(expires_at=timezone.now() - timedelta(minutes=6))
    assert webhooks.reconcile_unpaid() == {"cancelled": 0, "synced": 1}
    assert _status(order) == "待发货"
