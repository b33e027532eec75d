"""The shop's seasons: 敬老月 (October, around 重阳节) and the 银龄购物节.

重阳节 is the ninth day of the ninth lunar month; the date comes from lunar-python's
calendar, never from a table typed in by hand.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from lunar_python import Lunar

SHANGHAI = ZoneInfo("Asia/Shanghai")


def double_ninth(year: int) -> date:
    """重阳节 (lunar 9/9) of a Gregorian year."""
    solar = Lunar.fromYmd(year, 9, 9).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=SHANGHAI)


def respect_the_aged_month(year: int) -> tuple[datetime, datetime]:
    """October of ``year``, stretched to take in 重阳节 should it fall outside October."""
    festival = double_ninth(year)
    first = min(date(year, 10, 1), festival)
    last = max(date(year, 10, 31), festival)
    return start_of_day(first), end_of_day(last)


def demo_respect_the_aged_window(now: datetime, *, at_least_days: int = 30) -> tuple[datetime, datetime]:
    """The demo's 敬老月 window: this year's 敬老月, widened so that it is live now.

    An operator demo must show live products and an active offer on any day of the year, so
    the window starts no later than yesterday and ends no sooner than ``at_least_days`` from
    now, while always taking in this year's October and its 重阳节.
    """
    local = now.astimezone(SHANGHAI)
    starts_at, ends_at = respect_the_aged_month(local.year)
    starts_at = min(starts_at, start_of_day(local.date() - timedelta(days=1)))
    ends_at = max(ends_at, end_of_day(local.date() + timedelta(days=at_least_days)))
    return starts_at, ends_at


def demo_shopping_festival_window(now: datetime) -> tuple[datetime, datetime]:
    """The demo's 银龄购物节: ten days from the first day of the month after next (always ahead)."""
    local = now.astimezone(SHANGHAI)
    month = local.month + 2
    year = local.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    first = date(year, month, 1)
    return start_of_day(first), end_of_day(first + timedelta(days=9))
