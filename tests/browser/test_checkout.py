"""Buying on the demo site in a real browser, with cash on delivery: as a guest, as the demo
older shopper, with JavaScript turned off; and the basket's remove and save-for-later."""

import re

import pytest

from tests.browser.conftest import log_in, screenshot


def _sellable_product_paths(demo_site, product_class="mobility-aids", count=2) -> list[str]:
    rows = demo_site.sql(
        """SELECT p.id, p.slug FROM catalogue_product p
           JOIN catalogue_productclass c ON c.id = p.product_class_id
           JOIN traceability_lot l ON l.product_id = p.id
           WHERE c.slug = ? AND l.status = 'active' AND l.chain_status = 'intact' AND l.quantity >= 5
           GROUP BY p.id ORDER BY p.id""", (product_class,))
    assert len(rows) >= count, f"the demo seed has fewer than {count} sellable {product_class} products"
    return [f"/catalogue/{slug}_{pk}/" for pk, slug in rows[:count]]


def _orders(demo_site) -> int:
    return demo_site.sql("SELECT count(*) FROM order_order")[0][0]


def _add_to_basket(page, demo_site, path):
    page.goto(demo_site.url(path))
    page.get_by_role("button", name="加入购物车").first.click()
    page.wait_for_load_state()


def _fill_address(page, *, javascript=True):
    page.locator("input[name=name]").fill("王秀兰")
    page.locator("input[name=mobile]").fill("１３８１２３４５６７８")  # full-width digits, as some keyboards type
    page.locator("select[name=province]").select_option("吉林省")
    page.locator("select[name=city]").select_option("长春市")
    if javascript:  # the district list narrows to the chosen city
        labels = page.locator("select[name=district] optgroup").evaluate_all("gs => gs.map(g => g.label)")
        assert labels == ["长春市"]
    page.locator("select[name=district]").select_option("南关区")
    page.locator("input[name=street]").fill("人民大街 100 号 3 单元 201 室")
    page.get_by_role("button", name="下一步：送货方式").click()


def _buy(page, demo_site, path, *, javascript=True, guest=True, name="checkout"):
    before = _orders(demo_site)
    _add_to_basket(page, demo_site, path)
    page.goto(demo_site.url("/basket/"))
    assert page.get_by_text("运费").first.is_visible()
    page.get_by_role("link", name="去结算").click()
    if guest:
        page.get_by_role("button", name="游客购买").click()
    if page.locator("form.address-form").count():
        _fill_address(page, javascript=javascript)
    page.get_by_label(re.compile("快递送货上门")).check()
    page.get_by_role("button", name="下一步：付款方式").click()
    page.get_by_label(re.compile("货到付款")).check()
    page.get_by_role("button", name="下一步：确认订单").click()
    assert page.get_by_role("heading", name="第 4 步：确认订单").is_visible()
    screenshot(page, f"{name}-confirm")
    page.get_by_role("button", name="提交订单").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="下单成功，谢谢您！").is_visible()
    number = page.locator(".order-number").inner_text()
    screenshot(page, f"{name}-thank-you")
    assert _orders(demo_site) == before + 1
    status = demo_site.sql("SELECT status FROM order_order WHERE number = ?", (number,))
    assert status == [("待发货",)]
    assert page.get_by_role("link", name="查看这批货从哪里来").first.get_attribute("href").startswith("/trace/")
    return number


def test_guest_buys_with_cash_on_delivery(page, demo_site):
    path = _sellable_product_paths(demo_site)[0]
    number = _buy(page, demo_site, path, name="checkout-guest")
    assert demo_site.sql("SELECT user_id FROM order_order WHERE number = ?", (number,)) == [(None,)]


def test_elder_buys_with_cash_on_delivery(page, demo_site):
    log_in(page, demo_site, "elder@example.com")
    path = _sellable_product_paths(demo_site)[0]
    number = _buy(page, demo_site, path, guest=False, name="checkout-elder")
    page.goto(demo_site.url("/accounts/orders/"))
    assert page.get_by_text(f"订单 {number}").is_visible()


def test_purchase_with_javascript_off(page_nojs, demo_site):
    path = _sellable_product_paths(demo_site)[1]
    _buy(page_nojs, demo_site, path, javascript=False, name="checkout-nojs")


@pytest.mark.parametrize("javascript", [True, False])
def test_basket_remove_and_save_for_later(new_page, demo_site, javascript):
    page = new_page(javascript=javascript)
    log_in(page, demo_site, "family@example.com")
    first, second = _sellable_product_paths(demo_site)
    _add_to_basket(page, demo_site, first)
    _add_to_basket(page, demo_site, second)
    page.goto(demo_site.url("/basket/"))
    assert page.locator("tr.basket-line").count() == 2
    page.locator("tr.basket-line").first.get_by_role("button", name="删除").click()
    page.wait_for_load_state()
    assert page.locator("tr.basket-line").count() == 1
    page.locator("tr.basket-line").first.get_by_role("button", name="留着以后用").click()
    page.wait_for_load_state()
    assert page.locator("tr.basket-line").count() == 0
    assert page.get_by_role("heading", name="留着以后用的商品").is_visible()
    page.locator("tr.saved-line").first.get_by_role("button", name="放回购物车").click()
    page.wait_for_load_state()
    assert page.locator("tr.basket-line").count() == 1
    page.locator("tr.basket-line").first.get_by_role("button", name="删除").click()
