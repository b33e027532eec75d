"""Stripe Checkout: open a session for a placed order, record money movements, refund.

The order already exists (待付款, stock allocated by ``place_order``) before the shopper
is sent to Stripe, so nothing depends on the shopper coming back: the webhook
(``webhooks.py``) moves the order on. Amounts go to Stripe in fen, computed from the
order's Decimal total exactly; a total with a fraction of a fen is refused, never rounded.

Every Stripe call is made with an idempotency key: one per order for its session and one
per refund, so a retried request never opens a second session or refunds twice.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from marketplace.payments import methods
from marketplace.payments.models import StripeCheckout, StripeRefund

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
PaymentEventType = get_model("order", "PaymentEventType")

CODE = "stripe"
CURRENCY = "cny"
KNOWN_METHODS = ("card", "alipay", "wechat_pay")


class PaymentUnavailable(Exception):
    """Stripe could not be reached or refused the request; the message is for the shopper."""


class RefundRefused(Exception):
    """The refund cannot be made (amount, state or Stripe's answer); the message is for staff."""


def configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def payment_method_types() -> list[str]:
    wanted = getattr(settings, "STRIPE_PAYMENT_METHODS", ["card"])
    return [method for method in wanted if method in KNOWN_METHODS] or ["card"]


def client() -> stripe.StripeClient:
    base = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base.rstrip("/")} if base else None,
        max_network_retries=2,
    )


def to_fen(amount: Decimal) -> int:
    """CNY to fen, exactly. 12.34 → 1234; 12.345 is an error, not 1234 or 1235."""
    fen = Decimal(amount) * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"金额 {amount} 不是整分")
    return int(fen)


def from_fen(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))


def _session_minutes() -> int:
    # Stripe accepts 30 minutes to 24 hours. The allocation is held that long.
    return min(max(int(getattr(settings, "STRIPE_SESSION_MINUTES", 60)), 30), 24 * 60)


def _absolute(request, path: str) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL + path


def session_params(*, order, request) -> dict:
    methods = payment_method_types()
    number = str(order.number)
    status_path = reverse("payments_stripe:return", kwargs={"number": order.number})
    expires_at = timezone.now() + timedelta(minutes=_session_minutes())
    params = {
        "mode": "payment",
        "client_reference_id": number,
        "metadata": {"order_number": number},
        "payment_intent_data": {"metadata": {"order_number": number}},
        "line_items": [{
            "quantity": 1,
            "price_data": {
                "currency": CURRENCY,
                "unit_amount": to_fen(order.total_incl_tax),
                "product_data": {"name": f"银龄集市订单 {order.number}"},
            },
        }],
        "payment_method_types": methods,
        "success_url": _absolute(request, status_path) + "?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": _absolute(request, status_path),
        "expires_at": int(expires_at.timestamp()),
        "locale": "en" if (get_language() or "").startswith("en") else "zh",
    }
    if "wechat_pay" in methods:
        params["payment_method_options"] = {"wechat_pay": {"client": "web"}}
    if order.email:
        params["customer_email"] = order.email
    return params


def open_session(*, order, request=None) -> StripeCheckout:
    """The order's Checkout Session: the existing one if there is one, else a new one."""
    existing = StripeCheckout.objects.filter(order=order).first()
    if existing is not None:
        return existing
    if order.currency.upper() != CURRENCY.upper():
        raise PaymentUnavailable("这个订单的币种不能用在线付款。")
    params = session_params(order=order, request=request)
    try:
        session = client().v1.checkout.sessions.create(
            params=params, options={"idempotency_key": f"silver-session-{order.number}"}
        ).to_dict()
    except stripe.StripeError as error:
        logger.error("Stripe session for order %s failed: %s", order.number, error)
        raise PaymentUnavailable("暂时连不上付款服务。订单已经保留，请稍后在订单页面再点“去付款”。") from error
    checkout, _ = StripeCheckout.objects.get_or_create(
        order=order,
        defaults={
            "session_id": session["id"],
            "amount": order.total_incl_tax,
            "currency": order.currency,
            "url": session.get("url") or "",
            "status": session.get("status") or "open",
            "payment_status": session.get("payment_status") or "unpaid",
            "expires_at": datetime.fromtimestamp(int(session["expires_at"]), tz=UTC),
        },
    )
    return checkout


def begin(*, order, request) -> HttpResponseRedirect:
    """Send the shopper to Stripe's page for this order (303, as a form POST answer should)."""
    checkout = open_session(order=order, request=request)
    remember_order(request=request, order=order)
    if checkout.status != "open" or not checkout.url:
        return HttpResponseRedirect(reverse("payments_stripe:return", kwargs={"number": order.number}))
    response = HttpResponseRedirect(checkout.url)
    response.status_code = 303
    return response


def remember_order(*, request, order) -> None:
    """Let this browser see the status page of an order it placed (guest checkout has no login)."""
    if request is None or not hasattr(request, "session"):
        return
    numbers = list(request.session.get("stripe_orders", []))
    if order.number not in numbers:
        request.session["stripe_orders"] = (numbers + [order.number])[-20:]


def retrieve_session(*, session_id: str) -> dict | None:
    try:
        return client().v1.checkout.sessions.retrieve(session_id).to_dict()
    except stripe.StripeError as error:
        logger.warning("Could not retrieve Stripe session %s: %s", session_id, error)
        return None


def expire_session(*, checkout: StripeCheckout) -> dict | None:
    """Ask Stripe to close an open session (the shopper cancelled). None if Stripe refused."""
    try:
        return client().v1.checkout.sessions.expire(checkout.session_id).to_dict()
    except stripe.StripeError as error:
        logger.warning("Could not expire Stripe session %s: %s", checkout.session_id, error)
        return None


# --- Money in Oscar's books --------------------------------------------------------------

def _source(order, *, payment_intent_id: str = ""):
    source_type, _ = SourceType.objects.get_or_create(code=CODE, defaults={"name": "Stripe"})
    source, created = Source.objects.get_or_create(
        order=order, source_type=source_type,
        defaults={"currency": order.currency, "amount_allocated": order.total_incl_tax,
                  "reference": payment_intent_id},
    )
    if payment_intent_id and not source.reference:
        source.reference = payment_intent_id
        source.save(update_fields=["reference"])
    return source


def _payment_event(order, *, code: str, name: str, amount: Decimal, reference: str):
    event_type, _ = PaymentEventType.objects.get_or_create(code=code, defaults={"name": name})
    event = order.payment_events.create(event_type=event_type, amount=amount, reference=reference)
    for line in order.lines.all():
        event.line_quantities.create(line=line, quantity=line.quantity)
    return event


def record_payment(*, order, amount: Decimal, payment_intent_id: str) -> None:
    """Write the debit once: a second call for the same PaymentIntent changes nothing."""
    source = _source(order, payment_intent_id=payment_intent_id)
    if source.transactions.filter(txn_type="Debit", reference=payment_intent_id).exists():
        return
    source.debit(amount, reference=payment_intent_id, status="succeeded")
    _payment_event(order, code="paid", name="已付款", amount=amount, reference=payment_intent_id)


def refundable_amount(order) -> Decimal:
    sources = Source.objects.filter(order=order, source_type__code=CODE)
    paid = sum((source.amount_debited - source.amount_refunded for source in sources), Decimal("0.00"))
    pending = sum(
        (refund.amount for refund in order.stripe_refunds.filter(status=StripeRefund.PENDING, refund_id="")),
        Decimal("0.00"),
    )
    return paid - pending


def is_stripe_order(order) -> bool:
    return StripeCheckout.objects.filter(order=order).exists()


# --- Refunds ----------------------------------------------------------------------------

def refund(*, order, amount: Decimal, reason: str, actor=None, lines=None, automatic: bool = False,
           idempotency_key: str | None = None) -> StripeRefund:
    """Refund ``amount`` of a Stripe order through Stripe, on its PaymentIntent.

    The refund row (with its idempotency key) is committed before Stripe is called, so a
    crash or a timeout leaves a record that ``retry_refund`` can finish with the same key.
    """
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount <= 0:
        raise RefundRefused("退款金额要大于 0。")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        checkout = StripeCheckout.objects.filter(order=order).first()
        if checkout is None or not checkout.payment_intent_id:
            raise RefundRefused("这个订单没有通过 Stripe 付款，不能在这里退款。")
        available = refundable_amount(order)
        if amount > available:
            raise RefundRefused(f"最多还能退 ¥{available}。")
        record = StripeRefund.objects.create(
            order=order, amount=amount, reason=reason[:255], actor=actor, automatic=automatic,
            idempotency_key=idempotency_key or f"silver-refund-{uuid.uuid4()}",
        )
    return _send_refund(record=record, checkout=checkout, lines=lines)


def retry_refund(*, record: StripeRefund) -> StripeRefund:
    """Send a refund again with its own idempotency key: Stripe answers with the same refund."""
    if record.status == StripeRefund.SUCCEEDED:
        return record
    return _send_refund(record=record, checkout=record.order.stripe_checkout, lines=None)


def _send_refund(*, record: StripeRefund, checkout: StripeCheckout, lines) -> StripeRefund:
    try:
        answer = client().v1.refunds.create(
            params={
                "payment_intent": checkout.payment_intent_id,
                "amount": to_fen(record.amount),
                "reason": "requested_by_customer",
                "metadata": {"order_number": record.order.number, "refund_record": str(record.pk)},
            },
            options={"idempotency_key": record.idempotency_key},
        ).to_dict()
    except stripe.StripeError as error:
        logger.error("Stripe refund %s for order %s failed: %s", record.pk, record.order.number, error)
        record.status = StripeRefund.FAILED
        record.error = str(getattr(error, "user_message", None) or error)[:2000]
        record.save(update_fields=["status", "error", "updated_at"])
        raise RefundRefused("Stripe 没有接受这笔退款，已记录下来，可以稍后重试。") from error
    with transaction.atomic():
        record = StripeRefund.objects.select_for_update().get(pk=record.pk)
        if record.refund_id:
            return record
        state = answer.get("status")
        record.refund_id = answer["id"]
        record.status = StripeRefund.FAILED if state in {"failed", "canceled"} else StripeRefund.SUCCEEDED
        record.error = "" if record.status == StripeRefund.SUCCEEDED else f"Stripe: {state}"
        record.save(update_fields=["refund_id", "status", "error", "updated_at"])
        if record.status == StripeRefund.SUCCEEDED:
            source = _source(record.order)
            source.refund(record.amount, reference=answer["id"], status=state or "")
            methods.record_refund(order=record.order, amount=record.amount,
                                  lines=lines if lines is not None else record.order.lines.all(),
                                  reference=answer["id"])
            record.order.notes.create(
                note_type="System", user=record.actor,
                message=f"Stripe 退款 ¥{record.amount}（{answer['id']}）：{record.reason}",
            )
    return record


def _method_refund(*, order, amount, lines, reason, actor):
    return refund(order=order, amount=amount, lines=lines, reason=reason, actor=actor)


methods.register(methods.PaymentMethod(
    code=CODE,
    label=_("在线付款（银行卡、支付宝、微信）"),
    help_text=_("现在就在网上付款。点“提交订单”后会打开付款页面，付完款订单就会通知商家发货。"),
    initial_status=methods.UNPAID,
    is_available=configured,
    begin=lambda order, request: begin(order=order, request=request),
    refund=_method_refund,
))
