"""Shopper actions on their own orders, and each merchant's own order lines and returns.

Every query starts from the shopper (``order.user``) or the merchant (``request.merchant``),
so someone else's order, line or return is simply not found (404). State changes are POSTs.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from marketplace.order import fulfilment, returns
from marketplace.order.return_rules import exclusion_reason
from traceability.views.access import merchant_required

Order = get_model("order", "Order")
Line = get_model("order", "Line")
ReturnRequest = get_model("order", "ReturnRequest")


def _own_order(request, number):
    return get_object_or_404(Order, number=number, user=request.user)


@login_required
@require_POST
def cancel_order(request, number):
    order = _own_order(request, number)
    try:
        fulfilment.cancel(order=order, actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("订单 %(number)s 已取消。货到付款的订单不用付钱。") % {"number": order.number})
    return redirect("customer:order", order_number=order.number)


@login_required
@require_POST
def confirm_received(request, number):
    order = _own_order(request, number)
    fulfilment.confirm_received(order=order, user=request.user)
    messages.success(request, _("已确认收货。收货后 7 天内仍可以申请七日无理由退货（拆封后不能退的商品除外）。"))
    return redirect("customer:order", order_number=order.number)


@login_required
def return_request(request, line_id):
    line = get_object_or_404(Line.objects.select_related("order", "product", "lot"), pk=line_id,
                             order__user=request.user)
    excluded = exclusion_reason(line.product) if line.product_id else ""
    error, reason, sealed = "", "", False
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        sealed = request.POST.get("still_sealed") == "on"
        try:
            returns.request_return(line=line, user=request.user, reason=reason, still_sealed=sealed or not excluded)
        except ValidationError as problem:
            error = problem.messages[0]
        else:
            messages.success(request, _("退货申请已经交给卖家。卖家同意后，请按卖家给的地址寄回；"
                                         "退款会在卖家收到退货后 7 天内退给您。"))
            return redirect("customer:order", order_number=line.order.number)
    else:
        error = returns.return_refusal(line, still_sealed=True)
    return render(request, "oscar/customer/order/return_request.html", {
        "line": line, "order": line.order, "excluded": excluded, "error": error, "reason": reason, "sealed": sealed,
        "status": 200})


@merchant_required()
def merchant_orders(request):
    lines = list(fulfilment.lines_for_merchant(merchant=request.merchant)[:200])
    to_ship = [line for line in lines if not line.shipped_at and line.order.status == fulfilment.AWAITING_SHIPMENT]
    return render(request, "marketplace/merchant_orders.html", {
        "to_ship": to_ship, "lines": lines, "carriers": fulfilment.CARRIERS,
        "open_returns": returns.returns_for_merchant(merchant=request.merchant).filter(
            status=ReturnRequest.REQUESTED).count()})


@merchant_required()
def merchant_line(request, pk):
    line = fulfilment.line_for_merchant(merchant=request.merchant, pk=pk)
    if line is None:
        raise Http404("not this merchant's line")
    return render(request, "marketplace/merchant_line.html", {"line": line, "carriers": fulfilment.CARRIERS})


@merchant_required()
@require_POST
def merchant_ship(request):
    ids = [value for value in request.POST.getlist("line") if value.isdigit()]
    lines = [fulfilment.line_for_merchant(merchant=request.merchant, pk=pk) for pk in ids]
    if not ids or any(line is None for line in lines):
        raise Http404("not this merchant's line")
    try:
        fulfilment.mark_shipped(merchant=request.merchant, lines=lines, carrier=request.POST.get("carrier", ""),
                                tracking_number=request.POST.get("tracking_number", ""), actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, ngettext("已记录发货：%(n)s 件商品。", "已记录发货：%(n)s 件商品。", len(lines))
                         % {"n": len(lines)})
    return redirect(request.POST.get("next") == "line" and reverse("orders:merchant-line", args=[ids[0]])
                    or reverse("orders:merchant-orders"))


@merchant_required()
def merchant_returns(request):
    return render(request, "marketplace/merchant_returns.html", {
        "requests": returns.returns_for_merchant(merchant=request.merchant)[:200]})


@merchant_required()
@require_POST
def merchant_decide_return(request, pk):
    wanted = get_object_or_404(ReturnRequest, pk=pk, line__partner=request.merchant)
    approve = request.POST.get("decision") == "approve"
    try:
        returns.decide(merchant=request.merchant, return_request=wanted, approve=approve,
                       note=request.POST.get("note", ""), actor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("已同意退货，退款已记录。") if approve else _("已拒绝退货申请，顾客会看到您写的原因。"))
    return redirect("orders:merchant-returns")
