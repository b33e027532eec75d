"""The reporting period: whole local days in Beijing time, both ends included.

A period from ``start`` to ``end`` covers every moment from ``start`` 00:00 Asia/Shanghai up
to, but not including, the day after ``end`` 00:00 Asia/Shanghai. An order placed at
23:59:59 on ``end`` counts; one placed at 00:00:00 the next day does not, whatever the
server's or the database's own time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
LONGEST_DAYS = 3660  # ten years: enough for any question, small enough to answer quickly


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def since(self) -> datetime:
        """The first moment of the period (inclusive)."""
        return datetime.combine(self.start, time.min, tzinfo=SHANGHAI)

    @property
    def until(self) -> datetime:
        """The first moment after the period (exclusive)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=SHANGHAI)

    @property
    def label(self) -> str:
        return _("%(start)s 至 %(end)s") % {"start": f"{self.start:%Y-%m-%d}", "end": f"{self.end:%Y-%m-%d}"}


def period(*, start: date, end: date) -> Period:
    if end < start:
        raise ValueError("end before start")
    return Period(start=start, end=end)
