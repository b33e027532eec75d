"""Customer-service phone numbers as printed in China: landlines, mobiles, 400/800 lines."""

import re

from django.core.exceptions import ValidationError

PHONE_PATTERN = re.compile(r"^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|[48]00-?\d{3}-?\d{4})$")


def validate_service_phone(value: str) -> None:
    if not PHONE_PATTERN.match((value or "").replace(" ", "")):
        raise ValidationError(
            "客服电话格式不正确，请填写手机号、座机（如 0431-88888888）或 400 电话。", code="phone"
        )
