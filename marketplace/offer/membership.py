"""Which products a range takes in, answered from memory.

Oscar asks ``Range.contains_product`` once per basket line for each offer's condition and
again for its benefit, one query each time, on every request that loads a basket: with the
敬老月 offer live that was most of a basket page's time, and grew with its lines. Here a
range's membership is read once per storefront version (``marketplace.storefront_cache``:
every change to a range, a product, its class or its categories bumps it) and kept in the
cache and in this process. Another worker's change shows within the version's half-second.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from marketplace import storefront_cache

_in_process: dict[tuple[int, int], Membership] = {}
_IN_PROCESS_LIMIT = 512


@dataclass(frozen=True)
class Membership:
    """Member ids, or, for a range of all products, the ids it leaves out (a short list)."""

    ids: frozenset[int]
    all_but: bool

    def __contains__(self, product_id: int) -> bool:
        return (product_id not in self.ids) if self.all_but else (product_id in self.ids)


def _read(range_) -> Membership:
    members = range_.product_queryset
    if range_.includes_all_products:
        left_out = members.model.objects.exclude(pk__in=members.values("pk"))
        return Membership(ids=frozenset(left_out.values_list("pk", flat=True)), all_but=True)
    return Membership(ids=frozenset(members.values_list("pk", flat=True)), all_but=False)


def membership(range_) -> Membership:
    version = storefront_cache.version()
    local_key = (range_.pk, version)
    found = _in_process.get(local_key)
    if found is None:
        cache_key = f"offer:range-members:{range_.pk}:{version}"
        found = cache.get(cache_key)
        if found is None:
            found = _read(range_)
            cache.set(cache_key, found, storefront_cache.TTL)
        if len(_in_process) >= _IN_PROCESS_LIMIT:
            _in_process.clear()
        _in_process[local_key] = found
    return found
