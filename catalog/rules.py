"""Catalogue rules that hold whatever screen a product is edited on.

Each product class (see ``catalog/product_classes.py``) declares its attributes;
Oscar enforces the required ones. The rules here are the ones a type check cannot
express: the blue-hat number format and the statements the law requires
(../shared/reference/DOMAIN.md §3), and ginseng sold as food (卫生部公告2012年第17号).
"""

import re

from django.core.exceptions import ValidationError

NOT_A_MEDICINE = "本品不能代替药物"
BLUE_HAT_PATTERNS = (
    re.compile(r"^国食健注G(19|20)\d{2}\d{4}$"),  # registered: year + 4-digit sequence
    re.compile(r"^食健备G(19|20)\d{2}\d{2}\d{6}$"),  # filed: year + province + 6-digit sequence
    re.compile(r"^食健备J(19|20)\d{2}\d{2}\d{6}$"),  # imported, filed
)
GINSENG_FOOD_MAX_YEARS = 5
GINSENG_FOOD_MAX_DAILY_GRAMS = 3
GINSENG_FOOD_UNSUITABLE = ("孕妇", "哺乳期", "14周岁以下")


def validate_blue_hat_number(value: str) -> None:
    number = (value or "").strip()
    if not any(pattern.match(number) for pattern in BLUE_HAT_PATTERNS):
        raise ValidationError(
            "保健食品批准文号格式不正确。注册产品为「国食健注G+4位年份+4位顺序号」，"
            "备案产品为「食健备G+4位年份+2位省份代码+6位顺序号」。",
            code="blue_hat",
        )


def product_rule_errors(product) -> dict[str, str]:
    """Errors keyed by attribute code, for a product whose attributes are loaded."""
    slug = product.get_product_class().slug if product.get_product_class() else ""
    attr = product.attr
    errors: dict[str, str] = {}
    if slug == "health-food":
        number = getattr(attr, "blue_hat_number", "") or ""
        try:
            validate_blue_hat_number(number)
        except ValidationError as error:
            errors["blue_hat_number"] = error.messages[0]
        if NOT_A_MEDICINE not in (getattr(attr, "statement", "") or ""):
            errors["statement"] = f"保健食品必须标明「{NOT_A_MEDICINE}」。"
    if slug == "ginseng" and getattr(attr, "sold_as_food", False):
        years = getattr(attr, "growth_years", None)
        if years is not None and years > GINSENG_FOOD_MAX_YEARS:
            errors["growth_years"] = f"作为食品销售的人参，年限不得超过{GINSENG_FOOD_MAX_YEARS}年。"
        daily = getattr(attr, "daily_amount_g", None)
        if daily is None or not 0 < daily <= GINSENG_FOOD_MAX_DAILY_GRAMS:
            errors["daily_amount_g"] = f"作为食品销售的人参，每日食用量须标明且不超过{GINSENG_FOOD_MAX_DAILY_GRAMS}克。"
        unsuitable = getattr(attr, "unsuitable_groups", "") or ""
        missing = [group for group in GINSENG_FOOD_UNSUITABLE if group not in unsuitable]
        if missing:
            errors["unsuitable_groups"] = "作为食品销售的人参须标明不适宜人群：孕妇、哺乳期妇女及14周岁以下儿童。"
    return errors
