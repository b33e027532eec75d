"""The regulators' statistics page and its CSV exports (regulators and platform admins only), and
each merchant's own sales figures in its workspace (the same selectors, narrowed to its lines)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from marketplace import csv_safe
from marketplace.statistics import selectors
from marketplace.statistics.charts import bar_chart
from marketplace.statistics.forms import PeriodForm
from traceability.views.access import merchant_required, regulator_required


def _unit(table) -> str:
    """Money columns hold Decimals; their charts say 元."""
    money = any(isinstance(row[table.chart_column], Decimal) for row in table.rows)
    return _("元") if money else ""


def _chart(table):
    return bar_chart(title=_("%(title)s：%(column)s") % {"title": table.title, "column": table.columns[table.chart_column]},
                     unit=_unit(table), data=table.chart)


@require_GET
@regulator_required()
def statistics(request):
    form = PeriodForm.for_request(request.GET)
    sections = []
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        for table in selectors.all_tables(start=start, end=end):
            sections.append({"table": table, "chart": _chart(table)})
    return render(request, "statistics/statistics.html", {
        "form": form, "sections": sections, "query": request.GET.urlencode() if form.is_valid() else "",
        "period": selectors.period(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
        if form.is_valid() else None,
    }, status=200 if form.is_valid() or not form.is_bound else 400)


def _cell(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return "" if value is None else value if isinstance(value, int) else str(value)


def _csv_response(table, *, start, end) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # lets spreadsheet programs read the Chinese text as UTF-8
    writer = csv_safe.writer(buffer)
    writer.writerow([_("%(title)s（%(start)s 至 %(end)s，北京时间，含首尾两日）") % {
        "title": table.title, "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}])
    writer.writerow([str(column) for column in table.columns])
    writer.writerows([[_cell(value) for value in row] for row in table.rows])
    if table.total:
        writer.writerow([_cell(value) for value in table.total])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{table.slug}-{start:%Y%m%d}-{end:%Y%m%d}.csv"')
    return response


def _bad_period(form) -> HttpResponse:
    return HttpResponseBadRequest("；".join(e for errors in form.errors.values() for e in errors),
                                  content_type="text/plain; charset=utf-8")


def _export(request, tables: dict, **scope) -> HttpResponse:
    """The CSV of the table named in ``?table=`` among ``tables``, for the period asked."""
    selector = tables.get(request.GET.get("table", ""))
    if selector is None:
        raise Http404(_("没有这张统计表。"))
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return _bad_period(form)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return _csv_response(selector(start=start, end=end, **scope), start=start, end=end)


@require_GET
@regulator_required()
def export_csv(request):
    return _export(request, selectors.SELECTORS)


@require_GET
@merchant_required()
def merchant_sales(request):
    """The merchant's own sales by product and by month; never a line of another merchant's."""
    form = PeriodForm.for_request(request.GET)
    sections, span = [], None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        span = selectors.period(start=start, end=end)
        for table in selectors.merchant_tables(merchant=request.merchant, start=start, end=end):
            sections.append({"table": table, "chart": _chart(table)})
    return render(request, "statistics/merchant_sales.html", {
        "form": form, "sections": sections, "period": span, "merchant": request.merchant,
    }, status=200 if form.is_valid() or not form.is_bound else 400)


@require_GET
@merchant_required()
def merchant_export_csv(request):
    return _export(request, selectors.MERCHANT_SELECTORS, merchant=request.merchant)
