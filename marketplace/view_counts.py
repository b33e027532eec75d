"""Product views and basket additions counted off the request path.

Oscar's analytics receivers update a database counter on every product view and every
basket-add; on SQLite under several workers that fails with "database is locked", and on
any database it puts a write on the read path and, for a popular product, makes every
basket-add wait for the one ``ProductRecord`` row. We count in the cache instead and add
the totals to Oscar's ``ProductRecord`` in batches (``manage.py flush_view_counts``, run
from cron). A flush subtracts what it wrote, so counts made while it runs are kept.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from oscar.apps.analytics import receivers as oscar_receivers
from oscar.apps.basket.signals import basket_addition
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.search.signals import user_search

# ProductRecord field -> the part of the cache key that counts it
COUNTED = {"num_views": "", "num_basket_additions": "basket:"}
FLUSH_BATCH = 1000


def _key(field: str, product_id: int) -> str:
    return f"{settings.VIEW_COUNT_CACHE_PREFIX}{COUNTED[field]}{product_id}"


def _count(field: str, product_id: int) -> None:
    key = _key(field, product_id)
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:  # expired or evicted between add and incr
            cache.set(key, 1, timeout=None)


def count_product_view(sender, product, user=None, **kwargs) -> None:
    _count("num_views", product.pk)


def count_basket_addition(sender, product, user=None, **kwargs) -> None:
    _count("num_basket_additions", product.pk)
    if user is not None and user.is_authenticated:  # one row per shopper: no contention
        oscar_receivers._update_counter(oscar_receivers.UserRecord, "num_basket_additions", {"user": user})


def take_over_oscar_view_counting() -> None:
    product_viewed.disconnect(oscar_receivers.receive_product_view)
    user_search.disconnect(oscar_receivers.receive_product_search)
    basket_addition.disconnect(oscar_receivers.receive_basket_addition)
    product_viewed.connect(count_product_view, dispatch_uid="silver-count-product-view")
    basket_addition.connect(count_basket_addition, dispatch_uid="silver-count-basket-addition")


def _take(key: str, counted: int) -> None:
    try:
        cache.decr(key, counted)
    except ValueError:
        pass


def flush_view_counts() -> int:
    """Add the cached counts to ProductRecord; return how many products were updated."""
    from oscar.apps.analytics.models import ProductRecord
    from oscar.core.loading import get_model

    product_ids = get_model("catalogue", "Product").objects.order_by("pk").values_list("pk", flat=True)
    updated = 0
    batch: list[int] = []
    for product_id in product_ids.iterator(chunk_size=FLUSH_BATCH):
        batch.append(product_id)
        if len(batch) == FLUSH_BATCH:
            updated += _flush(batch, ProductRecord)
            batch = []
    return updated + (_flush(batch, ProductRecord) if batch else 0)


def _flush(product_ids: list[int], record_model) -> int:
    keys = {(field, pk): _key(field, pk) for field in COUNTED for pk in product_ids}
    found = cache.get_many(list(keys.values()))
    counts: dict[int, dict[str, int]] = {}
    for (field, pk), key in keys.items():
        if found.get(key):
            counts.setdefault(pk, {})[field] = found[key]
    for product_id, fields in counts.items():
        with transaction.atomic():
            record, _ = record_model.objects.get_or_create(product_id=product_id)
            record_model.objects.filter(pk=record.pk).update(
                **{field: F(field) + amount for field, amount in fields.items()})
        for field, amount in fields.items():
            _take(_key(field, product_id), amount)
    return len(counts)
