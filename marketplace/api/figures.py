"""Sales and statistics figures for the API: the same selectors as the pages, as JSON.

The period is checked by ``PeriodForm`` (the pages' own rules and plain Chinese messages);
money goes out as decimal strings ("600.50"), never as floats.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from marketplace.api.problems import invalid
from marketplace.statistics.forms import PeriodForm
from marketplace.statistics.selectors import Table


def period_or_problem(*, start: str, end: str) -> tuple[date, date]:
    """The period asked for, or a 422 problem naming the field that is wrong."""
    form = PeriodForm({"start": start, "end": end})
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise invalid(name if name != "__all__" else "end", errors[0])
    return form.cleaned_data["start"], form.cleaned_data["end"]


def _cell(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if value is None or isinstance(value, int):
        return value
    return str(value)


def table_out(table: Table) -> dict:
    return {"slug": table.slug, "title": str(table.title), "note": str(table.note),
            "columns": [str(column) for column in table.columns],
            "rows": [[_cell(value) for value in row] for row in table.rows],
            "total": [_cell(value) for value in table.total] if table.total else None}


def figures_out(*, start: date, end: date, tables: list[Table]) -> dict:
    return {"start": start, "end": end, "time_zone": "Asia/Shanghai",
            "tables": [table_out(table) for table in tables]}
