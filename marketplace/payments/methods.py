"""The payment methods a shopper can choose, and what each does at placement and refund.

A registry: each method is a ``PaymentMethod`` registered once. Cash on delivery (货到付款)
is here and always offered, so the demo sells end to end without payment keys; Stripe
registers itself from ``marketplace.payments.stripe_checkout`` when that module exists.

An order remembers its method as an Oscar payment ``Source`` whose source type code is the
method's code (written by ``marketplace.checkout.placement.place_order``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")

COD = "cod"
AWAITING_SHIPMENT = "待发货"
UNPAID = "待付款"
REFUND_EVENT = "refund"


class UnknownMethod(ValueError):
    pass


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    label: str
    help_text: str = ""
    initial_status: str = UNPAID
    is_available: Callable[[], bool] = field(default=lambda: True)
    #: ``begin(order, request) -> HttpResponse | None``: where to send the shopper to pay.
    begin: Callable | None = None
    #: ``refund(*, order, amount, lines, reason, actor)``: give money back; records the event.
    refund: Callable | None = None


_registry: dict[str, PaymentMethod] = {}
_loaded = False


def register(method: PaymentMethod) -> None:
    _registry[method.code] = method


def _load() -> None:
    """Let optional provider modules register themselves (imported once, lazily)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    try:
        importlib.import_module("marketplace.payments.stripe_checkout")
    except ModuleNotFoundError as error:
        if error.name != "marketplace.payments.stripe_checkout":
            raise


def get(code: str) -> PaymentMethod:
    _load()
    try:
        return _registry[code]
    except KeyError:
        raise UnknownMethod(code) from None


def available() -> list[PaymentMethod]:
    """Methods offered now, cash on delivery last so a paid-up-front method is not hidden."""
    _load()
    methods = [method for method in _registry.values() if method.is_available()]
    return sorted(methods, key=lambda method: method.code == COD)


def is_offered(code: str) -> bool:
    return any(method.code == code for method in available())


def initial_order_status(code: str) -> str:
    return get(code).initial_status


def begin(code: str, *, order, request) -> HttpResponse | None:
    """Start payment for a placed order. None means nothing more to do (cash on delivery)."""
    method = get(code)
    return method.begin(order, request) if method.begin else None


def method_code_for(order) -> str | None:
    source = order.sources.select_related("source_type").order_by("pk").first()
    return source.source_type.code if source else None


def record_method(*, order, code: str) -> None:
    """Remember the order's method as an Oscar payment source, owed in full until paid."""
    method = get(code)
    source_type, _created = SourceType.objects.get_or_create(code=code, defaults={"name": str(method.label)})
    Source.objects.create(order=order, source_type=source_type, amount_allocated=order.total_incl_tax,
                          currency=order.currency)


def record_refund(*, order, amount: Decimal, lines, reference: str = "") -> object:
    """A refund payment event against the order's lines (what every method's refund writes)."""
    event_type, _created = PaymentEventType.objects.get_or_create(code=REFUND_EVENT, defaults={"name": "退款"})
    event = PaymentEvent.objects.create(order=order, amount=amount, reference=reference, event_type=event_type)
    for line in lines:
        event.line_quantities.create(line=line, quantity=line.quantity)
    return event


def refund(*, order, amount: Decimal, lines, reason: str, actor) -> object:
    """Give ``amount`` back for ``lines`` through the order's own payment method."""
    code = method_code_for(order) or COD
    method = get(code)
    if method.refund is None:
        raise UnknownMethod(code)
    return method.refund(order=order, amount=amount, lines=lines, reason=reason, actor=actor)


def _cod_refund(*, order, amount, lines, reason, actor):
    """Nothing was paid online: the refund is recorded for the merchant to pay the shopper."""
    with transaction.atomic():
        source = order.sources.select_for_update().filter(source_type__code=COD).first()
        if source is not None:
            source.amount_refunded = (source.amount_refunded or Decimal("0")) + amount
            source.save(update_fields=["amount_refunded"])
        return record_refund(order=order, amount=amount, lines=lines,
                             reference=f"货到付款退款，由商家退给顾客：{reason}"[:128])


register(PaymentMethod(
    code=COD,
    label=_("货到付款"),
    help_text=_("快递员送货上门时，您当面付钱（现金或扫码都可以）。收到货再付钱，不用提前付款。"),
    initial_status=AWAITING_SHIPMENT,
    refund=_cod_refund,
))
