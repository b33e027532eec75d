"""The family section of the account, and the 代付 page a family member opens from the link."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplace.checkout.placement import NotPlaced
from marketplace.family import selectors, services
from marketplace.family.models import FamilyInvitation, FamilyLink, PayRequest
from marketplace.payments import methods
from traceability import qr
from traceability.sale import NotAllocated


class JoinForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("长辈给您的邀请码"), max_length=20)


class PayForm(forms.Form):
    payment_method = forms.ChoiceField(label=gettext_lazy("付款方式"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offered = methods.available()
        self.fields["payment_method"].choices = [(method.code, method.label) for method in offered]
        self.help_texts = {method.code: method.help_text for method in offered}
        if len(offered) == 1:
            self.fields["payment_method"].initial = offered[0].code


@require_GET
@login_required
def home(request):
    context = selectors.family_page(user=request.user)
    context["join_form"] = JoinForm()
    return render(request, "family/home.html", context)


@require_POST
@login_required
def invite(request):
    invitation = services.create_invitation(elder=request.user)
    messages.success(request, _("邀请码已生成：%(code)s。请把它告诉您的家人。") % {"code": invitation.code})
    return redirect("family:home")


@require_POST
@login_required
def join(request):
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.claim_invitation(member=request.user, code=form.cleaned_data["code"])
        except services.FamilyError as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, _("已发送给 %(name)s，等长辈同意后就关联好了。") % {
                "name": selectors.display_name(invitation.elder)})
            return redirect("family:home")
    context = selectors.family_page(user=request.user)
    context["join_form"] = form
    return render(request, "family/home.html", context, status=400)


@require_POST
@login_required
def decide(request, pk: int):
    invitation = get_object_or_404(FamilyInvitation, pk=pk, elder=request.user)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_invitation(elder=request.user, invitation=invitation, accept=accept)
    except services.FamilyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已同意关联。") if accept else _("已拒绝，对方不会和您关联。"))
    return redirect("family:home")


@require_POST
@login_required
def unlink(request, pk: int):
    link = FamilyLink.objects.filter(pk=pk, ended_at__isnull=True).first()
    if link is None or request.user.pk not in {link.elder_id, link.member_id}:
        raise Http404(_("没有找到这个关联。"))
    services.unlink(link=link, actor=request.user)
    messages.success(request, _("已解除关联。"))
    return redirect("family:home")


@require_POST
@login_required
def pay_request_create(request):
    try:
        pay_request = services.create_pay_request(elder=request.user)
    except services.FamilyError as error:
        messages.error(request, error.message)
        return redirect("family:home")
    return redirect("family:pay-request", pk=pay_request.pk)


def _own_pay_request(request, pk: int) -> PayRequest:
    return get_object_or_404(PayRequest, pk=pk, elder=request.user)


def _pay_url(request, pay_request: PayRequest) -> str:
    return request.build_absolute_uri(reverse("family:pay", kwargs={"token": pay_request.token}))


@require_GET
@login_required
def pay_request_detail(request, pk: int):
    pay_request = _own_pay_request(request, pk)
    return render(request, "family/pay_request.html", {
        "pay_request": pay_request, "pay_url": _pay_url(request, pay_request),
    })


@require_POST
@login_required
def pay_request_cancel(request, pk: int):
    pay_request = _own_pay_request(request, pk)
    services.cancel_pay_request(pay_request=pay_request, elder=request.user)
    messages.success(request, _("代付链接已作废。"))
    return redirect("family:home")


@require_http_methods(["GET", "POST"])
@login_required
def pay(request, token: str):
    pay_request = services.pay_request_for_token(token)
    if pay_request is None:
        return render(request, "family/pay_refused.html",
                      {"reason": _("这个代付链接无效。请检查链接是否完整，或请长辈重新发一个。")}, status=404)
    reason = services.refusal(pay_request=pay_request, member=request.user)
    if reason:
        status = 403 if pay_request.open else 410
        return render(request, "family/pay_refused.html",
                      {"reason": reason, "pay_request": pay_request}, status=status)
    changed = services.basket_changed(pay_request=pay_request)
    form = PayForm(request.POST or None)
    if request.method == "POST" and not changed and form.is_valid():
        code = form.cleaned_data["payment_method"]
        try:
            order = services.pay_for(pay_request=pay_request, member=request.user, payment_method=code,
                                     request=request)
        except services.FamilyError as error:
            messages.error(request, error.message)
            return redirect("family:pay", token=token)
        except (NotAllocated, NotPlaced) as error:
            messages.error(request, error.message)
            return redirect("family:pay", token=token)
        response = methods.begin(code, order=order, request=request)
        if response is not None:
            return response
        messages.success(request, _("已为长辈下单，订单号 %(number)s。") % {"number": order.number})
        return redirect("family:paid", token=token)
    return render(request, "family/pay.html", {
        "pay_request": pay_request, "form": form, "changed": changed,
        "address": services.default_address(user=pay_request.elder),
    }, status=409 if changed else 200)


@require_GET
@login_required
def paid(request, token: str):
    pay_request = services.pay_request_for_token(token)
    if pay_request is None or pay_request.paid_by_id != request.user.pk:
        raise Http404(_("没有找到这个代付订单。"))
    return render(request, "family/paid.html", {"pay_request": pay_request, "order": pay_request.order})


@require_GET
@login_required
def pay_request_qr(request, pk: int):
    pay_request = _own_pay_request(request, pk)
    if not pay_request.open:
        raise Http404(_("这个代付链接已经不能用了。"))
    svg = qr.qr_svg(_pay_url(request, pay_request), title=_("代付二维码"), standalone=True)
    return HttpResponse(svg, content_type="image/svg+xml")
