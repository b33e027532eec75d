"""The merchant workspace and the regulator console on a phone: plain Chinese, axe-clean, large
targets, no sideways scrolling at 320 px. And the signed-in session's quiet timeout notice."""

import pytest

from tests.browser.conftest import axe_violations, log_in, screenshot
from tests.browser.test_elder import OTHER_TARGETS, _overflow, _too_small

MERCHANT = "merchant.fusong@example.com"
REGULATOR = "regulator@example.com"
MERCHANT_PAGES = ["merchant-lots", "merchant-lot", "merchant-lot-new", "merchant-event-new", "merchant-commitments",
                  "merchant-orders", "merchant-returns"]
REGULATOR_PAGES = ["regulator-lots", "regulator-lot", "regulator-orders", "regulator-audit"]
# What a console page must never show: Python dicts, EPCIS bizStep URIs, raw field names.
RAW = ("{'", "https://ref.gs1.org", "bizstep", "growth_years", "report_number", "Action")


def _first_lot(page, demo_site, listing: str) -> str:
    page.goto(demo_site.url(listing))
    href = page.locator("main table a[href*='/lots/']").first.get_attribute("href")
    assert href, f"no lot on {listing}"
    return href.rstrip("/").split("/")[-1]


def _path(name: str, code: str) -> str:
    return {
        "merchant-lots": "/merchant/lots/", "merchant-lot": f"/merchant/lots/{code}/",
        "merchant-lot-new": "/merchant/lots/new/", "merchant-event-new": f"/merchant/lots/{code}/events/new/",
        "merchant-commitments": "/merchant/commitments/", "merchant-orders": "/merchant/orders/",
        "merchant-returns": "/merchant/returns/",
        "regulator-lots": "/regulator/lots/?product=", "regulator-lot": f"/regulator/lots/{code}/",
        "regulator-orders": f"/regulator/lots/{code}/orders/", "regulator-audit": "/regulator/audit/",
    }[name]


@pytest.mark.parametrize("name", MERCHANT_PAGES + REGULATOR_PAGES)
def test_console_page_passes_axe_keeps_targets_large_and_fits_320px(new_page, demo_site, name):
    email = MERCHANT if name.startswith("merchant") else REGULATOR
    wide, narrow = new_page(width=1280), new_page(width=320)
    for page in (wide, narrow):
        log_in(page, demo_site, email)
    code = _first_lot(wide, demo_site, "/merchant/lots/" if email == MERCHANT else "/regulator/lots/?product=")
    path = _path(name, code)

    response = wide.goto(demo_site.url(path))
    assert response.status == 200, f"{name}: {response.status}"
    assert axe_violations(wide) == [], name
    assert _too_small(wide, OTHER_TARGETS, 44) == [], f"{name}: targets under 44×44"
    text = wide.locator("main").inner_text()
    assert not [raw for raw in RAW if raw in text], f"{name} shows raw data"

    narrow.goto(demo_site.url(path))
    assert _overflow(narrow) <= 0, f"{name} scrolls sideways at 320px"
    assert _too_small(narrow, OTHER_TARGETS, 44) == [], f"{name}: targets under 44×44 at 320px"
    assert axe_violations(narrow) == [], f"{name} at 320px"
    for width in (360, 1280):
        page = new_page(width=width)
        log_in(page, demo_site, email)
        page.goto(demo_site.url(path))
        screenshot(page, f"console-{name}-{width}")


def test_session_notice_appears_before_the_timeout_and_continue_renews(new_page, demo_site):
    page = new_page(width=360)
    log_in(page, demo_site, "elder@example.com")
    page.clock.install()
    page.goto(demo_site.url("/accounts/profile/"))
    region = page.locator(".session-notice-region[role=status]")
    notice = region.locator("#session-notice")
    warn_after = int(region.get_attribute("data-warn-after"))
    assert warn_after < int(region.get_attribute("data-idle"))
    assert notice.is_hidden()
    page.clock.run_for((warn_after - 5) * 1000)
    assert notice.is_hidden(), "the notice shows too early"
    page.clock.run_for(10_000)
    assert notice.is_visible(), "the notice did not show before the session ends"
    assert "自动退出登录" in notice.inner_text()
    assert axe_violations(page) == []
    screenshot(page, "session-notice-360")
    with page.expect_response("**/session/continue/") as answer:
        notice.get_by_role("button", name="继续使用").click()
    assert answer.value.ok
    assert notice.is_hidden()
    assert "/accounts/profile/" in page.url

