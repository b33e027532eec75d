"""Lots, their tamper-evident event chains, and merchants' quality commitments.

Shaped after GS1 EPCIS 2.0 and CBV 2.0 (../shared/reference/DOMAIN.md §2). Events and
commitments are append-only: a wrong event is corrected by a new event that declares it
wrong (EPCIS error declaration). The rules live in ``traceability/chain.py``; the
database refuses UPDATE and DELETE on the append-only tables (see migration 0002).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.storefront_cache import VersionedQuerySet
from traceability import vocabulary
from traceability.gtin import validate_gtin14, validate_lot_number


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only record."""


class AppendOnlyModel(models.Model):
    """A row that, once written, is never updated or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不能修改。")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{self._meta.verbose_name}只能追加，不能删除。")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("追溯记录只能追加，不能批量修改。")

    def delete(self):
        raise AppendOnlyError("追溯记录只能追加，不能删除。")

    # Bulk updates bypass save(); refuse them too.
    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("追溯记录只能追加，不能批量修改。")


class QualityCommitment(AppendOnlyModel):
    """A merchant's versioned quality commitment (质量承诺).

    A new version supersedes the last from its ``effective_from``. Lots point at the
    version in force when they were listed, so a shopper sees what was promised then.
    """

    merchant = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="quality_commitments", verbose_name="商家"
    )
    version = models.PositiveIntegerField("版本")
    standards = models.JSONField("执行标准", default=list, help_text="GB / GB/T 标准编号列表")
    quality_promise = models.TextField("质量承诺")
    returns_promise = models.TextField("退换货承诺")
    after_sales_promise = models.TextField("售后服务承诺")
    contact_name = models.CharField("责任人", max_length=64)
    contact_phone = models.CharField("联系电话", max_length=32)
    contact_hours = models.CharField("服务时间", max_length=64, blank=True)
    effective_from = models.DateTimeField("生效时间", default=timezone.now)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "质量承诺"
        verbose_name_plural = "质量承诺"
        ordering = ["merchant", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "version"], name="one_commitment_version")
        ]

    def __str__(self) -> str:
        return f"{self.merchant} 质量承诺 第{self.version}版"


class Lot(models.Model):
    """A batch of one SKU: what a trace code and a QR label point at."""

    ACTIVE, SUSPENDED, RECALLED = "active", "suspended", "recalled"
    STATUSES = [(ACTIVE, _("正常销售")), (SUSPENDED, _("暂停销售")), (RECALLED, _("已召回"))]
    CHAIN_UNVERIFIED, CHAIN_INTACT, CHAIN_BROKEN, CHAIN_AWAITING = "unverified", "intact", "broken", "awaiting"
    CHAIN_STATUSES = [(CHAIN_UNVERIFIED, "未校验"), (CHAIN_INTACT, "完整"), (CHAIN_BROKEN, "已损坏"),
                      (CHAIN_AWAITING, "待录入")]

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.PROTECT, related_name="lots", verbose_name="商品"
    )
    merchant = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="lots", verbose_name="商家"
    )
    commitment = models.ForeignKey(
        QualityCommitment, on_delete=models.PROTECT, related_name="lots", verbose_name="适用质量承诺"
    )
    gtin = models.CharField("GTIN-14", max_length=14, validators=[validate_gtin14], db_index=True)
    lot_number = models.CharField("批号", max_length=20, validators=[validate_lot_number])
    produced_on = models.DateField("生产/采收日期")
    expires_on = models.DateField("保质期至", null=True, blank=True)
    quantity = models.PositiveIntegerField("数量")
    status = models.CharField("销售状态", max_length=16, choices=STATUSES, default=ACTIVE, db_index=True)
    status_reason = models.TextField("状态原因", blank=True)
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    chain_status = models.CharField(
        "链校验结果", max_length=16, choices=CHAIN_STATUSES, default=CHAIN_UNVERIFIED, db_index=True
    )
    chain_checked_at = models.DateTimeField("最近校验时间", null=True, blank=True)
    chain_problem = models.TextField("校验发现的问题", blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = "追溯批次"
        verbose_name_plural = "追溯批次"
        ordering = ["-produced_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["gtin", "lot_number"], name="one_lot_per_gtin_and_number"),
        ]
        indexes = [models.Index(fields=["product", "status", "-produced_on"], name="lot_current_idx")]
        permissions = [
            ("suspend_lot", "可以暂停或恢复批次销售"),
            ("recall_lot", "可以召回批次"),
            ("verify_lot", "可以校验追溯链"),
            ("export_traceability", "可以导出追溯数据"),
        ]

    def __str__(self) -> str:
        return f"{self.code}"

    @property
    def code(self) -> str:
        """The public lot code, as printed on labels and used in /trace/<code>/."""
        return f"{self.gtin}-{self.lot_number}"

    @property
    def digital_link_path(self) -> str:
        return f"/01/{self.gtin}/10/{self.lot_number}"


class TraceEvent(AppendOnlyModel):
    """One EPCIS event in a lot's chain. ``hash`` covers every other stored field."""

    OBJECT, TRANSFORMATION = vocabulary.OBJECT_EVENT, vocabulary.TRANSFORMATION_EVENT
    AGGREGATION, TRANSACTION, ASSOCIATION = "AggregationEvent", "TransactionEvent", "AssociationEvent"
    EVENT_TYPES = [(t, t) for t in (OBJECT, TRANSFORMATION, AGGREGATION, TRANSACTION, ASSOCIATION)]
    ACTIONS = [("ADD", "ADD"), ("OBSERVE", "OBSERVE"), ("DELETE", "DELETE")]

    # What happened, in our words; declared with its EPCIS mapping in traceability/vocabulary.py.
    KINDS = vocabulary.CHOICES

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="events", verbose_name="批次")
    sequence = models.PositiveIntegerField("序号")
    kind = models.CharField("环节", max_length=16, choices=KINDS)
    event_type = models.CharField("EPCIS 事件类型", max_length=24, choices=EVENT_TYPES)
    action = models.CharField("动作", max_length=8, choices=ACTIONS, blank=True)
    biz_step = models.CharField("业务步骤 (CBV)", max_length=128)
    disposition = models.CharField("处置状态 (CBV)", max_length=64, blank=True)
    event_time = models.DateTimeField("发生时间")
    event_timezone_offset = models.CharField("时区", max_length=6, default="+08:00")
    location_gln = models.CharField("地点 GLN", max_length=13, blank=True)
    location_name = models.CharField("地点名称", max_length=128, blank=True)
    county = models.CharField("县（市、区）", max_length=32, blank=True)
    responsible_party = models.CharField("责任方", max_length=128)
    data = models.JSONField("环节数据", default=dict, blank=True)
    attachment = models.FileField("检验报告文件", upload_to="trace/reports/%Y/%m/", blank=True)
    attachment_sha256 = models.CharField("报告文件 SHA-256", max_length=64, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
        verbose_name="更正的事件",
    )
    correction_reason = models.CharField("更正原因", max_length=32, blank=True)
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    previous_hash = models.CharField("上一事件哈希", max_length=64)
    hash = models.CharField("本事件哈希", max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "追溯事件"
        verbose_name_plural = "追溯事件"
        ordering = ["lot", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "sequence"], name="one_event_per_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_id} #{self.sequence} {self.get_kind_display()}"


class AuditEntry(AppendOnlyModel):
    """What a regulator (or the platform) did, when, to what and why. Append-only."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="操作人",
    )
    action = models.CharField("操作", max_length=32, db_index=True)
    target_type = models.CharField("对象类型", max_length=32)
    target_id = models.CharField("对象编号", max_length=64)
    target_label = models.CharField("对象", max_length=255)
    reason = models.TextField("原因", blank=True)
    details = models.JSONField("详情", default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "监管操作记录"
        verbose_name_plural = "监管操作记录"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"
