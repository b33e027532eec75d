"""What Stripe told us and what we asked of it.

Oscar's payment ``Source``/``Transaction`` and the order's ``PaymentEvent`` rows hold the
money movements; these models hold the Stripe side: which Checkout Session belongs to
which order, every webhook event as received (processed exactly once), and every refund
we asked for with the idempotency key that makes a retry safe.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class StripeCheckout(models.Model):
    """The Checkout Session opened for one order (one per order: a new attempt expires the old one)."""

    order = models.OneToOneField(
        "order.Order", on_delete=models.PROTECT, related_name="stripe_checkout", verbose_name="订单"
    )
    session_id = models.CharField("Checkout Session", max_length=255, unique=True)
    payment_intent_id = models.CharField("PaymentIntent", max_length=255, blank=True, db_index=True)
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    currency = models.CharField("币种", max_length=3, default="CNY")
    url = models.URLField("付款页地址", max_length=2000, blank=True)
    status = models.CharField("会话状态", max_length=16, default="open")
    payment_status = models.CharField("付款状态", max_length=24, default="unpaid")
    expires_at = models.DateTimeField("付款期限")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "Stripe 付款会话"
        verbose_name_plural = "Stripe 付款会话"

    def __str__(self) -> str:
        return self.session_id


class StripeEvent(models.Model):
    """A webhook event exactly as received; ``processed_at`` is set once, under a row lock."""

    event_id = models.CharField("事件编号", max_length=255, unique=True)
    type = models.CharField("类型", max_length=100, db_index=True)
    session_id = models.CharField("Checkout Session", max_length=255, blank=True, db_index=True)
    payload = models.JSONField("内容")
    received_at = models.DateTimeField("收到时间", default=timezone.now)
    deliveries = models.PositiveIntegerField("收到次数", default=1)
    processed_at = models.DateTimeField("处理时间", null=True, blank=True)
    outcome = models.CharField("处理结果", max_length=64, blank=True)
    detail = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "Stripe 通知"
        verbose_name_plural = "Stripe 通知"
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class StripeRefund(models.Model):
    """One refund asked of Stripe. Written before the call, so a failed call is never forgotten."""

    PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"
    STATUSES = [(PENDING, "处理中"), (SUCCEEDED, "已退款"), (FAILED, "退款失败")]

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="stripe_refunds",
                              verbose_name="订单")
    amount = models.DecimalField("金额", max_digits=12, decimal_places=2)
    reason = models.CharField("原因", max_length=255)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name="操作人")
    automatic = models.BooleanField("系统自动退款", default=False)
    idempotency_key = models.CharField("幂等键", max_length=100, unique=True)
    refund_id = models.CharField("Stripe 退款编号", max_length=255, blank=True)
    status = models.CharField("状态", max_length=16, choices=STATUSES, default=PENDING)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "Stripe 退款"
        verbose_name_plural = "Stripe 退款"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.amount} {self.status}"
