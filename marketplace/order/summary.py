"""What an order page says, decided here so templates only show it: who sold each line,
its lot and trace page, where it is, and whether and until when it can be returned."""

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from marketplace.checkout import addresses
from marketplace.order import fulfilment, returns
from marketplace.order.return_rules import RETURN_DAYS, exclusion_reason
from marketplace.payments import methods


def _day(moment) -> str:
    return dateformat.format(timezone.localtime(moment), _("Y年m月d日"))


def delivery_text(line) -> str:
    if line.status == fulfilment.CANCELLED:
        return _("已取消")
    if line.delivered_at:
        return _("已收货（%(date)s）") % {"date": _day(line.delivered_at)}
    if line.shipped_at:
        return (_("已发货：%(carrier)s %(number)s") % {"carrier": line.carrier, "number": line.tracking_number}).strip()
    if line.order.status == "待付款":
        return _("等待付款")
    return _("商家正在准备发货")


def return_text(line) -> str:
    excluded = exclusion_reason(line.product) if line.product_id else ""
    deadline = returns.return_deadline(line)
    base = _("收货后 %(days)s 天内可以无理由退货") % {"days": RETURN_DAYS}
    if deadline:
        base += _("（截至 %(date)s）") % {"date": _day(deadline)}
    if excluded:
        return _("%(excluded)s未拆封的，%(base)s。") % {"excluded": excluded, "base": base}
    return _("%(base)s。") % {"base": base}


def line_summary(line) -> dict:
    requests = list(line.return_requests.all())
    return {
        "line": line,
        "lot_code": line.lot.code if line.lot_id else "",
        "trace_url": reverse("traceability:trace", args=[line.lot.code]) if line.lot_id else "",
        "delivery": delivery_text(line),
        "returns": return_text(line),
        "can_return": not returns.return_refusal(line, still_sealed=True),
        "return_requests": requests,
    }


def order_summary(*, order) -> dict:
    lines = list(order.lines.select_related("lot", "product", "product__product_class", "partner")
                 .prefetch_related("return_requests").order_by("pk"))
    groups: dict = {}
    for line in lines:
        groups.setdefault(line.partner, []).append(line_summary(line))
    address = order.shipping_address
    code = methods.method_code_for(order)
    try:
        payment_label = methods.get(code).label if code else ""
    except methods.UnknownMethod:
        payment_label = code
    return {
        "merchant_groups": [{"merchant": partner, "lines": items} for partner, items in groups.items()],
        "address_text": addresses.readable(address) if address else "",
        "address_name": address.last_name if address else "",
        "address_mobile": addresses.mobile_of(address) if address else "",
        "payment_label": payment_label,
        "can_cancel": fulfilment.can_cancel(order),
        "can_confirm_receipt": any(line.shipped_at and not line.delivered_at for line in lines),
    }
