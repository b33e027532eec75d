"""One version number for everything the storefront shows, and caches keyed by it.

Listing pages and product pages are cached under keys that include the storefront
version. Any change that could alter what a shopper sees (a product, price, image,
attribute, category, merchant, listing, lot or commitment) bumps the version, so the
next request renders afresh: a regulator's suspension shows at once (in other worker
processes within half a second). Changes through
``save()``/``delete()`` bump through signals; ``QuerySet.update()`` on lots and listings
bumps through ``VersionedQuerySet``; bulk loaders call ``bump()`` themselves. Entries also
expire after ``TTL`` seconds, for changes made behind the ORM's back.

Some changes show on one product's page only: units sold (``traceability.sale`` sends
``stock_changed``) and new trace events bump that product's own version, folded into its
page keys, and leave every other cached page alone. A sale bumps the shared version only
when the product stops or starts selling, which listings show. A chain verification that
finds nothing new writes no storefront-visible change (``traceability.verification``).

Basket-add and the checkout steps read a product's sale status from this cache too, under
the product's own version (``marketplace.partner.strategy.cached_sale_status``), so it is
as live as the page the shopper came from. Placing the order never does: allocation
re-checks the whole sale rule on row-locked lots (``traceability.sale.allocate``).
"""

from __future__ import annotations

import hashlib
import time
from functools import wraps

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils import translation

VERSION_KEY = "storefront:version"
TTL = 300


# Each process remembers the version for a moment instead of asking the cache for every
# key: another worker's change shows within LOCAL_SECONDS, this process's own at once.
LOCAL_SECONDS = 0.5
_local = {"version": None, "until": 0.0}


def version() -> int:
    now = time.monotonic()
    if _local["version"] is not None and now < _local["until"]:
        return _local["version"]
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        current = cache.get(VERSION_KEY)
    _local.update(version=current, until=now + LOCAL_SECONDS)
    return current


def _increment() -> None:
    _local.update(version=None, until=0.0)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def bump(*args, **kwargs) -> None:
    """Invalidate now, and again when the surrounding transaction commits: a page rendered
    in between from the not-yet-committed state must not outlive the commit."""
    _increment()
    transaction.on_commit(_increment)


PRODUCT_VERSION_KEY = "storefront:product-version:{pk}"


def product_version(pk) -> int:
    """A per-product counter folded into that product's page keys: a change that only its own
    page shows (units sold, a new trace event) renders that page afresh and nothing else."""
    return cache.get(PRODUCT_VERSION_KEY.format(pk=pk)) or 0


def product_versions(product_ids) -> dict[int, int]:
    """``product_version`` of each of these products, in one cache round trip."""
    names = {pk: PRODUCT_VERSION_KEY.format(pk=pk) for pk in product_ids}
    found = cache.get_many(list(names.values()))
    return {pk: found.get(name) or 0 for pk, name in names.items()}


def _increment_products(product_ids) -> None:
    for pk in product_ids:
        name = PRODUCT_VERSION_KEY.format(pk=pk)
        try:
            cache.incr(name)
        except ValueError:
            cache.set(name, time.time_ns(), timeout=None)


def bump_products(product_ids) -> None:
    """Invalidate these products' own pages now and again on commit (see ``bump``)."""
    ids = sorted(set(product_ids))
    _increment_products(ids)
    transaction.on_commit(lambda: _increment_products(ids))


def _on_stock_changed(sender, *, product_ids, flipped, **kwargs) -> None:
    """Units sold or given back change the product's own page; listings change only when a
    product stops or starts selling (they show availability, never how many are left)."""
    bump_products(product_ids)
    if flipped:
        bump()


def _on_trace_event(sender, instance, **kwargs) -> None:
    bump_products([instance.lot.product_id])


def key(kind: str, *parts) -> str:
    """A cache key for this storefront version and the active language."""
    digest = hashlib.sha1("|".join(str(part) for part in parts).encode()).hexdigest()
    return f"storefront:{kind}:{version()}:{translation.get_language()}:{digest}"


# Small values that nearly every request reads (the category tree, the product classes) are
# also remembered in the process under their versioned key, so they cost no cache round trip
# until the version moves on. Callers must treat them as read-only.
_remembered: dict[str, object] = {}
REMEMBER_AT_MOST = 64


def forget_local() -> None:
    """Drop what this process remembers of the cache (after the cache itself was emptied)."""
    _local.update(version=None, until=0.0)
    _remembered.clear()


def get_or_build(kind: str, parts, build, *, remember: bool = False):
    cache_key = key(kind, *parts)
    if remember:
        value = _remembered.get(cache_key)
        if value is not None:
            return value
    value = cache.get(cache_key)
    if value is None:
        value = build()
        cache.set(cache_key, value, TTL)
    if remember:
        if len(_remembered) >= REMEMBER_AT_MOST:
            _remembered.clear()
        _remembered[cache_key] = value
    return value


def get_or_build_many(kind: str, parts_by_id: dict, build_missing) -> dict:
    """``get_or_build`` for several values: one cache read for all of them, and
    ``build_missing(ids)`` (which returns a dict by id) once for those not cached."""
    keys = {pk: key(kind, *parts) for pk, parts in parts_by_id.items()}
    found = cache.get_many(list(keys.values()))
    values = {pk: found[name] for pk, name in keys.items() if name in found}
    missing = [pk for pk in keys if pk not in values]
    if missing:
        built = build_missing(missing)
        cache.set_many({keys[pk]: built[pk] for pk in missing}, TTL)
        values.update(built)
    return values


# Sent after ``VersionedQuerySet.update()`` with the primary keys it touched (the search
# index listens: a lot suspended with ``update()`` must stop ranking as buyable).
rows_updated = Signal()


class VersionedQuerySet(models.QuerySet):
    """``update()`` bypasses signals; for models the storefront shows, it bumps the version."""

    def update(self, **kwargs):
        pks = list(self.values_list("pk", flat=True)) if rows_updated.has_listeners(self.model) else []
        rows = super().update(**kwargs)
        if rows:
            bump()
            if pks:
                rows_updated.send(sender=self.model, pks=pks)
        return rows


def watch_storefront_models() -> None:
    from oscar.core.loading import get_model

    names = [
        ("catalogue", "Product"), ("catalogue", "ProductImage"), ("catalogue", "ProductAttributeValue"),
        ("catalogue", "ProductClass"), ("catalogue", "Category"), ("catalogue", "ProductCategory"),
        ("catalogue", "CatalogueListing"), ("catalogue", "GeographicalIndication"), ("partner", "Partner"),
        ("partner", "StockRecord"),
        ("traceability", "Lot"), ("traceability", "QualityCommitment"),
    ]
    for app_label, model_name in names:
        model = get_model(app_label, model_name)
        uid = f"storefront-version-{app_label}-{model_name}"
        post_save.connect(bump, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(bump, sender=model, dispatch_uid=uid + "-delete")
    product = get_model("catalogue", "Product")
    m2m_changed.connect(bump, sender=product.gi_marks.through, dispatch_uid="storefront-version-gi")
    # A trace event shows on its product's page and trace page only; stock changes come
    # from traceability.sale with what changed.
    from traceability.models import TraceEvent
    from traceability.sale import stock_changed

    post_save.connect(_on_trace_event, sender=TraceEvent, dispatch_uid="storefront-product-trace-event")
    stock_changed.connect(_on_stock_changed, dispatch_uid="storefront-stock-changed")


def _anonymous_without_messages(request) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    if request.COOKIES.get("messages"):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.session_key and "_messages" in session)


def cache_anonymous_page(view):
    """Serve a listing page to anonymous visitors from the cache, per storefront version.

    What such a visitor sees does not depend on who they are: no account links, no
    basket contents, no CSRF form (listing pages have none). Only complete 200 pages are
    stored; a visitor with a pending message gets a fresh page that shows it.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _anonymous_without_messages(request):
            return view(request, *args, **kwargs)
        cache_key = key("page", request.get_full_path())
        cached = cache.get(cache_key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render"):
                response.render()
            cache.set(cache_key, (response.content, response["Content-Type"]), TTL)
        return response

    return wrapper
