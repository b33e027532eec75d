"""Every statistic checked against figures worked out by hand from a small, exact fixture.

The period is 2026-10-01 to 2026-11-30, whole Beijing days. Orders at local midnight on
either side test the boundaries: 2026-10-01 00:00 Beijing is 2026-09-30 16:00 UTC (inside),
2026-12-01 00:00 Beijing is 2026-11-30 16:00 UTC (outside).
"""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import CatalogueListing
from marketplace.statistics import selectors
from tests import factories
from tests.statistics.conftest import local, order, return_request
from traceability import regulation
from traceability.models import AuditEntry, Lot

START, END = date(2026, 10, 1), date(2026, 11, 30)


@pytest.fixture
def sales(shop):
    root, red, cane = shop["root"], shop["red"], shop["cane"]
    o1 = order(at=local(2026, 10, 1, 0, 0, 0), status="已完成",
               lines=[(root, 2, D("300.00")), (cane, 1, D("80.00"))])
    order(at=local(2026, 10, 15, 12, 0), status="待发货", lines=[(red, 1, D("150.50"))])
    o3 = order(at=local(2026, 11, 30, 23, 59, 59), status="已发货",
               lines=[(root, 1, D("150.00")), (cane, 3, D("240.00"))])
    o4 = order(at=local(2026, 12, 1, 0, 0, 0), status="待发货", lines=[(root, 5, D("750.00"))])  # after
    order(at=local(2026, 9, 30, 23, 59, 59), status="已完成", lines=[(cane, 1, D("80.00"))])  # before
    order(at=local(2026, 10, 20), status="已取消", lines=[(cane, 1, D("80.00"))])  # cancelled order
    order(at=local(2026, 10, 21), status="待发货",
          lines=[(red, 1, D("150.50"), "已取消"), (cane, 1, D("80.00"), "待发货")])  # one line cancelled
    order(at=local(2026, 10, 22), status="待付款", lines=[(root, 1, D("150.00"))])  # never paid
    return_request(line=o3.lines.get(product=root), at=local(2026, 11, 30, 23, 59, 59), status="approved",
                   refund=D("150.00"))
    return_request(line=o1.lines.get(product=cane), at=local(2026, 10, 2), status="rejected")
    return_request(line=o4.lines.get(), at=local(2026, 12, 1, 0, 0, 0), status="requested")  # after
    return shop


def _rows(table):
    return [list(row) for row in table.rows]


@pytest.mark.django_db
def test_sales_by_merchant(sales):
    table = selectors.sales_by_merchant(start=START, end=END)
    assert _rows(table) == [
        ["甲参业", 3, 4, D("600.50"), D("150.00"), D("450.50")],
        ["乙辅具", 3, 5, D("400.00"), D("0.00"), D("400.00")],
    ]
    assert table.total == ["合计", 4, 9, D("1000.50"), D("150.00"), D("850.50")]
    assert all(isinstance(cell, D) for row in table.rows for cell in row[3:])


@pytest.mark.django_db
def test_sales_by_category(sales):
    assert _rows(selectors.sales_by_category(start=START, end=END)) == [
        ["人参", 3, 4, D("600.50"), D("150.00"), D("450.50")],
        ["助行器", 3, 5, D("400.00"), D("0.00"), D("400.00")],
    ]


@pytest.mark.django_db
def test_sales_by_origin_county(sales):
    assert _rows(selectors.sales_by_origin_county(start=START, end=END)) == [
        ["吉林省白山市抚松县", 2, 3, D("450.00"), D("150.00"), D("300.00")],
        ["未填写产地", 3, 5, D("400.00"), D("0.00"), D("400.00")],
        ["吉林省通化市集安市", 1, 1, D("150.50"), D("0.00"), D("150.50")],
    ]


@pytest.mark.django_db
def test_sales_by_month(sales):
    assert _rows(selectors.sales_by_month(start=START, end=END)) == [
        ["2026年10月", 3, 5, D("610.50"), D("0.00"), D("610.50")],
        ["2026年11月", 1, 4, D("390.00"), D("150.00"), D("240.00")],
    ]


@pytest.mark.django_db
def test_local_midnight_decides_the_day(sales):
    """Only the order at 2026-12-01 00:00 Beijing (16:00 UTC the day before) is on 12-01."""
    assert selectors.sales_total(start=date(2026, 12, 1), end=date(2026, 12, 1))[1:4] == [1, 5, D("750.00")]
    assert selectors.sales_total(start=date(2026, 11, 30), end=date(2026, 11, 30))[1:4] == [1, 4, D("390.00")]
    assert selectors.sales_total(start=date(2026, 10, 1), end=date(2026, 10, 1))[1:4] == [1, 3, D("380.00")]
    assert selectors.sales_total(start=date(2026, 9, 30), end=date(2026, 9, 30))[1:4] == [1, 1, D("80.00")]


@pytest.mark.django_db
def test_reports_and_returns(sales):
    table = selectors.reports_and_returns(start=START, end=END)
    assert _rows(table)[:3] == [
        ["退货申请：等待商家处理", 0, D("0.00")],
        ["退货申请：商家已同意，退款处理中", 1, D("150.00")],
        ["退货申请：商家未同意", 1, D("0.00")],
    ]
    assert table.total[:2] == ["合计", sum(row[1] for row in table.rows)]


@pytest.mark.django_db
def test_listings_per_catalogue(shop):
    def listing(product, catalogue, listed_on, status):
        CatalogueListing.objects.create(product=product, catalogue=catalogue, listed_on=listed_on, status=status)

    listing(shop["root"], CatalogueListing.ELDER_PRODUCTS, date(2026, 10, 5), CatalogueListing.LISTED)
    listing(shop["red"], CatalogueListing.ELDER_PRODUCTS, date(2025, 6, 1), CatalogueListing.SUSPENDED)
    listing(shop["cane"], CatalogueListing.ELDER_PRODUCTS, date(2026, 11, 30), CatalogueListing.EXITED)
    listing(shop["cane"], CatalogueListing.SMART_HEALTH, date(2026, 12, 1), CatalogueListing.LISTED)  # after
    table = selectors.listings_per_catalogue(start=START, end=END)
    assert _rows(table) == [
        ["《老年用品产品推广目录》", 3, 1, 1, 1, 2],
        ["《智慧健康养老产品及服务推广目录》", 0, 0, 0, 0, 0],
        ["「吉致吉品」认证", 0, 0, 0, 0, 0],
    ]
    assert table.total == ["合计", 3, 1, 1, 1, 2]


@pytest.mark.django_db
def test_suspensions_and_exits(db):
    def entry(action, target, at):
        AuditEntry.objects.create(action=action, target_type="x", target_id=target, target_label=target, at=at)

    entry(regulation.SUSPEND_LISTING, "1", local(2026, 10, 10))
    entry(regulation.SUSPEND_LISTING, "1", local(2026, 10, 11))
    entry(regulation.EXIT_LISTING, "2", local(2026, 11, 30, 23, 59))
    entry(regulation.RECALL_LOT, "3", local(2026, 12, 1, 0, 0))  # after
    entry(regulation.SUSPEND_LOT, "4", local(2026, 9, 30, 23, 59, 59))  # before
    entry(regulation.VERIFY_LOT, "5", local(2026, 10, 12))  # not a suspension
    table = selectors.suspensions_and_exits(start=START, end=END)
    assert _rows(table) == [
        ["暂停目录资格", 2, 1], ["退出推荐目录", 1, 1], ["恢复目录资格", 0, 0],
        ["暂停批次销售", 0, 0], ["召回批次", 0, 0], ["恢复批次销售", 0, 0],
    ]
    assert table.total[:2] == ["合计", 3]


@pytest.mark.django_db
def test_trace_integrity(shop):
    today = timezone.localdate()
    intact = factories.lot(product_=shop["root"], events=2)
    broken = factories.lot(product_=shop["red"], events=1)
    old = factories.lot(product_=shop["cane"], events=0)
    future = factories.lot(product_=shop["cane"], events=0)
    Lot.objects.filter(pk=intact.pk).update(chain_status=Lot.CHAIN_INTACT)
    Lot.objects.filter(pk=broken.pk).update(chain_status=Lot.CHAIN_BROKEN)
    Lot.objects.filter(pk=old.pk).update(chain_status=Lot.CHAIN_UNVERIFIED, created_at=local(2020, 1, 1))
    Lot.objects.filter(pk=future.pk).update(created_at=timezone.now() + timedelta(days=2))
    table = selectors.trace_integrity(start=today, end=today)
    assert _rows(table) == [["未校验", 1, 0, 0], ["完整", 1, 1, 2], ["已损坏", 1, 1, 1], ["待录入", 0, 0, 0]]
    assert table.total == ["合计", 3, 2, 3]


def _grow(shop, n):
    """n more orders over other merchants, categories and months, with returns."""
    for i in range(n):
        partner = factories.merchant()
        item = factories.product(merchant_=partner, category=factories.category(), origin_region=f"县{i}")
        placed = order(at=local(2026, 10 + i % 2, 1 + i, 9), status="已完成", lines=[(item, 1, D("10.00"))])
        return_request(line=placed.lines.get(), at=local(2026, 11, 2), status="approved", refund=D("10.00"))
        AuditEntry.objects.create(action=regulation.SUSPEND_LOT, target_type="lot", target_id=str(i),
                                  target_label="x", at=local(2026, 10, 3))


@pytest.mark.django_db
def test_query_count_does_not_grow_with_data(sales):
    def count():
        with CaptureQueriesContext(connection) as queries:
            tables = selectors.all_tables(start=START, end=END)
        return len(queries), tables

    before, small = count()
    _grow(sales, 6)
    after, large = count()
    assert before == after
    assert len(large[1].rows) == len(small[1].rows) + 6  # by merchant: six new merchants


# --- A merchant's own figures (the merchant workspace and the merchant API) -------------------

@pytest.mark.django_db
def test_merchant_sales_by_product_counts_only_its_own_lines(sales):
    a, b = sales["a"], sales["b"]
    table = selectors.sales_by_product(start=START, end=END, merchant=a)
    assert _rows(table) == [
        ["生晒参", 2, 3, D("450.00"), D("150.00"), D("300.00")],
        ["红参", 1, 1, D("150.50"), D("0.00"), D("150.50")],
    ]
    assert table.total == ["合计", 3, 4, D("600.50"), D("150.00"), D("450.50")]
    assert _rows(selectors.sales_by_product(start=START, end=END, merchant=b)) == [
        ["手杖", 3, 5, D("400.00"), D("0.00"), D("400.00")],
    ]


@pytest.mark.django_db
def test_merchant_sales_by_month(sales):
    a, b = sales["a"], sales["b"]
    assert _rows(selectors.sales_by_month(start=START, end=END, merchant=a)) == [
        ["2026年10月", 2, 3, D("450.50"), D("0.00"), D("450.50")],
        ["2026年11月", 1, 1, D("150.00"), D("150.00"), D("0.00")],
    ]
    month_b = selectors.sales_by_month(start=START, end=END, merchant=b)
    assert _rows(month_b) == [
        ["2026年10月", 2, 2, D("160.00"), D("0.00"), D("160.00")],
        ["2026年11月", 1, 3, D("240.00"), D("0.00"), D("240.00")],
    ]
    assert month_b.total == ["合计", 3, 5, D("400.00"), D("0.00"), D("400.00")]


@pytest.mark.django_db
def test_merchant_figures_add_up_to_the_whole_and_need_a_merchant(sales):
    whole = selectors.sales_total(start=START, end=END)
    parts = [selectors.sales_total(start=START, end=END, merchant=sales[key]) for key in ("a", "b")]
    assert [parts[0][i] + parts[1][i] for i in (2, 3, 4)] == whole[2:5]
    with pytest.raises(ValueError):
        selectors.merchant_tables(merchant=None, start=START, end=END)
    tables = selectors.merchant_tables(merchant=sales["a"], start=START, end=END)
    assert [table.slug for table in tables] == ["sales_by_product", "sales_by_month"]


@pytest.mark.django_db
def test_a_retitled_product_stays_one_row(sales):
    sales["root"].title = "长白山生晒参"
    sales["root"].save()
    assert [row[0] for row in selectors.sales_by_product(start=START, end=END, merchant=sales["a"]).rows] == [
        "长白山生晒参", "红参"]
