"""The transparency log's storage: leaves, the log's right edge, checkpoints, cosignatures.

``LogLeaf`` rows are append-only (the database refuses UPDATE and DELETE, migration
0002). Each leaf row also stores the hashes of the complete subtrees it closes
(``nodes``: level 1 first), so any node of the tree is one row away and a proof needs
one query. Nothing here is trusted by verification: the root is recomputed from the
leaves and compared with a checkpoint whose signature is checked against keys that
live outside the database.
"""

from django.db import models
from django.utils import timezone

from traceability.models import AppendOnlyModel, AppendOnlyQuerySet


class LogLeaf(AppendOnlyModel):
    index = models.BigIntegerField("序号", primary_key=True)
    kind = models.CharField("类型", max_length=16)
    lot_id = models.BigIntegerField("批次", null=True, blank=True, db_index=True)
    record_key = models.CharField("记录编号", max_length=64)
    data = models.BinaryField("记录")
    hash = models.BinaryField("叶哈希")
    nodes = models.BinaryField("完成的子树哈希", default=b"")
    appended_at = models.DateTimeField("追加时间", default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "透明日志叶"
        verbose_name_plural = "透明日志叶"
        ordering = ["index"]
        indexes = [models.Index(fields=["kind", "record_key"], name="tlog_leaf_record_idx")]


class PendingLeaf(models.Model):
    """A record queued for the log in the record's own transaction, waiting for its index.

    The sequencer (``log.integrate``) turns committed rows into ``LogLeaf`` rows in id
    order and deletes them, so this table is not append-only. Its rows are not trusted:
    the leaf hash is computed from ``data`` at integration, and verification compares
    every integrated leaf with the live record, so a pending row rewritten, added or
    deleted by the database's owner shows as a record that disagrees with the log.
    """

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField("类型", max_length=16)
    lot_id = models.BigIntegerField("批次", null=True, blank=True, db_index=True)
    record_key = models.CharField("记录编号", max_length=64)
    data = models.BinaryField("记录")
    queued_at = models.DateTimeField("收到时间", default=timezone.now)

    class Meta:
        verbose_name = "待写入日志的记录"
        verbose_name_plural = "待写入日志的记录"
        indexes = [models.Index(fields=["kind", "record_key"], name="tlog_pending_record_idx")]

    def __str__(self) -> str:
        return f"待写入日志：{self.kind} {self.record_key}"


class LogHead(models.Model):
    """One row: the tree size and its right edge, locked by the integrator (dense indices)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField(default=0)
    frontier = models.BinaryField(default=b"")

    class Meta:
        verbose_name = "透明日志状态"

    def __str__(self) -> str:
        return f"透明日志：{self.size} 条记录"


class SignedCheckpoint(AppendOnlyModel):
    size = models.BigIntegerField("树大小", db_index=True)
    root_hash = models.BinaryField("根哈希")
    note = models.TextField("签名检查点")
    signed_at = models.DateTimeField("签署时间", default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "签名检查点"
        verbose_name_plural = "签名检查点"
        ordering = ["-size", "-id"]


class Cosignature(AppendOnlyModel):
    """A witness's cosignature line on a checkpoint (c2sp.org/tlog-cosignature)."""

    checkpoint = models.ForeignKey(SignedCheckpoint, on_delete=models.PROTECT, related_name="cosignatures")
    witness = models.CharField("见证方", max_length=128)
    line = models.TextField("签名行")
    signed_at = models.DateTimeField("见证时间")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "见证签名"
        verbose_name_plural = "见证签名"
        constraints = [models.UniqueConstraint(fields=["checkpoint", "witness"], name="one_cosignature_per_witness")]
