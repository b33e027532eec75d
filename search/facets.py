"""Facets as plain links (they work without JavaScript), built from a result's counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from catalog.models import CatalogueListing
from marketplace import storefront_cache
from search.backends.base import CATALOGUE_CODES, PRICE_BANDS, Filters, SearchResult

PARAMS = ("category", "price", "catalogue", "origin", "merchant", "available")


def filters_from(params) -> Filters:
    """Filters from the query string; anything malformed is ignored rather than refused."""
    from search.service import categories

    category = params.get("category", "")
    merchant = params.get("merchant", "")
    price = params.get("price", "")
    catalogue = params.get("catalogue", "")
    return Filters(
        category=category if category in categories() else "",
        price=price if price in [code for code, _, _ in PRICE_BANDS] else "",
        catalogue=catalogue if catalogue in CATALOGUE_CODES else "",
        origin=params.get("origin", "")[:32],
        merchant=int(merchant) if merchant.isdigit() and len(merchant) < 10 else None,
        available=params.get("available") == "1",
    )


def _merchant_names() -> dict[int, str]:
    from oscar.core.loading import get_model

    Partner = get_model("partner", "Partner")
    return storefront_cache.get_or_build(
        "search-merchants", ["v1"], lambda: {p.pk: p.display_name for p in Partner.objects.all()}, remember=True)


@dataclass
class FacetOption:
    label: str
    count: int
    url: str
    selected: bool = False


@dataclass
class FacetGroup:
    code: str
    title: str
    options: list[FacetOption] = field(default_factory=list)


def _url(base: dict, **changes) -> str:
    params = {k: v for k, v in base.items() if v not in ("", None, False)}
    for key, value in changes.items():
        if value in ("", None):
            params.pop(key, None)
        else:
            params[key] = value
    params.pop("page", None)
    return "?" + urlencode(params)


def _price_label(code: str) -> str:
    low, _dash, high = code.partition("-")
    return _("%(low)s 元以上") % {"low": low} if not high else _("%(low)s–%(high)s 元") % {"low": low, "high": high}


def groups(result: SearchResult, filters: Filters, base: dict, *, show_category: bool = True) -> list[FacetGroup]:
    """Facet groups; a chosen value shows alone with a link that clears it."""
    from search.service import categories

    facets = result.facets
    if facets is None:
        return []
    out = []
    refs = categories()
    merchant_names = _merchant_names() if facets.merchants else {}
    if show_category:
        group = FacetGroup("category", _("分类"))
        if filters.category and filters.category in refs:
            group.options.append(FacetOption(refs[filters.category].display_name, result.total,
                                             _url(base, category=""), selected=True))
        for path, count in facets.categories.items():
            if count and path in refs:
                group.options.append(FacetOption(refs[path].display_name, count, _url(base, category=path)))
        out.append(group)
    for code, title, values in (
        ("price", _("价格"), [(c, _price_label(c), facets.price.get(c, 0)) for c in [b[0] for b in PRICE_BANDS]]),
        ("catalogue", _("推荐目录"), [(c, _catalogue_label(c), facets.catalogues.get(c, 0)) for c in CATALOGUE_CODES]),
        ("origin", _("产地"), [(o, o, n) for o, n in sorted(facets.origins.items(), key=lambda i: (-i[1], i[0]))]),
        ("merchant", _("商家"), [(str(m), merchant_names.get(m, str(m)), n)
                                 for m, n in sorted(facets.merchants.items(), key=lambda i: (-i[1], i[0]))]),
    ):
        group = FacetGroup(code, title)
        chosen = getattr(filters, code)
        if chosen not in ("", None):
            label = next((label for value, label, _n in values if value == str(chosen)), str(chosen))
            group.options.append(FacetOption(label, result.total, _url(base, **{code: ""}), selected=True))
        else:
            group.options += [FacetOption(label, n, _url(base, **{code: value})) for value, label, n in values if n]
        if group.options:
            out.append(group)
    available = FacetGroup("available", _("能否购买"))
    if filters.available:
        available.options.append(FacetOption(_("只看现在能买的"), result.total, _url(base, available=""), selected=True))
    elif facets.available:
        available.options.append(FacetOption(_("只看现在能买的"), facets.available, _url(base, available="1")))
    if available.options:
        out.append(available)
    return out


def _catalogue_label(code: str) -> str:
    return {
        CatalogueListing.ELDER_PRODUCTS: _("老年用品推广目录"),
        CatalogueListing.SMART_HEALTH: _("智慧健康养老推广目录"),
        CatalogueListing.JIZHI_JIPIN: _("吉致吉品"),
    }[code]


def base_params(query: str, filters: Filters) -> dict:
    return {"q": query, "category": filters.category, "price": filters.price, "catalogue": filters.catalogue,
            "origin": filters.origin, "merchant": filters.merchant, "available": "1" if filters.available else ""}
