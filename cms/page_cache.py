"""A cache for what pages list about other pages (campaigns, help pages, chosen categories),
keyed by a page-tree version that every publish, unpublish, move or delete bumps.

It is apart from the storefront version on purpose: a price change or a suspension (which
bump the storefront version) does not change which campaigns exist, so the home page does
not look them up again after every catalogue change.
"""

import hashlib

from django.core.cache import cache
from django.utils import translation

VERSION_KEY = "cms:pages:version"
TTL = 300


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        current = cache.get(VERSION_KEY) or 1
    return current


def bump(*args, **kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def get_or_build(kind: str, parts, build):
    digest = hashlib.sha1("|".join(str(part) for part in parts).encode()).hexdigest()
    key = f"cms:pages:{kind}:{version()}:{translation.get_language()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TTL)
    return value
