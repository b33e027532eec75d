"""The regulators' statistics (统计监测), one selector per question, each answered in SQL.

Every selector takes keyword-only ``start`` and ``end`` dates: whole local days in Beijing
time with both ends included (``period.Period``). Each runs a fixed number of grouped
queries, whatever the number of orders, lines or lots, and returns a ``Table`` that the
page, the CSV export and the API show alike.

What counts as a sale: an order line of an order placed in the period whose order has been
paid or is cash on delivery (待发货, 已发货, 已完成), unless the order or the line was
cancelled. Money is the line's price including tax and discounts (what the shopper paid
for it), as Decimal. Refunds of approved 7-day returns on those lines are shown beside
the sales and taken off in 净销售额, so a returned line stays visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from catalog.models import CatalogueListing
from marketplace.statistics.period import SHANGHAI, Period, period
from traceability import regulation
from traceability.models import AuditEntry, Lot, TraceEvent

Line = get_model("order", "Line")
ReturnRequest = get_model("order", "ReturnRequest")

SOLD_ORDER_STATUSES = ("待发货", "已发货", "已完成")
CANCELLED = "已取消"
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
UNCATEGORISED, NO_ORIGIN = _("未分类"), _("未填写产地")
TOTAL = _("合计")

SALES_COLUMNS = [_("订单数"), _("件数"), _("销售额（元）"), _("退货退款（元）"), _("净销售额（元）")]


@dataclass
class Table:
    slug: str
    title: str
    note: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    chart_column: int = 1  # which column the bar chart draws, against column 0's labels

    @property
    def chart(self) -> list[tuple[str, object]]:
        return [(str(row[0]), row[self.chart_column]) for row in self.rows]


def _money(value) -> Decimal:
    return (value if value is not None else ZERO).quantize(Decimal("0.01"))


def month_label(month) -> str:
    return _("%(year)s年%(month)s月") % {"year": f"{month:%Y}", "month": f"{month:%m}"}


def sold_lines(*, start: date, end: date, merchant=None):
    """The order lines that count as sales in the period (see the module docstring).

    With ``merchant`` (a partner), only that merchant's own lines: a shared order's other
    lines, and their money, never reach a merchant's figures.
    """
    span = period(start=start, end=end)
    lines = (Line.objects.filter(order__date_placed__gte=span.since, order__date_placed__lt=span.until,
                                 order__status__in=SOLD_ORDER_STATUSES)
             .exclude(status=CANCELLED))
    if merchant is not None:
        lines = lines.filter(partner=merchant)
    return lines


def _sales(*, start: date, end: date, group, label, merchant=None) -> list[list]:
    """Sales grouped by ``group(prefix)`` (annotations over a line, reached through ``prefix``).

    Two queries: the lines' sums per group, and the approved refunds on those lines per group.
    """
    lines = sold_lines(start=start, end=end, merchant=merchant)
    keys = list(group("").keys())
    sums = (lines.annotate(**group("")).values(*keys)
            .annotate(orders=Count("order", distinct=True), units=Coalesce(Sum("quantity"), 0),
                      amount=Coalesce(Sum("line_price_incl_tax"), Value(ZERO), output_field=MONEY)))
    refunds = (ReturnRequest.objects.filter(status=ReturnRequest.APPROVED, line__in=lines)
               .annotate(**group("line__")).values(*keys)
               .annotate(refund=Coalesce(Sum("refund_amount"), Value(ZERO), output_field=MONEY)))
    refund_by_key = {tuple(row[k] for k in keys): row["refund"] for row in refunds}
    rows = []
    for row in sums:
        key = tuple(row[k] for k in keys)
        amount, refund = _money(row["amount"]), _money(refund_by_key.get(key))
        rows.append([str(label(row)), row["orders"], row["units"], amount, refund, amount - refund])
    rows.sort(key=lambda r: (-r[3], r[0]))
    return rows


def sales_total(*, start: date, end: date, merchant=None) -> list:
    lines = sold_lines(start=start, end=end, merchant=merchant)
    sums = lines.aggregate(orders=Count("order", distinct=True), units=Coalesce(Sum("quantity"), 0),
                           amount=Coalesce(Sum("line_price_incl_tax"), Value(ZERO), output_field=MONEY))
    refund = ReturnRequest.objects.filter(status=ReturnRequest.APPROVED, line__in=lines).aggregate(
        refund=Coalesce(Sum("refund_amount"), Value(ZERO), output_field=MONEY))["refund"]
    amount, refund = _money(sums["amount"]), _money(refund)
    return [TOTAL, sums["orders"], sums["units"], amount, refund, amount - refund]


def _sales_table(*, slug, title, note, first_column, start, end, group, label, merchant=None) -> Table:
    return Table(slug=slug, title=title, note=note, columns=[first_column, *SALES_COLUMNS],
                 rows=_sales(start=start, end=end, group=group, label=label, merchant=merchant),
                 total=sales_total(start=start, end=end, merchant=merchant), chart_column=3)


def sales_by_category(*, start: date, end: date) -> Table:
    return _sales_table(
        slug="sales_by_category", title=_("按商品分类的销售"), first_column=_("分类"), start=start, end=end,
        note=_("按商品所在的分类统计；一件商品在几个分类里，就在每个分类各计一次，所以各行相加可能大于合计。"),
        group=lambda p: {"g_id": F(f"{p}product__categories__id"), "g_name": F(f"{p}product__categories__name")},
        label=lambda row: row["g_name"] or UNCATEGORISED)


def sales_by_merchant(*, start: date, end: date) -> Table:
    return _sales_table(
        slug="sales_by_merchant", title=_("按商家的销售"), first_column=_("商家"), start=start, end=end,
        note=_("按卖出这件商品的商家统计。"),
        group=lambda p: {"g_id": F(f"{p}partner_id"), "g_name": F(f"{p}partner__name")},
        label=lambda row: row["g_name"] or _("（商家已删除）"))


def sales_by_origin_county(*, start: date, end: date) -> Table:
    return _sales_table(
        slug="sales_by_origin_county", title=_("按产地的销售"), first_column=_("产地（县、市、区）"), start=start, end=end,
        note=_("按商品登记的产地统计（例如 吉林省白山市抚松县）。"),
        group=lambda p: {"g_origin": F(f"{p}product__origin_region")},
        label=lambda row: row["g_origin"] or NO_ORIGIN)


def sales_by_product(*, start: date, end: date, merchant=None) -> Table:
    """Sales per product; a merchant's workspace asks with ``merchant`` for its own lines only."""
    return _sales_table(
        slug="sales_by_product", title=_("按商品的销售"), first_column=_("商品"), start=start, end=end,
        merchant=merchant, note=_("按订单里的商品统计；商品已删除的，按下单时的商品名称列出。"),
        group=lambda p: {"g_id": F(f"{p}product_id"),
                         "g_title": Coalesce(F(f"{p}product__title"), F(f"{p}title"))},
        label=lambda row: row["g_title"] or _("（未命名商品）"))


def sales_by_month(*, start: date, end: date, merchant=None) -> Table:
    table = _sales_table(
        slug="sales_by_month", title=_("按月份的销售"), first_column=_("月份"), start=start, end=end, merchant=merchant,
        note=_("按下单时间所在的月份（北京时间）统计。"),
        group=lambda p: {"g_month": TruncMonth(f"{p}order__date_placed", tzinfo=SHANGHAI)},
        label=lambda row: month_label(row["g_month"]))
    table.rows.sort(key=lambda r: r[0])
    return table


def listings_per_catalogue(*, start: date, end: date) -> Table:
    """Listings entered on or before ``end``, by catalogue and by their status now."""
    entered = Q(listed_on__lte=end)
    counts = {row["catalogue"]: row for row in CatalogueListing.objects.values("catalogue").annotate(
        listed=Count("pk", filter=entered & Q(status=CatalogueListing.LISTED)),
        suspended=Count("pk", filter=entered & Q(status=CatalogueListing.SUSPENDED)),
        exited=Count("pk", filter=entered & Q(status=CatalogueListing.EXITED)),
        new=Count("pk", filter=Q(listed_on__gte=start, listed_on__lte=end)),
        all=Count("pk", filter=entered))}
    rows = []
    for code, name in CatalogueListing.CATALOGUES:
        row = counts.get(code, {})
        rows.append([name, row.get("all", 0), row.get("listed", 0), row.get("suspended", 0), row.get("exited", 0),
                     row.get("new", 0)])
    return Table(slug="listings_per_catalogue", title=_("各推荐目录的商品数"),
                 note=_("截至结束日已入选的商品，按现在的状态分列；「期间新入选」按入选日期在所选期间内统计。"),
                 columns=[_("目录/认证"), _("已入选商品"), _("在目录中"), _("暂停"), _("已退出"), _("期间新入选")], rows=rows,
                 total=[TOTAL, *(sum(row[i] for row in rows) for i in range(1, 6))], chart_column=1)


SUSPENSION_ACTIONS = (regulation.SUSPEND_LISTING, regulation.EXIT_LISTING, regulation.REINSTATE_LISTING,
                      regulation.SUSPEND_LOT, regulation.RECALL_LOT, regulation.REINSTATE_LOT)


def suspensions_and_exits(*, start: date, end: date) -> Table:
    span = period(start=start, end=end)
    counts = {row["action"]: row for row in AuditEntry.objects.filter(
        at__gte=span.since, at__lt=span.until, action__in=SUSPENSION_ACTIONS).values("action").annotate(
        times=Count("pk"), targets=Count("target_id", distinct=True))}
    rows = [[regulation.ACTION_NAMES[action], counts.get(action, {}).get("times", 0),
             counts.get(action, {}).get("targets", 0)] for action in SUSPENSION_ACTIONS]
    return Table(slug="suspensions_and_exits", title=_("暂停与退出（动态退出）"),
                 note=_("按监管操作记录统计期间内的每一次操作；同一对象被操作多次时，「涉及对象」只算一次。"),
                 columns=[_("操作"), _("次数"), _("涉及对象")], rows=rows,
                 total=[TOTAL, sum(r[1] for r in rows), None], chart_column=1)


def trace_integrity(*, start: date, end: date) -> Table:
    span = period(start=start, end=end)
    lots = {row["chain_status"]: row for row in Lot.objects.filter(created_at__lt=span.until)
            .values("chain_status").annotate(lots=Count("pk"), new=Count("pk", filter=Q(created_at__gte=span.since)))}
    events = {row["lot__chain_status"]: row["events"] for row in TraceEvent.objects.filter(
        recorded_at__gte=span.since, recorded_at__lt=span.until).values("lot__chain_status").annotate(
        events=Count("pk"))}
    rows = [[name, lots.get(code, {}).get("lots", 0), lots.get(code, {}).get("new", 0), events.get(code, 0)]
            for code, name in Lot.CHAIN_STATUSES]
    return Table(slug="trace_integrity", title=_("追溯记录完整性"),
                 note=_("截至结束日已建立的批次，按最近一次追溯链校验的结果分列（「已损坏」表示记录在写入后被改动过）；"
                        "「期间记录的事件」按事件的记录时间统计。"),
                 columns=[_("链校验结果"), _("批次数"), _("其中期间新建"), _("期间记录的事件")], rows=rows,
                 total=[TOTAL, *(sum(row[i] for row in rows) for i in range(1, 4))], chart_column=1)


def _report_model():
    """Shoppers' reports, once that app exists (``marketplace/claims``); None before."""
    for label in ("claims",):
        if apps.is_installed(f"marketplace.{label}"):
            for model in apps.get_app_config(label).get_models():
                if model.__name__.endswith("Report"):
                    return model
    return None


def _report_count(span: Period) -> int | None:
    model = _report_model()
    if model is None:
        return None
    created = next((f.name for f in model._meta.concrete_fields
                    if f.get_internal_type() == "DateTimeField" and getattr(f, "auto_now_add", False)), None)
    reports = model.objects.all()
    if created:
        reports = reports.filter(**{f"{created}__gte": span.since, f"{created}__lt": span.until})
    return reports.count()


def reports_and_returns(*, start: date, end: date) -> Table:
    span = period(start=start, end=end)
    counts = {row["status"]: row for row in ReturnRequest.objects.filter(
        requested_at__gte=span.since, requested_at__lt=span.until).values("status").annotate(
        n=Count("pk"), refund=Coalesce(Sum("refund_amount"), Value(ZERO), output_field=MONEY))}
    rows = [[_("退货申请：%(status)s") % {"status": name}, counts.get(code, {}).get("n", 0), _money(counts.get(code, {}).get("refund"))]
            for code, name in ReturnRequest.STATUSES]
    reports = _report_count(span)
    note = _("按申请时间统计期间内的七日无理由退货申请，按现在的处理结果分列。")
    if reports is None:
        note = _("按申请时间统计期间内的七日无理由退货申请，按现在的处理结果分列。消费者举报功能尚未上线，暂无举报数据。")
    else:
        rows.append([_("消费者举报"), reports, ZERO])
    return Table(slug="reports_and_returns", title=_("举报与退货"), note=note,
                 columns=[_("类别"), _("数量"), _("退款金额（元）")], rows=rows,
                 total=[TOTAL, sum(r[1] for r in rows), sum((r[2] for r in rows), ZERO)], chart_column=1)


SELECTORS = {
    "sales_by_category": sales_by_category,
    "sales_by_merchant": sales_by_merchant,
    "sales_by_origin_county": sales_by_origin_county,
    "sales_by_month": sales_by_month,
    "listings_per_catalogue": listings_per_catalogue,
    "suspensions_and_exits": suspensions_and_exits,
    "trace_integrity": trace_integrity,
    "reports_and_returns": reports_and_returns,
}


# A merchant's own figures in its workspace: the same selectors, narrowed to its lines.
MERCHANT_SELECTORS = {
    "sales_by_product": sales_by_product,
    "sales_by_month": sales_by_month,
}


def all_tables(*, start: date, end: date) -> list[Table]:
    return [selector(start=start, end=end) for selector in SELECTORS.values()]


def merchant_tables(*, merchant, start: date, end: date) -> list[Table]:
    """The merchant's own sales by product and by month; ``merchant`` is required (never all lines)."""
    if merchant is None:
        raise ValueError("merchant required")
    return [selector(start=start, end=end, merchant=merchant) for selector in MERCHANT_SELECTORS.values()]
