"""Telling both sides by e-mail. Plain words; no links that push anyone to pay."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from marketplace.family.selectors import display_name

logger = logging.getLogger(__name__)


def _name(user) -> str:
    return display_name(user)


def _send(user, subject: str, body: str) -> None:
    if not user.email:
        return
    body += f"\n\n在“家人”页面查看：{settings.SITE_URL}{reverse('family:home')}\n银龄集市"
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except OSError as error:  # mail must never undo what the person just did
        logger.error("Family mail to %s failed: %s", user.email, error)


def invitation_claimed(*, invitation) -> None:
    _send(invitation.elder, "有家人想和您关联",
          f"{_name(invitation.claimed_by)}（{invitation.claimed_by.email}）输入了您的邀请码 {invitation.code}。\n"
          "如果是您的家人，请到“家人”页面点“同意”；如果不认识，请点“不同意”。")


def linked(*, link) -> None:
    _send(link.elder, "您已和家人关联", f"您已和 {_name(link.member)} 关联。对方可以为您买东西、替您付款。")
    _send(link.member, "长辈已同意关联", f"{_name(link.elder)} 已同意和您关联。")


def unlinked(*, link, actor) -> None:
    for user in (link.elder, link.member):
        _send(user, "家人关联已解除", f"{_name(actor)} 解除了 {_name(link.elder)} 和 {_name(link.member)} 的关联。")


def paid_for(*, pay_request, order) -> None:
    member, elder = pay_request.paid_by, pay_request.elder
    _send(elder, "家人已为您下单",
          f"{_name(member)} 已为您的购物车下单，订单号 {order.number}，金额 ¥{order.total_incl_tax}。\n"
          "商品会寄到您保存的地址。")
    _send(member, "代付订单已提交",
          f"您已为 {_name(elder)} 下单，订单号 {order.number}，金额 ¥{order.total_incl_tax}，订单状态：{order.status}。")


def bought_for(*, beneficiary) -> None:
    order = beneficiary.order
    _send(beneficiary.elder, "家人为您买了东西",
          f"{_name(beneficiary.member)} 为您买了东西，订单号 {order.number}，会寄到您保存的地址。")
    _send(beneficiary.member, "为家人购买的订单已提交",
          f"您为 {_name(beneficiary.elder)} 下的订单 {order.number} 已提交，订单状态：{order.status}。")
