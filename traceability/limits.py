"""Plausible ranges for dates and quantities, checked by the services (and shown by forms).

A form field only proves that text parses; these rules say what a real lot can be. They
also keep values the database or ``datetime`` arithmetic cannot hold (year 1, year 9999,
2**31) away from them, so bad input gets words instead of a 500.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

EARLIEST_DATE = date(1970, 1, 1)  # before any lot or planting record a merchant could hold today
LONGEST_SHELF_LIFE = timedelta(days=366 * 30)
MAX_QUANTITY = 100_000_000  # well inside PositiveIntegerField (2**31 - 1)
CLOCK_SKEW = timedelta(minutes=5)


def check_produced_on(value: date) -> None:
    if value < EARLIEST_DATE:
        raise ValidationError("生产/采收日期太早了，请核对年份（应在 1970 年以后）。", code="produced_too_early")
    if value > timezone.localdate():
        raise ValidationError("生产/采收日期不能晚于今天。", code="produced_in_future")


def check_expires_on(value: date | None, *, produced_on: date | None) -> None:
    if value is None:
        return
    if value < EARLIEST_DATE:
        raise ValidationError("保质期日期太早了，请核对年份。", code="expiry_too_early")
    if produced_on is not None and value < produced_on:
        raise ValidationError("保质期不能早于生产/采收日期。", code="expiry_before_production")
    if produced_on is not None and value - produced_on > LONGEST_SHELF_LIFE:
        raise ValidationError("保质期不能超过生产日期后 30 年，请核对年份。", code="expiry_too_late")


def check_quantity(value: int) -> None:
    if value < 1:
        raise ValidationError("数量至少为 1。", code="quantity_min")
    if value > MAX_QUANTITY:
        raise ValidationError(f"数量不能超过 {MAX_QUANTITY:,}，请核对。", code="quantity_max")


def check_event_time(value: datetime) -> None:
    if value.date() < EARLIEST_DATE + timedelta(days=1):
        raise ValidationError("发生时间太早了，请核对年份（应在 1970 年以后）。", code="event_too_early")
    if value > timezone.now() + CLOCK_SKEW:
        raise ValidationError("发生时间不能晚于现在。", code="event_in_future")
