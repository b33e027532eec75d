"""The product page for visitors it does not depend on, served from one cached copy.

Most product-page requests come from visitors the page does not depend on: not logged in,
no message waiting. For them the page is rendered once per product and storefront version,
sale status, language and display preference, with a placeholder where the CSRF token
goes, and each request only swaps in its own token (a cache read and a string replace
instead of a template render and the sale-status queries). Everyone else gets the page
rendered afresh.

The sale status is part of the key, so the buy box is as live as the storefront cache: a
suspension, a recall, a lot sold out or a new trace event bumps a version and shows at
once (other workers within ``storefront_cache.LOCAL_SECONDS``). A lot's expiry date is
kept by the local date in the key. A commitment that comes into force on its own, with no
change saved, shows within ``storefront_cache.TTL``. Basket-add and checkout never read
this: they check the sale rule live, under locks.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils import timezone

from marketplace import storefront_cache
from marketplace.partner.strategy import cached_sale_status
from marketplace.preferences.display import display_for

CSRF_PLACEHOLDER = "csrfplaceholder0000000000000000000000000000000000000000000000000"

def applies(request) -> bool:
    """True when nothing on the page depends on who is asking."""
    return (
        request.method == "GET"
        and not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def sale_fingerprint(product_id: int) -> tuple[int | None, str]:
    """(current lot, reason it cannot be sold): all of the page that a sale can change. The
    page shows no count of units left, and a lot sold to the last unit stops being current.
    Read from the cached sale status (under the product's own version), the same answer the
    page's strategy then reads, so a cold page reads the rule once."""
    status = cached_sale_status([product_id])[product_id]
    return (status.lot.pk if status.lot else None, status.reason)


def cached_html(request, product_id: int, *, sale: tuple, render) -> str:
    """The page's HTML with this request's CSRF token; ``render()`` builds it with the placeholder."""
    from django.middleware.csrf import get_token

    # The display preference (大字, 高对比, 长辈模式) sets classes on <html>: one copy for each
    # of its few values, read back from the cookie so an odd cookie cannot add copies.
    # A unit sold moves the product's version but not its sale fingerprint: the copy stays.
    parts = [product_id, timezone.localdate(), *sale, display_for(request=request).stored]
    html = storefront_cache.get_or_build("product-page", parts, render)
    return html.replace(CSRF_PLACEHOLDER, get_token(request))
