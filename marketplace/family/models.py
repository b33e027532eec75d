"""Family links between an older person and the family members who buy or pay for them.

The older person stays in control: they make the invitation code, they accept (or turn
down) whoever entered it, and either side can end the link at any time. A 代付 request is
a snapshot of the older person's basket with an unguessable token; it can be paid once,
before it expires, by a linked family member, and only while the basket still matches.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class FamilyLink(models.Model):
    elder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="family_members_links", verbose_name="长辈")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="family_elder_links", verbose_name="家人")
    created_at = models.DateTimeField("关联时间", default=timezone.now)
    ended_at = models.DateTimeField("解除时间", null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="解除人")

    class Meta:
        verbose_name = "家人关联"
        verbose_name_plural = "家人关联"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["elder", "member"], condition=Q(ended_at__isnull=True),
                                    name="one_active_family_link"),
            models.CheckConstraint(condition=~Q(elder=models.F("member")), name="family_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.elder_id}"

    @property
    def active(self) -> bool:
        return self.ended_at is None


class FamilyInvitation(models.Model):
    OPEN, CLAIMED, ACCEPTED, DECLINED, WITHDRAWN = "open", "claimed", "accepted", "declined", "withdrawn"
    STATUSES = [(OPEN, "等待家人填写"), (CLAIMED, "等待长辈确认"), (ACCEPTED, "已同意"),
                (DECLINED, "已拒绝"), (WITHDRAWN, "已作废")]

    elder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="family_invitations", verbose_name="长辈")
    code = models.CharField("邀请码", max_length=12, unique=True)
    status = models.CharField("状态", max_length=16, choices=STATUSES, default=OPEN)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("有效期至")
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="family_claims", verbose_name="填写邀请码的家人")
    claimed_at = models.DateTimeField("填写时间", null=True, blank=True)
    decided_at = models.DateTimeField("长辈决定时间", null=True, blank=True)

    class Meta:
        verbose_name = "家人邀请码"
        verbose_name_plural = "家人邀请码"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at


class PayRequest(models.Model):
    """代付: the elder asks a linked family member to pay for the basket as it is now."""

    elder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="pay_requests", verbose_name="长辈")
    token = models.CharField("链接令牌", max_length=64, unique=True)
    basket = models.ForeignKey("basket.Basket", on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name="购物车")
    lines = models.JSONField("商品清单")
    total = models.DecimalField("合计", max_digits=12, decimal_places=2)
    currency = models.CharField("币种", max_length=3, default="CNY")
    fingerprint = models.CharField("清单指纹", max_length=64)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("有效期至")
    cancelled_at = models.DateTimeField("作废时间", null=True, blank=True)
    paid_at = models.DateTimeField("代付时间", null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="pay_requests_paid", verbose_name="代付的家人")
    order = models.OneToOneField("order.Order", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="pay_request", verbose_name="订单")

    class Meta:
        verbose_name = "代付请求"
        verbose_name_plural = "代付请求"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.elder_id} {self.total}"

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def open(self) -> bool:
        return self.paid_at is None and self.cancelled_at is None and not self.expired


class OrderBeneficiary(models.Model):
    """The older person an order is for, when a family member bought or paid for it."""

    BUY_FOR, PAY_FOR = "buy_for", "pay_for"
    KINDS = [(BUY_FOR, "家人代买"), (PAY_FOR, "家人代付")]

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="beneficiary",
                                 verbose_name="订单")
    elder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="orders_received", verbose_name="长辈")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="orders_given", verbose_name="家人")
    kind = models.CharField("方式", max_length=16, choices=KINDS)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "为家人下的订单"
        verbose_name_plural = "为家人下的订单"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.order_id} → {self.elder_id}"
