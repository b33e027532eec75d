"""The statements the law requires on a listing, worked out from the product itself.

They are rendered by the platform beside the product (``claims/product_notices.html``), not typed by
the merchant, so a merchant cannot remove or reword them (DOMAIN.md §3):

- health food (保健食品): 「本品不能代替药物」 and the label warning 「保健食品不是药物，不能代替药物治疗疾病」,
  with its blue-hat number (the format is checked by ``catalog.rules.validate_blue_hat_number``
  when the product is saved; a number that does not pass is not shown as one);
- a medical device sold for personal use (hearing aids, blood-pressure and glucose meters, aids
  with a device filing): 「请仔细阅读产品说明书或者在医务人员的指导下购买和使用」 and
  「禁忌内容或者注意事项详见说明书」.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from catalog.rules import validate_blue_hat_number
from marketplace.claims.models import HEALTH_FOOD, MEDICAL_DEVICE
from marketplace.claims.screening import kind_of

NOT_A_MEDICINE = _("本品不能代替药物。")
HEALTH_FOOD_WARNING = _("保健食品不是药物，不能代替药物治疗疾病。")
DEVICE_NOTICE = _("请仔细阅读产品说明书或者在医务人员的指导下购买和使用。")
DEVICE_CONTRAINDICATIONS = _("禁忌内容或者注意事项详见说明书。")


@dataclass(frozen=True)
class Notices:
    kind: str
    statements: list = field(default_factory=list)
    blue_hat_number: str = ""
    device_record_number: str = ""

    def __bool__(self) -> bool:
        return bool(self.statements)


def _well_formed_blue_hat(number: str) -> str:
    try:
        validate_blue_hat_number(number)
    except ValidationError:
        return ""
    return number


def mandatory_statements(*, product) -> Notices:
    """Read from the product's stored attribute values (prefetched on the product page: no query)."""
    values = {value.attribute.code: value.value for value in product.attribute_values.all()}
    product_class = product.get_product_class()
    kind = kind_of(class_slug=product_class.slug if product_class else "",
                   device_record_number=values.get("device_record_number"), device_type=values.get("device_type"))
    if kind == HEALTH_FOOD:
        return Notices(kind=kind, statements=[NOT_A_MEDICINE, HEALTH_FOOD_WARNING],
                       blue_hat_number=_well_formed_blue_hat(str(values.get("blue_hat_number") or "").strip()))
    if kind == MEDICAL_DEVICE:
        return Notices(kind=kind, statements=[DEVICE_NOTICE, DEVICE_CONTRAINDICATIONS],
                       device_record_number=str(values.get("device_record_number") or "").strip())
    return Notices(kind=kind)
