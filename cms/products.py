"""Products a CMS block shows: picked by the editor or by a rule, loaded in bulk through the
catalogue's selectors, with live sale status and (on a live campaign) the offer price.

A grid's HTML is cached under the storefront version (``marketplace.storefront_cache``):
every change to a product, price, stock, listing or lot bumps it, and so do offers (see
``cms.apps``), so a price change or a regulator's suspension shows on the next request.
Queries per grid stay the same whatever the number of products.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.template.loader import render_to_string

from catalog import selectors
from catalog.models import CatalogueListing
from marketplace import storefront_cache

CHOSEN, CATEGORY, LISTING, MERCHANT = "chosen", "category", "listing", "merchant"
SOURCES = [
    (CHOSEN, "编辑挑选的商品"),
    (CATEGORY, "某个分类里的商品"),
    (LISTING, "某个推广目录里的商品"),
    (MERCHANT, "某个商家的商品"),
]
# Rule-based grids look a little further than their limit, so that products that cannot be
# bought right now can be left out without a second round of queries.
LOOKAHEAD = 3


@dataclass(frozen=True)
class GridRule:
    source: str
    limit: int
    product_ids: tuple[int, ...] = ()
    category_slug: str = ""
    catalogue: str = ""
    merchant_id: int | None = None

    @classmethod
    def from_block(cls, value) -> GridRule:
        source = value.get("source") or CATEGORY
        products = value.get("products") or []
        merchant = value.get("merchant") or None
        return cls(
            source=source,
            limit=int(value.get("count") or 8),
            product_ids=tuple(getattr(product, "pk", product) for product in products if product),
            category_slug=value.get("category_slug") or "",
            catalogue=value.get("catalogue") or "",
            merchant_id=int(merchant) if merchant else None,
        )

    def cache_parts(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True, default=str)


def candidates(rule: GridRule) -> list:
    """Products the rule picks, in display order, before the sale check."""
    if rule.source == CHOSEN:
        if not rule.product_ids:
            return []
        by_pk = {p.pk: p for p in selectors.browsable_products().filter(pk__in=rule.product_ids)}
        return [by_pk[pk] for pk in rule.product_ids if pk in by_pk]
    products = selectors.browsable_products()
    if rule.source == CATEGORY:
        category = selectors.Category.objects.filter(slug=rule.category_slug).first()
        if category is None:
            return []
        products = selectors.products_in_category(category)
    elif rule.source == LISTING:
        listed = CatalogueListing.objects.filter(catalogue=rule.catalogue, status=CatalogueListing.LISTED)
        products = products.filter(pk__in=listed.values("product_id"))
    elif rule.source == MERCHANT:
        products = products.filter(stockrecords__partner_id=rule.merchant_id).distinct()
    else:
        return []
    return list(products[: rule.limit * LOOKAHEAD])


def buyable(products, strategy) -> list:
    """Only the products that can be bought now: traceable, listed, in stock, priced."""
    strategy.preload([product.pk for product in products])
    kept = []
    for product in products:
        info = strategy.fetch_for_product(product)
        if info.availability.is_available_to_buy and info.price.exists:
            product.unit_price = info.price.incl_tax
            kept.append(product)
    return kept


def grid_products(rule: GridRule, strategy, *, offers=()) -> list:
    """The buyable products of a grid; each carries ``unit_price`` and, when one of ``offers``
    reaches it, ``offer_price`` (the price the basket will charge for one unit)."""
    from cms.offers import best_unit_prices

    products = buyable(candidates(rule), strategy)[: rule.limit]
    prices = best_unit_prices(offers, {p.pk: p.unit_price for p in products}) if offers else {}
    for product in products:
        product.offer_price = prices.get(product.pk)
    return products


def render_grid(*, value, request, offers=(), offer_key="", template="cms/blocks/product_grid.html") -> str:
    """A grid block's HTML, from the storefront cache when nothing it shows has changed."""
    from marketplace.partner.strategy import strategy_for

    rule = GridRule.from_block(value)
    strategy = strategy_for(request)

    def build():
        products = grid_products(rule, strategy, offers=offers)
        return render_to_string(template, {"value": value, "products": products, "request": request})

    return storefront_cache.get_or_build("cms-grid", (rule.cache_parts(), value.get("heading", ""), offer_key,
                                                      template), build)
