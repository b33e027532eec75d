"""Claim screening (广告法, DOMAIN.md §3) and shopper reports.

``RedFlagTerm`` is the lexicon every product text and campaign text is screened against
(``screening.py``); platform admins edit it in the Django admin. ``ShopperReport`` is what a
shopper tells the regulators about a product; ``ReportStatusChange`` is each step a regulator
takes on it, with the note the shopper sees.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The kinds of product the law treats differently (DOMAIN.md §3). ``screening.claim_class``
# decides which one a product is.
HEALTH_FOOD, FOOD, MEDICAL_DEVICE, GENERAL = "health_food", "food", "medical_device", "general"
PRODUCT_KINDS = [
    (HEALTH_FOOD, "保健食品"),
    (FOOD, "普通食品（含人参、鹿茸）"),
    (MEDICAL_DEVICE, "医疗器械"),
    (GENERAL, "其他商品（康复辅具、日用品等）"),
]
ALL_KINDS = tuple(key for key, _label in PRODUCT_KINDS)


class RedFlagTerm(models.Model):
    """A word or phrase that may not appear in a listing of the given kinds of product.

    ``term`` may hold one gap, written ``…``: 「治疗…病」 matches 「治疗糖尿病」. ``allowed_phrases``
    are longer phrases that contain the term but state a fact, not a claim (「最大承重」 for 「最」,
    the 2023 SAMR guidance on absolute terms (《广告绝对化用语执法指南》) allows describing a
    product's own specification); an occurrence inside one of them is not reported.
    """

    ABSOLUTE, DISEASE, EFFICACY, SAFETY, NECESSITY, MEDICINE, ENDORSEMENT = (
        "absolute", "disease", "efficacy", "safety", "necessity", "medicine", "endorsement")
    CATEGORIES = [
        (ABSOLUTE, "绝对化用语"),
        (DISEASE, "疾病治疗、预防"),
        (EFFICACY, "功效保证、有效率"),
        (SAFETY, "安全性断言"),
        (NECESSITY, "声称健康必需"),
        (MEDICINE, "与药品比较、替代药物"),
        (ENDORSEMENT, "专家、患者证明"),
    ]

    term = models.CharField("用语", max_length=40, unique=True,
                            help_text="可用一个「…」表示中间的几个字，例如「治疗…病」。")
    category = models.CharField("类别", max_length=16, choices=CATEGORIES)
    legal_basis = models.CharField("法律依据", max_length=120, help_text="例如：《广告法》第十七条")
    product_kinds = models.CharField(
        "适用商品", max_length=80, default=",".join(ALL_KINDS),
        help_text="在哪些商品上不得使用。")
    explanation = models.TextField("为什么不能用", help_text="用平实的话告诉商家问题在哪里。")
    allowed_phrases = models.TextField(
        "不算违规的说法", blank=True,
        help_text="每行一个。含有这个用语、但只是说明商品自身规格的说法，例如「最大承重」。")
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "广告违规用语"
        verbose_name_plural = "广告违规用语"
        ordering = ["category", "term"]

    def __str__(self) -> str:
        return self.term

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind in self.product_kinds.split(",") if kind)

    @property
    def kinds_display(self) -> str:
        names = dict(PRODUCT_KINDS)
        if set(self.kinds) >= set(ALL_KINDS):
            return "全部商品"
        return "、".join(names.get(kind, kind) for kind in self.kinds)

    @property
    def allowed(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.allowed_phrases.splitlines() if line.strip())


def _reference() -> str:
    return "JB" + timezone.localtime().strftime("%y%m%d") + secrets.token_hex(3).upper()


def _access_token() -> str:
    return secrets.token_urlsafe(24)


class ShopperReport(models.Model):
    """A shopper's report on a product: a suspicious claim or a quality problem."""

    CLAIM, QUALITY = "claim", "quality"
    KINDS = [(CLAIM, _("宣传说法可疑（夸大、虚假、冒充药品等）")), (QUALITY, _("商品质量有问题"))]
    RECEIVED, INVESTIGATING, RESOLVED, DISMISSED = "received", "investigating", "resolved", "dismissed"
    STATUSES = [
        (RECEIVED, _("已收到，等待处理")),
        (INVESTIGATING, _("监管人员正在核查")),
        (RESOLVED, _("已处理")),
        (DISMISSED, _("经核查未发现问题")),
    ]

    reference = models.CharField("举报编号", max_length=20, unique=True, default=_reference, editable=False)
    access_token = models.CharField(max_length=64, unique=True, default=_access_token, editable=False)
    product = models.ForeignKey("catalogue.Product", on_delete=models.PROTECT, related_name="shopper_reports",
                                verbose_name="商品")
    kind = models.CharField("问题类型", max_length=16, choices=KINDS)
    details = models.TextField("问题描述")
    photo = models.FileField("照片", upload_to="claims/reports/", blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="shopper_reports", verbose_name="举报人")
    contact_name = models.CharField("称呼", max_length=40, blank=True)
    contact_phone = models.CharField("联系电话", max_length=11, blank=True)
    status = models.CharField("状态", max_length=16, choices=STATUSES, default=RECEIVED, db_index=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "消费者举报"
        verbose_name_plural = "消费者举报"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in (self.RECEIVED, self.INVESTIGATING)


class ReportStatusChange(models.Model):
    """One step a regulator took on a report. The note is shown to the shopper who reported."""

    report = models.ForeignKey(ShopperReport, on_delete=models.CASCADE, related_name="changes",
                               verbose_name="举报")
    from_status = models.CharField("原状态", max_length=16, choices=ShopperReport.STATUSES)
    to_status = models.CharField("新状态", max_length=16, choices=ShopperReport.STATUSES)
    note = models.TextField("处理说明")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="处理人")
    changed_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "举报处理记录"
        verbose_name_plural = "举报处理记录"
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"
