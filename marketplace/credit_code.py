"""统一社会信用代码 (unified social credit code) validation, GB 32100-2015.

See ../shared/reference/DOMAIN.md §4: 18 characters from a 31-character set (no I, O,
S, V, Z); the last is a check character computed over the first 17.
"""

from django.core.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    value = 31 - (total % 31)
    return ALPHABET[0 if value == 31 else value]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            "统一社会信用代码应为18位，当前为%(length)d位。", code="length", params={"length": len(code)}
        )
    bad = sorted({char for char in code if char not in ALPHABET})
    if bad:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、S、V、Z）。",
            code="characters",
            params={"chars": "、".join(bad)},
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            "统一社会信用代码校验位不正确，请核对后重新输入。", code="check_character"
        )
