"""代付 in a real browser: the demo elder asks, the demo family member logs in from the link
and pays with cash on delivery; the order is the elder's, sent to her saved 吉林省 address."""

import re

from tests.browser.conftest import log_in, screenshot
from tests.browser.test_checkout import _add_to_basket, _sellable_product_paths


def test_family_member_pays_for_the_elders_basket(new_page, demo_site):
    elder = new_page()
    log_in(elder, demo_site, "elder@example.com")
    _add_to_basket(elder, demo_site, _sellable_product_paths(demo_site)[0])
    elder.goto(demo_site.url("/family/"))
    elder.get_by_role("button", name="请家人代付我的购物车").click()
    elder.wait_for_load_state()
    assert elder.get_by_role("heading", name="请家人代付").is_visible()
    assert elder.get_by_role("img", name="代付二维码").is_visible()
    pay_url = elder.locator("#pay-url").input_value()
    assert re.fullmatch(re.escape(demo_site.base_url) + r"/family/pay/[A-Za-z0-9_-]{40,}/", pay_url)
    screenshot(elder, "family-pay-request")
    elder_id = demo_site.sql("SELECT id FROM auth_user WHERE email = 'elder@example.com'")[0][0]
    family_id = demo_site.sql("SELECT id FROM auth_user WHERE email = 'family@example.com'")[0][0]
    before = demo_site.sql("SELECT count(*) FROM order_order WHERE user_id = ?", (elder_id,))[0][0]

    member = new_page()
    member.goto(pay_url)  # not logged in yet: log in first, then back to the link
    assert "/accounts/login/" in member.url
    form = member.locator("form:has(input[name='login-password'])")
    form.locator("input[name='login-username']").fill("family@example.com")
    form.locator("input[name='login-password']").fill("demo-pass-2026")
    form.locator("button[type='submit'], input[type='submit']").first.click()
    member.wait_for_load_state()
    assert member.url == pay_url
    assert member.get_by_role("heading", name=re.compile("为 .* 代付")).is_visible()
    assert member.get_by_text("吉林省").first.is_visible()
    member.get_by_label(re.compile("货到付款")).check()
    screenshot(member, "family-pay-confirm")
    member.get_by_role("button", name="确认代付并下单").click()
    member.wait_for_load_state()
    assert member.get_by_role("heading", name="代付订单已提交").is_visible()
    screenshot(member, "family-pay-done")

    rows = demo_site.sql(
        "SELECT o.number, o.status, o.placed_by_id, a.state FROM order_order o "
        "JOIN order_shippingaddress a ON a.id = o.shipping_address_id WHERE o.user_id = ? ORDER BY o.id",
        (elder_id,))
    assert len(rows) == before + 1
    number, status, placed_by, state = rows[-1]
    assert (status, placed_by, state) == ("待发货", family_id, "吉林省")
    assert member.get_by_text(number).first.is_visible()
    assert demo_site.sql("SELECT kind, member_id FROM family_orderbeneficiary o JOIN order_order r ON r.id = "
                         "o.order_id WHERE r.number = ?", (number,)) == [("pay_for", family_id)]

    # The same link cannot be paid twice.
    member.goto(pay_url)
    assert member.get_by_text("这个代付请求已经付过了").is_visible()
    # Both see the order on their family page.
    for person in (member, elder):
        person.goto(demo_site.url("/family/"))
        assert person.get_by_text(number).first.is_visible()
