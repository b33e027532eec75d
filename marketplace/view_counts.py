"""Product views counted off the request path.

Oscar's analytics receivers update a database counter on every product view; on SQLite
under several workers that fails with "database is locked", and on any database it puts
a write on the read path. We count in the cache instead and write the totals to Oscar's
``ProductRecord`` in batches (``manage.py flush_view_counts``, run from cron).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from oscar.apps.analytics import receivers as oscar_receivers
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.search.signals import user_search

PRODUCT_IDS_KEY = "views:product-ids"


def _key(product_id: int) -> str:
    return f"{settings.VIEW_COUNT_CACHE_PREFIX}{product_id}"


def count_product_view(sender, product, user=None, **kwargs) -> None:
    key = _key(product.pk)
    if cache.add(key, 1, timeout=None):
        ids = cache.get(PRODUCT_IDS_KEY) or set()
        ids.add(product.pk)
        cache.set(PRODUCT_IDS_KEY, ids, timeout=None)
    else:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=None)


def take_over_oscar_view_counting() -> None:
    product_viewed.disconnect(oscar_receivers.receive_product_view)
    user_search.disconnect(oscar_receivers.receive_product_search)
    product_viewed.connect(count_product_view, dispatch_uid="silver-count-product-view")


def flush_view_counts() -> int:
    """Add the cached counts to ProductRecord.num_views; return how many products were updated."""
    from oscar.apps.analytics.models import ProductRecord

    ids = cache.get(PRODUCT_IDS_KEY) or set()
    cache.delete(PRODUCT_IDS_KEY)
    updated = 0
    for product_id in ids:
        key = _key(product_id)
        views = cache.get(key) or 0
        cache.delete(key)
        if not views:
            continue
        with transaction.atomic():
            record, _ = ProductRecord.objects.get_or_create(product_id=product_id)
            ProductRecord.objects.filter(pk=record.pk).update(num_views=F("num_views") + views)
        updated += 1
    return updated
