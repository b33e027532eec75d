"""Merchants are Oscar partners with the licence information the law asks us to show.

电子商务法 Art. 15 and 网络交易监督管理办法 (2021): a shop shows its business licence
and permits continuously. Staff are linked through Oscar's ``Partner.users``.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from oscar.apps.partner.abstract_models import AbstractPartner

from marketplace.credit_code import validate_credit_code
from marketplace.phone import validate_service_phone

FOOD_LICENCE_PATTERN = re.compile(r"^(JY|SC)\d{14}$")
GS1_PREFIX_PATTERN = re.compile(r"[0-9]{4,12}", re.ASCII)


def validate_gs1_company_prefix(value: str) -> None:
    if value and not GS1_PREFIX_PATTERN.fullmatch(value):
        raise ValidationError("GS1 厂商识别代码应为 4 到 12 位阿拉伯数字（见中国物品编码中心颁发的《系统成员证书》）。",
                              code="gs1_prefix")


def validate_food_licence(value: str) -> None:
    if value and not FOOD_LICENCE_PATTERN.match(value.strip()):
        raise ValidationError(
            "食品经营/生产许可证编号格式不正确，应为 JY 或 SC 加14位数字。", code="food_licence"
        )


class Partner(AbstractPartner):
    name_en = models.CharField("英文名称", max_length=128, blank=True)
    legal_name = models.CharField("企业名称（营业执照）", max_length=128, default="")
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, null=True, validators=[validate_credit_code]
    )
    sells_food = models.BooleanField("销售食品", default=False)
    food_licence_number = models.CharField(
        "食品经营许可证编号", max_length=16, blank=True, validators=[validate_food_licence]
    )
    service_phone = models.CharField("客服电话", max_length=20, blank=True, validators=[validate_service_phone])
    business_address = models.CharField("经营地址", max_length=255, blank=True)
    gs1_company_prefix = models.CharField(
        "GS1 厂商识别代码", max_length=12, blank=True, validators=[validate_gs1_company_prefix],
        help_text="商品条码前几位，由中国物品编码中心分配。商家只能为这个代码下的商品条码建立批次。",
    )

    def clean(self):
        super().clean()
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        if self.gs1_company_prefix:
            self.gs1_company_prefix = self.gs1_company_prefix.strip()
            overlapping = (
                type(self).objects.exclude(pk=self.pk).exclude(gs1_company_prefix="")
                .filter(gs1_company_prefix__in=[self.gs1_company_prefix[:n] for n in range(4, 13)])
            )
            longer = type(self).objects.exclude(pk=self.pk).filter(gs1_company_prefix__startswith=self.gs1_company_prefix)
            if overlapping.exists() or longer.exists():
                raise ValidationError({"gs1_company_prefix": "这个 GS1 厂商识别代码与其他商家的代码重叠，请核对。"})
        if self.sells_food and not self.food_licence_number:
            raise ValidationError({"food_licence_number": "销售食品的商家必须填写食品经营许可证编号。"})

    @property
    def display_name(self) -> str:
        from django.utils import translation

        if self.name_en and (translation.get_language() or "").startswith("en"):
            return self.name_en
        return self.name or self.code


from oscar.apps.partner.models import *  # noqa: E402,F401,F403
