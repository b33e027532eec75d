"""A shopper's first visit, in a real browser: home → category → product → trace page.

Checks what the person sees (text, links that lead somewhere), that the pages pass axe-core's
WCAG 2.x A/AA rules, and keeps screenshots at a phone and a desktop width under var/screenshots/.
"""

import re

import pytest

from tests.browser.conftest import axe_violations, screenshot

WIDTHS = [360, 1280]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["home", "category", "product", "trace"])
def test_page_reads_in_chinese_fits_the_screen_and_passes_axe(new_page, demo_site, shop_paths, name, width):
    page = new_page(width=width)
    response = page.goto(demo_site.url(shop_paths[name]))
    assert response.status == 200
    assert page.locator("html").get_attribute("lang").lower() == "zh-hans"
    assert "银龄集市" in page.title()
    screenshot(page, f"{name}-{width}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    assert axe_violations(page) == []


def test_product_page_leads_to_a_verified_trace_record(page, demo_site, shop_paths):
    page.goto(demo_site.url(shop_paths["product"]))
    assert page.locator("h1").inner_text().strip()
    page.locator(f"a[href='{shop_paths['trace']}']").first.click()
    page.wait_for_load_state()
    assert re.search(r"/trace/\d{14}-[^/]+/$", page.url)
    body = page.locator("main").inner_text()
    assert "记录完整，未被修改" in body, body[:500]


def test_english_pages_are_english(page, demo_site, shop_paths):
    page.goto(demo_site.url("/en" + shop_paths["product"]))
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(demo_site.url("/en/no-such-page/"))
    assert page.locator("html").get_attribute("lang") == "en"
