"""Every URL of the project, from the resolver, filled in with objects of a test world.

New URLs are covered automatically: a pattern whose arguments cannot be filled is listed
in ``unfilled`` and the tests assert that list stays small and known.
"""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver

_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>[^>]+)>[^)]*\)")


def _pattern_text(pattern) -> str:
    return str(pattern.pattern)


def walk(resolver=None, prefix: str = ""):
    """Yield (route template, URLPattern) for every endpoint; routes keep their <param> markers."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        text = _pattern_text(entry)
        if hasattr(entry.pattern, "regex") and not hasattr(entry.pattern, "_route"):
            # A regex pattern (or the language prefix): turn named groups into <name> markers.
            text = _REGEX_GROUP.sub(lambda m: f"<{m['name']}>", text)
            text = text.replace("^", "").replace("$", "").replace("\\", "").replace("/?", "/")
            text = re.sub(r"\(\?:[^)]*\)\?", "", text)
        if isinstance(entry, URLResolver):
            yield from walk(entry, prefix + text)
        elif isinstance(entry, URLPattern):
            yield prefix + text, entry


def fill(route: str, values: dict[str, str]) -> str | None:
    """The route with every <param> replaced from ``values`` (by name), or None if one is unknown."""
    missing = []

    def replace(match):
        name = match["name"]
        if name in values:
            return str(values[name])
        missing.append(name)
        return ""

    url = _PARAM.sub(replace, route)
    if missing or any(char in url for char in "()[]*+?|"):
        return None
    return "/" + url.lstrip("/")


def urls(values: dict[str, str]) -> tuple[list[tuple[str, URLPattern]], list[str]]:
    filled, unfilled, seen = [], [], set()
    for route, pattern in walk():
        url = fill(route, values)
        if url is None:
            unfilled.append(route)
        elif url not in seen:
            seen.add(url)
            filled.append((url, pattern))
    return filled, unfilled


def world_values(world) -> dict[str, str]:
    product, lot, partner = world.product_a, world.lot_a, world.partner_a
    user = world.users["merchant_a"]
    return {
        "code": lot.code, "gtin": lot.gtin, "lot_number": lot.lot_number, "event_id": world.event_a.pk,
        "pk": product.pk, "product_pk": product.pk, "partner_pk": partner.pk, "user_pk": user.pk,
        "product_slug": product.slug or "p", "slug": world.category.slug, "category_slug": world.category.slug,
        "parent_pk": product.pk, "image_id": 1, "document_id": 1, "page_id": world.home.pk, "id": 1,
        "number": "100001", "order_number": "100001", "line_id": 1, "lines": "1", "path": "", "key": "k",
        "model_name": "product", "app_label": "catalogue", "object_id": 1, "content_type_id": 1,
        "hashids": "x", "token": "t", "uidb64": "MQ", "basket_id": 1, "site_id": 1, "listing_id": world.listing_a.pk,
        "redirect_id": 1, "filter_spec": "original", "signature": "x", "filename": "x.pdf", "locale_id": 1,
        "type": "order", "code_id": 1, "action": "x", "app": "catalogue", "model": "product",
        "widget_name": "x", "field": "x", "year": "2026", "month": "11", "day": "23", "comment_id": 1,
        "address_id": 1, "alert_id": 1, "partner_id": partner.pk, "sku": "x", "key_name": "x",
        "url": "x", "uuid": "00000000-0000-0000-0000-000000000000", "lang": "zh-hans", "language_code": "zh-hans",
    }
