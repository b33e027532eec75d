"""The statistics page and its CSV: who may open them, what they say, and bad dates in plain Chinese."""

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from tests import factories
from tests.hardening.conftest import ROLES, World
from tests.statistics.conftest import local, order

PAGE = reverse("statistics:page")
CSV = reverse("statistics:export-csv")
PERIOD = {"start": "2026-10-01", "end": "2026-11-30"}
ALLOWED = {"regulator", "platform_admin"}


@pytest.fixture
def world(db):
    return World()


def _denied(response) -> bool:
    return response.status_code == 403 or (response.status_code == 302 and "login" in response["Location"])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_regulators_and_admins_see_statistics(world, role):
    client = world.client_for(role)
    order(at=local(2026, 10, 5), status="已完成", lines=[(world.product_a, 1, D("99.00"))])
    for url, query in ((PAGE, PERIOD), (CSV, {**PERIOD, "table": "sales_by_merchant"})):
        response = client.get(url, query)
        if role in ALLOWED:
            assert response.status_code == 200, (role, url)
            assert "甲商家" in response.content.decode("utf-8-sig")
        else:
            assert _denied(response), (role, url, response.status_code)
            assert "甲商家" not in response.content.decode("utf-8", "replace")
    if role == "anonymous":
        assert client.get(PAGE).status_code == 302


@pytest.mark.django_db
def test_page_shows_each_table_beside_an_accessible_svg_chart(world):
    order(at=local(2026, 10, 5), status="已完成", lines=[(world.product_a, 2, D("198.00"))])
    client = world.client_for("regulator")
    response = client.get(PAGE, PERIOD)
    page = response.content.decode()
    assert page.count("<svg") == 8 and page.count("<title id=") == 8 and page.count("<desc id=") == 8
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    assert "甲商家：198.00元" in page  # the chart's description lists the figures
    assert "2026-10-01 至 2026-11-30" in page
    assert page.count("export.csv?table=") == 8


@pytest.mark.django_db
@pytest.mark.parametrize("query, message", [
    ({"start": "2026-11-30", "end": "2026-10-01"}, "结束日期不能早于开始日期。"),
    ({"start": "2026-13-01", "end": "2026-11-30"}, "日期格式不正确"),
    ({"start": "", "end": "2026-11-30"}, "请填写日期。"),
    ({"start": "2000-01-01", "end": "2026-11-30"}, "一次最多统计"),
])
def test_bad_dates_are_explained_and_kept(world, query, message):
    response = world.client_for("regulator").get(PAGE, query)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    for value in query.values():
        if value:
            assert f'value="{value}"' in page
    assert "<svg" not in page


@pytest.mark.django_db
def test_no_dates_means_this_month_so_far(world):
    response = world.client_for("regulator").get(PAGE)
    assert response.status_code == 200 and response.content.decode().count("<svg") == 8


@pytest.mark.django_db
def test_csv_has_the_figures_and_neutralises_formulas(world):
    sneaky = factories.merchant(name="=HYPERLINK(\"http://evil\")")
    item = factories.product(merchant_=sneaky, title="助听器")
    order(at=local(2026, 10, 5), status="已完成", lines=[(world.product_a, 2, D("198.00"))])
    order(at=local(2026, 11, 6), status="已发货", lines=[(item, 1, D("1200.50"))])
    response = world.client_for("regulator").get(CSV, {**PERIOD, "table": "sales_by_merchant"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="sales_by_merchant-20261001-20261130.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["按商家的销售（2026-10-01 至 2026-11-30，北京时间，含首尾两日）"]
    assert rows[1] == ["商家", "订单数", "件数", "销售额（元）", "退货退款（元）", "净销售额（元）"]
    assert rows[2:] == [
        ["'=HYPERLINK(\"http://evil\")", "1", "1", "1200.50", "0.00", "1200.50"],
        ["甲商家", "1", "2", "198.00", "0.00", "198.00"],
        ["合计", "2", "3", "1398.50", "0.00", "1398.50"],
    ]


@pytest.mark.django_db
def test_csv_refuses_unknown_tables_and_bad_dates(world):
    client = world.client_for("regulator")
    assert client.get(CSV, {**PERIOD, "table": "passwords"}).status_code == 404
    bad = client.get(CSV, {"table": "sales_by_month", "start": "2026-11-30", "end": "2026-10-01"})
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in bad.content.decode()


def test_period_bounds_are_beijing_midnights():
    from marketplace.statistics.period import period

    span = period(start=date(2026, 10, 1), end=date(2026, 11, 30))
    assert span.since.isoformat() == "2026-10-01T00:00:00+08:00"
    assert span.until.isoformat() == "2026-12-01T00:00:00+08:00"
    with pytest.raises(ValueError):
        period(start=date(2026, 11, 30), end=date(2026, 10, 1))


def _vocabularies():
    """Names from other apps' vocabularies (catalogues, regulator actions, chain states, return
    states) that the tables list as row labels, as they list merchants' names: data here."""
    from catalog.models import CatalogueListing
    from marketplace.statistics.selectors import ReturnRequest
    from traceability import regulation
    from traceability.models import Lot

    return [*(str(name) for _code, name in CatalogueListing.CATALOGUES), *map(str, regulation.ACTION_NAMES.values()),
            *(str(name) for _code, name in Lot.CHAIN_STATUSES), *(str(name) for _code, name in ReturnRequest.STATUSES),
            "消费者举报"]


@pytest.mark.django_db
def test_english_statistics_page_has_no_chinese_interface_text(world):
    from tests.marketplace.test_english import chinese_lines

    order(at=local(2026, 10, 5), status="已完成", lines=[(world.product_a, 2, D("198.00"))])
    response = world.client_for("regulator").get("/en" + PAGE, PERIOD)
    page = response.content.decode()
    assert response.status_code == 200 and 'lang="en"' in page
    assert "Sales by merchant" in page and "2026-10-01 to 2026-11-30" in page and "2026-10" in page
    data = [world.partner_a.name, world.product_a.title, world.category.name, *_vocabularies()]
    assert chinese_lines(page, data) == []
    bad = world.client_for("regulator").get("/en" + PAGE, {"start": "2026-11-30", "end": "2026-10-01"})
    assert bad.status_code == 400 and "The end date cannot be before the start date." in bad.content.decode()


@pytest.mark.django_db
def test_english_merchant_sales_page_has_no_chinese_interface_text(world):
    from tests.marketplace.test_english import chinese_lines

    order(at=local(2026, 10, 5), status="已完成", lines=[(world.product_a, 2, D("198.00"))])
    response = world.client_for("merchant_a").get("/en/merchant/sales/", PERIOD)
    page = response.content.decode()
    assert response.status_code == 200 and "Sales by product" in page and "198.00" in page
    assert chinese_lines(page, [world.partner_a.name, world.product_a.title]) == []
