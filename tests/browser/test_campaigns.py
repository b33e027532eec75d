"""An operator's seasons, in a real browser: from the home page to the live 敬老月 campaign
(products with their campaign price, the offer in plain words) and to the 银龄购物节 that has
not started yet (no campaign prices, a plain notice of when it starts)."""

import re

import pytest

from tests.browser.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def test_both_campaigns_open_from_the_home_page(page, demo_site):
    page.goto(demo_site.url("/"))
    campaigns = page.locator(".home-campaigns")
    assert "敬老月" in campaigns.inner_text()

    page.get_by_role("link", name=re.compile("敬老月 · 重阳节")).first.click()
    page.wait_for_url(re.compile(r"/campaigns/respect-the-aged-month/$"))
    assert page.locator("h1").inner_text().endswith("敬老月 · 重阳节")
    assert "活动正在进行" in page.locator(".campaign-status").inner_text()
    assert "这些商品减价10%（打9折）" in page.locator(".offer-terms").inner_text()
    cards = page.locator(".product-grid-block").first.locator(".product-card")
    assert cards.count() > 0
    assert page.locator(".campaign-price").count() == cards.count()
    assert page.locator(".product-grid-block").first.locator(".unavailable").count() == 0
    assert "老年用品产品尝新" in page.content()
    assert axe_violations(page) == []
    screenshot(page, "campaign-respect-the-aged-month")

    page.goto(demo_site.url("/"))
    page.locator(".home-campaigns").get_by_role("link", name=re.compile("银龄购物节")).click()
    page.wait_for_url(re.compile(r"/campaigns/silver-shopping-festival/$"))
    assert "活动还没有开始" in page.locator(".campaign-status").inner_text()
    assert page.locator(".campaign-price").count() == 0
    assert page.locator(".product-card").count() > 0
    assert axe_violations(page) == []
    screenshot(page, "campaign-silver-shopping-festival")
