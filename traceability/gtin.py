"""GTIN and lot-number rules (GS1 General Specifications; DOMAIN.md §2)."""

import re

from django.core.exceptions import ValidationError

from traceability.codes import gtin_check_digit, normalise_code

__all__ = ["gtin_check_digit", "make_gtin14", "normalise_gtin", "validate_gtin14", "validate_lot_number"]

LOT_NUMBER_PATTERN = re.compile(r"^[0-9A-Za-z\-._]{1,20}$", re.ASCII)  # GS1 AI (10), URL-safe subset
_ASCII_DIGITS = re.compile(r"[0-9]+", re.ASCII)


def normalise_gtin(value: str) -> str:
    """Return the GTIN-14 for a GTIN-8/12/13/14, or raise ValidationError in plain words."""
    digits = normalise_code(value)
    if not _ASCII_DIGITS.fullmatch(digits):
        raise ValidationError("商品条码（GTIN）只能包含数字。", code="gtin_digits")
    if len(digits) not in (8, 12, 13, 14):
        raise ValidationError(
            "商品条码（GTIN）应为8、12、13或14位数字，当前为%(length)d位。",
            code="gtin_length",
            params={"length": len(digits)},
        )
    if gtin_check_digit(digits[:-1]) != int(digits[-1]):
        raise ValidationError("商品条码（GTIN）校验位不正确，请核对条码。", code="gtin_check")
    return digits.zfill(14)


def validate_gtin14(value: str) -> None:
    if len(value or "") != 14:
        raise ValidationError("请填写14位 GTIN（8、12、13位条码请在前面补0）。", code="gtin_length")
    if normalise_gtin(value) != value:
        raise ValidationError("商品条码（GTIN）只能包含数字。", code="gtin_digits")


def validate_lot_number(value: str) -> None:
    if not LOT_NUMBER_PATTERN.fullmatch(value or ""):
        raise ValidationError(
            "批号只能包含字母、数字和 - . _，最多20个字符。", code="lot_number"
        )


def make_gtin14(body13: str) -> str:
    """Append the check digit to 13 digits (used by the demo seed to mint GTINs)."""
    return body13 + str(gtin_check_digit(body13))
