"""Stripe's webhook: verify, store every event, process each exactly once.

Stripe delivers at least once, in any order, sometimes twice at the same moment. So:

1. The signature is checked first (``stripe.Webhook.construct_event`` with
   STRIPE_WEBHOOK_SECRET); a bad one gets 400 and nothing is written.
2. The event is stored (unique Stripe event id), then processed in one transaction that
   locks the event row — a concurrent duplicate waits and then finds it processed — and
   then the order row, then the order's lots in pk order through ``traceability.sale``:
   the same order checkout takes them in, so the two never deadlock.
3. Each handler decides from the order's current status, not from the order the events
   came in: paying twice, shipping twice, or cancelling a paid order cannot happen.

Payment after expiry (the session expired, the order was cancelled and its stock given
back, and then a late payment arrives — possible with Alipay and WeChat Pay): the money
is never ignored. If the stock can be allocated again the order is reopened to 待发货 —
the one transition outside OSCAR_ORDER_STATUS_PIPELINE, recorded as a status change and
an order note, because the shopper has paid for exactly this order. If it cannot, the
payment is recorded and refunded in full through Stripe automatically (idempotency key
per order), and the order stays 已取消 with a note saying why.

``apply_session`` is also what the return page uses to reconcile when the shopper comes
back before the webhook does: the same locks, the same idempotent transitions.
"""

from __future__ import annotations

import json
import logging

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from marketplace.payments import stripe_checkout
from marketplace.payments.models import StripeCheckout, StripeEvent
from traceability import sale

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderStatusChange = get_model("order", "OrderStatusChange")

UNPAID, PAID, SHIPPING, DONE, CANCELLED = "待付款", "待发货", "已发货", "已完成", "已取消"
PAID_STATUSES = {PAID, SHIPPING, DONE}

SESSION_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}


@csrf_exempt
@require_POST
def receive(request):
    payload = request.body
    try:
        stripe.Webhook.construct_event(
            payload, request.headers.get("Stripe-Signature", ""), settings.STRIPE_WEBHOOK_SECRET
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        logger.warning("Stripe webhook refused: %s", error)
        return HttpResponseBadRequest("签名无效")
    # Stored as Stripe sent it (the signature covers exactly these bytes).
    record = store_event(event=json.loads(payload))
    process_event(event_pk=record.pk)
    return HttpResponse("ok")


def store_event(*, event: dict) -> StripeEvent:
    data = (event.get("data") or {}).get("object") or {}
    session_id = data.get("id", "") if data.get("object") == "checkout.session" else ""
    try:
        with transaction.atomic():
            return StripeEvent.objects.create(
                event_id=event["id"], type=event.get("type", ""), session_id=session_id, payload=event,
            )
    except IntegrityError:
        record = StripeEvent.objects.get(event_id=event["id"])
        StripeEvent.objects.filter(pk=record.pk).update(deliveries=F("deliveries") + 1)
        return record


def process_event(*, event_pk: int) -> str:
    with transaction.atomic():
        record = StripeEvent.objects.select_for_update().get(pk=event_pk)
        if record.processed_at is not None:
            return record.outcome
        if record.type in SESSION_EVENTS:
            outcome, detail = apply_session(session=record.payload["data"]["object"], event_type=record.type)
        else:
            outcome, detail = "ignored", "这类通知不需要处理。"
        record.outcome, record.detail, record.processed_at = outcome, detail, timezone.now()
        record.save(update_fields=["outcome", "detail", "processed_at"])
    if outcome == "unknown_session":
        logger.warning("Stripe event %s for an unknown session %s", record.event_id, record.session_id)
    return outcome


def apply_session(*, session: dict, event_type: str) -> tuple[str, str]:
    """Move the session's order on, given what Stripe says about the session. Idempotent."""
    checkout = StripeCheckout.objects.filter(session_id=session.get("id", "")).first()
    if checkout is None:
        return "unknown_session", f"没有找到付款会话 {session.get('id', '')}（订单号 {session.get('client_reference_id', '')}）。"
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=checkout.order_id)
        checkout = StripeCheckout.objects.select_for_update().get(pk=checkout.pk)
        _update_checkout(checkout, session)
        paid = session.get("payment_status") in {"paid", "no_payment_required"}
        if event_type == "checkout.session.completed":
            if paid:
                return _paid(order, checkout, session)
            if order.status == UNPAID:
                return "awaiting_async", "顾客已提交付款，等待支付宝/微信的结果。"
            return "no_change", f"订单已是{order.status}。"
        if event_type == "checkout.session.async_payment_succeeded":
            return _paid(order, checkout, session)
        if event_type in {"checkout.session.async_payment_failed", "checkout.session.expired"}:
            if paid:
                # A session Stripe reports as paid is never cancelled, whatever the event says.
                return _paid(order, checkout, session)
            return _cancel(order, reason="付款没有成功" if "failed" in event_type else "付款时间已过")
        return "ignored", event_type


def _update_checkout(checkout: StripeCheckout, session: dict) -> None:
    intent = session.get("payment_intent")
    if isinstance(intent, dict):
        intent = intent.get("id")
    checkout.payment_intent_id = intent or checkout.payment_intent_id
    # Events arrive out of order: a session that was complete or paid never goes back.
    if checkout.status == "open":
        checkout.status = session.get("status") or checkout.status
    elif checkout.status == "expired" and session.get("status") == "complete":
        checkout.status = "complete"
    if checkout.payment_status != "paid":
        checkout.payment_status = session.get("payment_status") or checkout.payment_status
    checkout.save(update_fields=["payment_intent_id", "status", "payment_status", "updated_at"])


def _amount_matches(checkout: StripeCheckout, session: dict) -> bool:
    return (
        session.get("amount_total") == stripe_checkout.to_fen(checkout.amount)
        and (session.get("currency") or "").lower() == stripe_checkout.CURRENCY
    )


def _paid(order, checkout: StripeCheckout, session: dict) -> tuple[str, str]:
    if not _amount_matches(checkout, session):
        logger.error("Stripe session %s amount %s %s does not match order %s", checkout.session_id,
                     session.get("amount_total"), session.get("currency"), order.number)
        return "amount_mismatch", "Stripe 报告的金额与订单不一致，已记录，需人工核对。"
    if order.status in PAID_STATUSES:
        stripe_checkout.record_payment(order=order, amount=checkout.amount,
                                       payment_intent_id=checkout.payment_intent_id)
        return "already_paid", f"订单已是{order.status}。"
    if order.status == UNPAID:
        stripe_checkout.record_payment(order=order, amount=checkout.amount,
                                       payment_intent_id=checkout.payment_intent_id)
        order.set_status(PAID)
        order.lines.update(status=PAID)
        return "paid", "已付款，等待发货。"
    return _paid_after_cancel(order, checkout)


def _paid_after_cancel(order, checkout: StripeCheckout) -> tuple[str, str]:
    stripe_checkout.record_payment(order=order, amount=checkout.amount,
                                   payment_intent_id=checkout.payment_intent_id)
    try:
        with transaction.atomic():
            # The lines were released when the order was cancelled; allocate takes units
            # again and the release mark goes, so a later cancellation gives them back.
            sale.allocate(order=order)
            order.lines.update(lot_released_at=None)
    except sale.NotAllocated as refused:
        order.notes.create(note_type="System", message=f"订单取消后才收到付款，但商品已不能再卖（{refused}），已全额退款。")
        try:
            stripe_checkout.refund(
                order=order, amount=checkout.amount, reason="订单取消后才收到付款，商品已不足，自动全额退款",
                automatic=True, idempotency_key=f"silver-late-{order.number}-{checkout.payment_intent_id}",
            )
        except stripe_checkout.RefundRefused as error:
            logger.error("Automatic refund of order %s failed: %s", order.number, error)
            return "refund_failed", f"付款晚于订单取消，商品不足；自动退款没有成功（{error}），请在后台重试。"
        return "refunded_after_expiry", "付款晚于订单取消，商品不足，已自动全额退款。"
    old = order.status
    order.status = PAID
    order.save(update_fields=["status"])
    order.lines.update(status=PAID)
    OrderStatusChange.objects.create(order=order, old_status=old, new_status=PAID)
    order.notes.create(note_type="System", message="订单取消后才收到付款，商品仍有货，已重新分配库存，订单恢复为待发货。")
    return "reopened_after_expiry", "付款晚于订单取消，库存足够，订单已恢复为待发货。"


def _cancel(order, *, reason: str) -> tuple[str, str]:
    if order.status != UNPAID:
        return "no_change", f"订单已是{order.status}，不取消。"
    order.set_status(CANCELLED)
    order.lines.update(status=CANCELLED)
    sale.release_order(order=order)
    order.notes.create(note_type="System", message=f"{reason}，订单已取消，商品库存已退回。")
    return "cancelled", f"{reason}，订单已取消。"


def sync_from_stripe(*, checkout: StripeCheckout) -> str | None:
    """Ask Stripe how the session stands and apply it (the return page, before the webhook)."""
    session = stripe_checkout.retrieve_session(session_id=checkout.session_id)
    if session is None:
        return None
    if session.get("payment_status") in {"paid", "no_payment_required"}:
        return apply_session(session=session, event_type="checkout.session.completed")[0]
    if session.get("status") == "expired":
        return apply_session(session=session, event_type="checkout.session.expired")[0]
    return "open"


def reconcile_unpaid(*, now=None) -> dict[str, int]:
    """The cron's safety net for what no webhook will report (README: every 10 minutes).

    An order whose Checkout Session never opened (Stripe unreachable at checkout) gets no
    expiry event: once the payment time is over it is cancelled and its units go back.
    A session past its expiry that we still hold as open is asked about and applied, in
    case its webhook was lost.
    """
    from datetime import timedelta

    now = now or timezone.now()
    minutes = int(getattr(settings, "STRIPE_SESSION_MINUTES", 60))
    counts = {"cancelled": 0, "synced": 0}
    stale = Order.objects.filter(
        status=UNPAID, sources__source_type__code=stripe_checkout.CODE, stripe_checkout__isnull=True,
        date_placed__lt=now - timedelta(minutes=minutes),
    ).values_list("pk", flat=True)
    for pk in list(stale):
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=pk)
            if order.status == UNPAID and not StripeCheckout.objects.filter(order=order).exists():
                _cancel(order, reason="付款页面没有打开，付款时间已过")
                counts["cancelled"] += 1
    overdue = StripeCheckout.objects.filter(order__status=UNPAID, status="open",
                                            expires_at__lt=now - timedelta(minutes=5))
    for checkout in overdue:
        if sync_from_stripe(checkout=checkout) not in (None, "open"):
            counts["synced"] += 1
    return counts
