"""Family links and 代付: every rule here, called by the views, the demo seed and the tests."""

from __future__ import annotations

import hashlib
import json
import secrets
import unicodedata
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from marketplace.family import notify
from marketplace.family.models import FamilyInvitation, FamilyLink, OrderBeneficiary, PayRequest

Basket = get_model("basket", "Basket")
UserAddress = get_model("address", "UserAddress")
ShippingAddress = get_model("order", "ShippingAddress")
Selector = get_class("partner.strategy", "Selector")
Applicator = get_class("offer.applicator", "Applicator")

#: No 0/O, 1/I/L, 2/Z, 5/S, 8/B: letters and digits an older person reads out without doubt.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6
INVITATION_DAYS = 3
PAY_REQUEST_HOURS = 24


class FamilyError(Exception):
    """A family action refused; ``message`` says why in plain words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Links --------------------------------------------------------------------------------

def active_link(*, elder, member) -> FamilyLink | None:
    if elder is None or member is None or not member.is_authenticated:
        return None
    return FamilyLink.objects.filter(elder=elder, member=member, ended_at__isnull=True).first()


def is_linked(*, elder, member) -> bool:
    return active_link(elder=elder, member=member) is not None


def normalise_code(value: str) -> str:
    text = unicodedata.normalize("NFKC", value or "").upper()
    return "".join(char for char in text if char.isascii() and char.isalnum())


def create_invitation(*, elder) -> FamilyInvitation:
    """A new code for the elder to tell a family member; earlier unused codes stop working."""
    now = timezone.now()
    FamilyInvitation.objects.filter(elder=elder, status=FamilyInvitation.OPEN).update(
        status=FamilyInvitation.WITHDRAWN)
    for _attempt in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                return FamilyInvitation.objects.create(
                    elder=elder, code=code, created_at=now, expires_at=now + timedelta(days=INVITATION_DAYS))
        except IntegrityError:
            continue
    raise FamilyError(_("暂时生成不了邀请码，请稍后再试。"))


def claim_invitation(*, member, code: str) -> FamilyInvitation:
    """The family member enters the code; the link exists only once the elder agrees."""
    code = normalise_code(code)
    with transaction.atomic():
        invitation = FamilyInvitation.objects.select_for_update().filter(code=code).first()
        if invitation is None or invitation.status != FamilyInvitation.OPEN:
            raise FamilyError(_("这个邀请码不对或已经用过了。请核对后再输入，或请长辈重新生成一个。"))
        if invitation.expired:
            raise FamilyError(_("这个邀请码已过期。请长辈在“家人”页面重新生成一个。"))
        if invitation.elder_id == member.pk:
            raise FamilyError(_("这是您自己的邀请码，请把它告诉您的家人。"))
        if is_linked(elder=invitation.elder, member=member):
            raise FamilyError(_("您和这位长辈已经关联了。"))
        invitation.status = FamilyInvitation.CLAIMED
        invitation.claimed_by = member
        invitation.claimed_at = timezone.now()
        invitation.save(update_fields=["status", "claimed_by", "claimed_at"])
    transaction.on_commit(lambda: notify.invitation_claimed(invitation=invitation))
    return invitation


def decide_invitation(*, elder, invitation: FamilyInvitation, accept: bool) -> FamilyLink | None:
    with transaction.atomic():
        invitation = FamilyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.elder_id != elder.pk:
            raise FamilyError(_("这不是您的邀请。"))
        if invitation.status != FamilyInvitation.CLAIMED:
            raise FamilyError(_("这个邀请已经处理过了。"))
        invitation.status = FamilyInvitation.ACCEPTED if accept else FamilyInvitation.DECLINED
        invitation.decided_at = timezone.now()
        invitation.save(update_fields=["status", "decided_at"])
        if not accept:
            return None
        link = active_link(elder=elder, member=invitation.claimed_by) or FamilyLink.objects.create(
            elder=elder, member=invitation.claimed_by)
    transaction.on_commit(lambda: notify.linked(link=link))
    return link


def link_directly(*, elder, member) -> FamilyLink:
    """For the demo seed and support staff: the link as if the elder had accepted."""
    return active_link(elder=elder, member=member) or FamilyLink.objects.create(elder=elder, member=member)


def unlink(*, link: FamilyLink, actor) -> None:
    if actor.pk not in {link.elder_id, link.member_id}:
        raise FamilyError(_("只有关联的双方可以解除关联。"))
    with transaction.atomic():
        link = FamilyLink.objects.select_for_update().get(pk=link.pk)
        if link.ended_at is not None:
            return
        link.ended_at, link.ended_by = timezone.now(), actor
        link.save(update_fields=["ended_at", "ended_by"])
    transaction.on_commit(lambda: notify.unlinked(link=link, actor=actor))


# --- Baskets and 代付 ---------------------------------------------------------------------

def open_basket(*, user):
    """The user's open basket with prices and offers applied, as the storefront shows it."""
    basket = Basket.open.filter(owner=user).order_by("-pk").first()
    if basket is None:
        return None
    return _priced(basket, user=user)


def _priced(basket, *, user):
    basket.strategy = Selector().strategy(user=user)
    Applicator().apply(basket, user)
    return basket


def snapshot(basket) -> tuple[list[dict], Decimal, str]:
    """What the basket holds, its total and a fingerprint that changes when either changes."""
    lines = [
        {
            "product_id": line.product_id,
            "title": line.product.get_title(),
            "quantity": line.quantity,
            "unit_price": str(line.unit_price_incl_tax),
            "line_price": str(line.line_price_incl_tax_incl_discounts),
        }
        for line in basket.all_lines()
    ]
    total = basket.total_incl_tax
    canonical = json.dumps({"lines": lines, "total": str(total)}, sort_keys=True, ensure_ascii=False)
    return lines, total, hashlib.sha256(canonical.encode()).hexdigest()


def default_address(*, user):
    return (UserAddress.objects.filter(user=user).order_by("-is_default_for_shipping", "-pk").first()
            if user is not None else None)


def create_pay_request(*, elder) -> PayRequest:
    basket = open_basket(user=elder)
    if basket is None or basket.is_empty:
        raise FamilyError(_("购物车是空的。请先把要买的东西放进购物车，再请家人代付。"))
    if default_address(user=elder) is None:
        raise FamilyError(_("请先在“我的账户—收货地址”里保存您的地址，家人代付后商品会寄到这个地址。"))
    if not FamilyLink.objects.filter(elder=elder, ended_at__isnull=True).exists():
        raise FamilyError(_("您还没有关联家人。请先在“家人”页面生成邀请码，让家人关联您。"))
    lines, total, fingerprint = snapshot(basket)
    now = timezone.now()
    return PayRequest.objects.create(
        elder=elder, basket=basket, lines=lines, total=total, currency=basket.currency or "CNY",
        fingerprint=fingerprint, token=secrets.token_urlsafe(32),
        created_at=now, expires_at=now + timedelta(hours=PAY_REQUEST_HOURS),
    )


def pay_request_for_token(token: str) -> PayRequest | None:
    if not token or len(token) > 64:
        return None
    return PayRequest.objects.select_related("elder").filter(token=token).first()


def refusal(*, pay_request: PayRequest, member) -> str | None:
    """Why this member may not pay this request now, or None."""
    if pay_request.paid_at is not None:
        return _("这个代付请求已经付过了，不用再付。")
    if pay_request.cancelled_at is not None:
        return _("这个代付请求已经作废了。")
    if pay_request.expired:
        return _("这个代付链接已过期（24 小时内有效）。请长辈重新发一个。")
    if member.pk == pay_request.elder_id:
        return _("这是您自己的代付链接，请把它发给已关联的家人。")
    if not is_linked(elder=pay_request.elder, member=member):
        return _("只有和这位长辈关联了的家人才能代付。")
    return None


def basket_changed(*, pay_request: PayRequest) -> bool:
    basket = pay_request.basket
    if basket is None or basket.status != Basket.OPEN:
        return True
    return snapshot(_priced(basket, user=pay_request.elder))[2] != pay_request.fingerprint


def pay_for(*, pay_request: PayRequest, member, payment_method: str, request=None):
    """Place the elder's order, shipped to the elder's saved address, paid by ``member``."""
    from marketplace.checkout.placement import place_order
    from marketplace.checkout.shipping import courier

    with transaction.atomic():
        pay_request = PayRequest.objects.select_for_update().select_related("elder").get(pk=pay_request.pk)
        reason = refusal(pay_request=pay_request, member=member)
        if reason:
            raise FamilyError(reason)
        basket = Basket.objects.select_for_update().filter(pk=pay_request.basket_id).first()
        if basket is None or basket.status != Basket.OPEN:
            raise FamilyError(_("长辈的购物车已经变了，和链接里的不一样。请长辈重新发一个代付链接。"))
        basket = _priced(basket, user=pay_request.elder)
        if snapshot(basket)[2] != pay_request.fingerprint:
            raise FamilyError(_("长辈的购物车已经变了，和链接里的不一样。请长辈重新发一个代付链接。"))
        saved = default_address(user=pay_request.elder)
        if saved is None:
            raise FamilyError(_("长辈还没有保存收货地址，请长辈先添加地址。"))
        address = ShippingAddress()
        saved.populate_alternative_model(address)
        order = place_order(basket=basket, user=pay_request.elder, shipping_address=address,
                            shipping_method=courier(), payment_method=payment_method, placed_by=member,
                            request=request)
        pay_request.paid_at, pay_request.paid_by, pay_request.order = timezone.now(), member, order
        pay_request.save(update_fields=["paid_at", "paid_by", "order"])
        OrderBeneficiary.objects.create(order=order, elder=pay_request.elder, member=member,
                                        kind=OrderBeneficiary.PAY_FOR)
    transaction.on_commit(lambda: notify.paid_for(pay_request=pay_request, order=order))
    return order


def cancel_pay_request(*, pay_request: PayRequest, elder) -> None:
    if pay_request.elder_id != elder.pk:
        raise FamilyError(_("这不是您的代付请求。"))
    PayRequest.objects.filter(pk=pay_request.pk, paid_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now())


def record_bought_for(*, order, elder, member) -> OrderBeneficiary | None:
    """A family member's own order sent to the elder (为家人购买)."""
    if not is_linked(elder=elder, member=member):
        return None
    beneficiary, created = OrderBeneficiary.objects.get_or_create(
        order=order, defaults={"elder": elder, "member": member, "kind": OrderBeneficiary.BUY_FOR})
    if created:
        transaction.on_commit(lambda: notify.bought_for(beneficiary=beneficiary))
    return beneficiary
