"""Orders record who placed them for whom; lines carry the traceability lot they were sold from."""

from django.conf import settings
from django.db import models
from oscar.apps.order.abstract_models import AbstractLine, AbstractOrder


class Order(AbstractOrder):
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders_placed_for_others",
        verbose_name="代下单的家人",
    )


class Line(AbstractLine):
    lot = models.ForeignKey(
        "traceability.Lot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name="追溯批次",
    )
    # Set once the line's units have gone back to its lot (cancellation, approved return),
    # so they are never given back twice.
    lot_released_at = models.DateTimeField("批次库存退回时间", null=True, blank=True)
    # Each merchant ships its own lines (marketplace/order/fulfilment.py).
    carrier = models.CharField("快递公司", max_length=32, blank=True)
    tracking_number = models.CharField("快递单号", max_length=40, blank=True)
    shipped_at = models.DateTimeField("发货时间", null=True, blank=True)
    delivered_at = models.DateTimeField("收货时间", null=True, blank=True)


class ReturnRequest(models.Model):
    """A shopper's 7-day no-reason return of one order line, decided by the line's merchant."""

    REQUESTED, APPROVED, REJECTED = "requested", "approved", "rejected"
    STATUSES = [(REQUESTED, "等待商家处理"), (APPROVED, "商家已同意，退款处理中"), (REJECTED, "商家未同意")]

    line = models.ForeignKey("order.Line", on_delete=models.PROTECT, related_name="return_requests",
                             verbose_name="订单商品")
    reason = models.TextField("退货原因（可不填）", blank=True)
    still_sealed = models.BooleanField("包装未拆封", default=False)
    status = models.CharField("状态", max_length=16, choices=STATUSES, default=REQUESTED, db_index=True)
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    merchant_note = models.TextField("商家说明", blank=True)
    refund_amount = models.DecimalField("退款金额", max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        app_label = "order"
        verbose_name = "退货申请"
        verbose_name_plural = "退货申请"
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["line"], condition=models.Q(status__in=["requested", "approved"]),
                                    name="one_open_return_per_line"),
        ]

    def __str__(self) -> str:
        return f"退货申请 {self.line_id}（{self.get_status_display()}）"


from oscar.apps.order.models import *  # noqa: E402,F401,F403
