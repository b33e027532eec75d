"""Horizontal bar charts drawn on the server as inline SVG: no JavaScript, readable by a screen reader.

``bar_chart`` only computes the geometry; ``statistics/_bar_chart.html`` writes the SVG, so
every label goes through the template's escaping. The chart carries a ``<title>`` and a
``<desc>`` that lists every figure, and the table beside it holds the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 110
ROW_HEIGHT = 36
BAR_HEIGHT = 24
PADDING = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    text_y: int
    width: int


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    width: int
    height: int
    bar_x: int
    value_x: int
    bars: list[Bar]


def _text(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _short(label: str, limit: int = 12) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(*, title: str, unit: str, data: list[tuple[str, object]]) -> BarChart:
    """Bars for (label, number) pairs; negative numbers are drawn as empty bars."""
    numbers = [max(Decimal(str(value or 0)), Decimal(0)) for _label, value in data]
    top = max(numbers, default=Decimal(0))
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 2 * PADDING
    bars = []
    for index, ((label, value), number) in enumerate(zip(data, numbers, strict=True)):
        y = PADDING + index * ROW_HEIGHT
        width = int(room * number / top) if top else 0
        bars.append(Bar(label=_short(label), value_text=_text(value), y=y,
                        text_y=y + BAR_HEIGHT // 2 + 6, width=max(width, 1 if number else 0)))
    summary = _("；").join(_("%(label)s：%(value)s%(unit)s") % {"label": label, "value": _text(value), "unit": unit}
                           for label, value in data)
    description = (_("%(title)s（%(unit)s）。%(summary)s。") % {"title": title, "unit": unit, "summary": summary}
                   if data else _("%(title)s：没有数据。") % {"title": title})
    return BarChart(title=title, description=description,
                    width=WIDTH, height=max(PADDING * 2 + len(data) * ROW_HEIGHT, 40),
                    bar_x=LABEL_WIDTH, value_x=WIDTH - VALUE_WIDTH + PADDING, bars=bars)
