"""Each merchant sees and ships only its own lines of an order.

One order per shopper even when the basket holds goods from several merchants; every
function here takes the merchant first and starts its query from it, so another
merchant's line is simply not found (views answer 404).
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from oscar.core.loading import get_model

from traceability import sale

Order = get_model("order", "Order")
Line = get_model("order", "Line")

AWAITING_SHIPMENT, SHIPPED, COMPLETE, CANCELLED = "待发货", "已发货", "已完成", "已取消"
# Order statuses are stored in Chinese; templates show them with {% trans order.status %}.
STATUS_WORDS = (gettext_noop("待付款"), gettext_noop("待发货"), gettext_noop("已发货"), gettext_noop("已完成"),
                gettext_noop("已取消"))
CARRIERS = ("中国邮政 EMS", "顺丰速运", "京东物流", "中通快递", "圆通速递", "韵达快递", "申通快递", "极兔速递", "商家自送")


def lines_for_merchant(*, merchant) -> QuerySet:
    return (Line.objects.filter(partner=merchant).select_related("order", "order__shipping_address", "lot", "product")
            .order_by("-order__date_placed", "pk"))


def line_for_merchant(*, merchant, pk) -> Line | None:
    return lines_for_merchant(merchant=merchant).filter(pk=pk).first()


def _settle_order_status(order) -> None:
    """Move the order along once every line has reached the next stage."""
    order.refresh_from_db(fields=["status"])
    lines = list(order.lines.all())
    if order.status == AWAITING_SHIPMENT and all(line.shipped_at for line in lines):
        order.set_status(SHIPPED)
    if order.status == SHIPPED and all(line.delivered_at for line in lines):
        order.set_status(COMPLETE)


def mark_shipped(*, merchant, lines, carrier: str, tracking_number: str, actor=None) -> list:
    """Record that the merchant sent these of its own lines, with the carrier and tracking number."""
    carrier = (carrier or "").strip()
    tracking_number = unicodedata.normalize("NFKC", tracking_number or "").strip().upper()
    if carrier not in CARRIERS:
        raise ValidationError(_("请从列表中选择快递公司。"), code="carrier")
    if carrier != "商家自送" and not (6 <= len(tracking_number) <= 40 and tracking_number.isalnum()):
        raise ValidationError(_("快递单号应是 6 到 40 位字母或数字，请照快递单填写。"), code="tracking")
    ids = [line.pk for line in lines]
    with transaction.atomic():
        own = list(Line.objects.select_for_update().filter(pk__in=ids, partner=merchant).order_by("pk"))
        if len(own) != len(set(ids)):
            raise Line.DoesNotExist("not this merchant's line")
        for line in own:
            if line.order.status not in (AWAITING_SHIPMENT, SHIPPED) or line.shipped_at:
                raise ValidationError(_("这件商品现在不能发货（订单未付款、已取消或已经发过货）。"), code="state")
        now = timezone.now()
        Line.objects.filter(pk__in=ids).update(carrier=carrier, tracking_number=tracking_number, shipped_at=now,
                                               status=SHIPPED)
        for order in {line.order for line in own}:
            _settle_order_status(order)
    return own


def confirm_received(*, order, user) -> None:
    """The shopper says the parcels arrived: the 7-day return window runs from now."""
    with transaction.atomic():
        Line.objects.filter(order=order, shipped_at__isnull=False, delivered_at__isnull=True).update(
            delivered_at=timezone.now(), status=COMPLETE)
        _settle_order_status(order)


def can_cancel(order) -> bool:
    return order.status in ("待付款", AWAITING_SHIPMENT) and not order.lines.filter(shipped_at__isnull=False).exists()


def cancel(*, order, actor=None) -> None:
    """Cancel an order nothing of which has shipped; its units go back to their lots once."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if not can_cancel(locked):
            raise ValidationError(_("这个订单已经发货或已经取消，不能再取消。如需退货，请在订单里申请退货。"))
        sale.release_order(order=locked)
        locked.lines.update(status=CANCELLED)
        locked.set_status(CANCELLED)
    order.refresh_from_db()
