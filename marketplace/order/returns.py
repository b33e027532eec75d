"""7-day no-reason returns (七日无理由退货): who may ask, and the merchant's decision.

The right runs 7 days from receipt (消费者权益保护法 第二十五条). Goods whose opening
affects safety or health were confirmed at checkout as excluded once opened
(``return_rules``); for those the shopper must state the package is still sealed, and the
request is refused with the reason otherwise. On approval the money goes back through the
order's payment method (``marketplace.payments.methods.refund``).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from marketplace.order.return_rules import RETURN_DAYS, exclusion_reason
from marketplace.payments import methods

ReturnRequest = get_model("order", "ReturnRequest")
Line = get_model("order", "Line")


def return_deadline(line):
    return line.delivered_at + timedelta(days=RETURN_DAYS) if line.delivered_at else None


def return_refusal(line, *, still_sealed: bool = True, now=None) -> str:
    """Why this line cannot be returned without reason now; "" when it can."""
    now = now or timezone.now()
    if not line.shipped_at:
        return _("商品还没有发货。如果不想要了，可以直接取消订单。")
    deadline = return_deadline(line)
    if deadline and now > deadline:
        return _("七日无理由退货的期限已过（收货后 %(days)s 天，截至 %(date)s）。") % {
            "days": RETURN_DAYS, "date": dateformat.format(timezone.localtime(deadline), _("Y年m月d日"))}
    if line.return_requests.filter(status__in=[ReturnRequest.REQUESTED, ReturnRequest.APPROVED]).exists():
        return _("这件商品已经申请过退货了。")
    reason = exclusion_reason(line.product) if line.product_id else ""
    if reason and not still_sealed:
        return _("%(reason)s下单时您已确认过这一点。包装还没有拆开的，可以勾选“包装未拆封”再申请。") % {"reason": reason}
    return ""


def request_return(*, line, user, reason: str = "", still_sealed: bool = False) -> ReturnRequest:
    refusal = return_refusal(line, still_sealed=still_sealed)
    if refusal:
        raise ValidationError(refusal, code="not_returnable")
    try:
        with transaction.atomic():
            return ReturnRequest.objects.create(line=line, reason=(reason or "").strip()[:1000],
                                                still_sealed=still_sealed,
                                                requested_by=user if user.is_authenticated else None)
    except IntegrityError as error:
        raise ValidationError(_("这件商品已经申请过退货了。"), code="duplicate") from error


def returns_for_merchant(*, merchant):
    return (ReturnRequest.objects.filter(line__partner=merchant)
            .select_related("line", "line__order", "line__lot").order_by("status", "-requested_at"))


def decide(*, merchant, return_request, approve: bool, note: str = "", actor=None) -> ReturnRequest:
    """The line's merchant approves (and refunds) or rejects (with a reason) a return request."""
    with transaction.atomic():
        locked = ReturnRequest.objects.select_for_update().select_related("line", "line__order").get(
            pk=return_request.pk, line__partner=merchant)
        if locked.status != ReturnRequest.REQUESTED:
            raise ValidationError(_("这个退货申请已经处理过了。"), code="decided")
        note = (note or "").strip()
        if not approve and not note:
            raise ValidationError(_("不同意退货时，请写明原因，顾客会看到。"), code="note")
        locked.status = ReturnRequest.APPROVED if approve else ReturnRequest.REJECTED
        locked.decided_at, locked.decided_by, locked.merchant_note = timezone.now(), actor, note
        if approve:
            locked.refund_amount = locked.line.line_price_incl_tax
            methods.refund(order=locked.line.order, amount=locked.refund_amount, lines=[locked.line],
                           reason=f"七日无理由退货 {locked.line.title}", actor=actor)
        locked.save()
    return locked
