"""The shopper's payment status page, pay/cancel actions, and the staff refund page."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from oscar.core.loading import get_model

from marketplace.payments import stripe_checkout, webhooks
from marketplace.payments.models import StripeCheckout, StripeRefund

Order = get_model("order", "Order")

REFUND_PERMISSION = "payments_stripe.add_striperefund"


def _order(number: str):
    order = Order.objects.select_related("user").filter(number=number).first()
    if order is None:
        raise Http404(_("没有找到这个订单。"))
    return order


def can_see_order(*, request, order) -> bool:
    """The buyer, the family member who placed it, the elder it was bought for, or this browser."""
    user = request.user
    if user.is_authenticated:
        if order.user_id == user.pk or getattr(order, "placed_by_id", None) == user.pk:
            return True
        from marketplace.family.selectors import is_beneficiary

        if is_beneficiary(order=order, user=user):
            return True
    return order.number in request.session.get("stripe_orders", [])


def _visible_order(request, number: str):
    order = _order(number)
    if not can_see_order(request=request, order=order):
        if not request.user.is_authenticated:
            return None
        raise PermissionDenied(_("这不是您的订单，不能查看。"))
    return order


@require_GET
def status(request, number: str):
    order = _visible_order(request, number)
    if order is None:
        return redirect_to_login(request.get_full_path())
    checkout = StripeCheckout.objects.filter(order=order).first()
    if checkout is not None and order.status == webhooks.UNPAID:
        # The shopper may be back before Stripe's webhook: ask Stripe and apply the answer
        # through the same locked, idempotent path the webhook takes.
        webhooks.sync_from_stripe(checkout=checkout)
        order.refresh_from_db()
        checkout.refresh_from_db()
    return render(request, "payments/status.html", {
        "order": order,
        "checkout": checkout,
        "unpaid": order.status == webhooks.UNPAID,
        "can_pay": order.status == webhooks.UNPAID and (checkout is None or checkout.status == "open"),
        "awaiting_async": checkout is not None and checkout.status == "complete"
        and checkout.payment_status == "unpaid" and order.status == webhooks.UNPAID,
    })


@require_POST
def pay(request, number: str):
    order = _visible_order(request, number)
    if order is None:
        return redirect_to_login(request.get_full_path())
    if order.status != webhooks.UNPAID or not stripe_checkout.configured():
        messages.info(request, _("这个订单现在不需要付款。"))
        return redirect("payments_stripe:return", number=order.number)
    try:
        return stripe_checkout.begin(order=order, request=request)
    except stripe_checkout.PaymentUnavailable as error:
        messages.error(request, str(error))
        return redirect("payments_stripe:return", number=order.number)


@require_POST
def cancel(request, number: str):
    order = _visible_order(request, number)
    if order is None:
        return redirect_to_login(request.get_full_path())
    checkout = StripeCheckout.objects.filter(order=order).first()
    if order.status != webhooks.UNPAID or checkout is None:
        messages.info(request, _("这个订单现在不能取消。"))
        return redirect("payments_stripe:return", number=order.number)
    session = stripe_checkout.expire_session(checkout=checkout)
    if session is None:
        # Stripe refused: the session may have been paid meanwhile. Ask and apply.
        webhooks.sync_from_stripe(checkout=checkout)
    else:
        webhooks.apply_session(session=session, event_type="checkout.session.expired")
    order.refresh_from_db()
    if order.status == webhooks.CANCELLED:
        messages.success(request, _("订单已取消，没有扣款。"))
    else:
        messages.info(request, _("这个订单已经付款，不能取消。如需退款，请联系客服。"))
    return redirect("payments_stripe:return", number=order.number)


class RefundForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("退款金额（元）"), max_digits=12, decimal_places=2,
                                min_value=Decimal("0.01"))
    reason = forms.CharField(label=gettext_lazy("退款原因"), max_length=200)


@require_http_methods(["GET", "POST"])
def staff_refund(request, number: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_staff and request.user.has_perm(REFUND_PERMISSION)):
        raise PermissionDenied(_("只有平台管理员可以退款。"))
    order = _order(number)
    checkout = StripeCheckout.objects.filter(order=order).first()
    if checkout is None:
        raise Http404(_("这个订单不是在线付款的订单。"))
    available = stripe_checkout.refundable_amount(order)
    form = RefundForm(request.POST or None, initial={"amount": available})
    if request.method == "POST" and "retry" in request.POST:
        record = order.stripe_refunds.filter(pk=request.POST.get("retry"), status=StripeRefund.FAILED).first()
        if record is not None:
            try:
                stripe_checkout.retry_refund(record=record)
                messages.success(request, _("退款已重新提交。"))
            except stripe_checkout.RefundRefused as error:
                messages.error(request, str(error))
        return redirect("payments_stripe:staff-refund", number=order.number)
    if request.method == "POST" and form.is_valid():
        try:
            from marketplace.payments import methods

            methods.refund(order=order, amount=form.cleaned_data["amount"], lines=order.lines.all(),
                           reason=form.cleaned_data["reason"], actor=request.user)
        except (stripe_checkout.RefundRefused, InvalidOperation) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已退款 ¥%(amount)s。") % {"amount": form.cleaned_data["amount"]})
            return redirect("payments_stripe:staff-refund", number=order.number)
    return render(request, "payments/staff_refund.html", {
        "order": order, "checkout": checkout, "form": form, "available": available,
        "refunds": order.stripe_refunds.select_related("actor"),
    })
