"""Search as the views, the bench and the tests call it.

``find_products`` parses the shopper's words, asks the backend, and when nothing
matches every word, asks again for products matching any of them (``relaxed``), so a
query is never a dead end. Results are cached per storefront version: any change to a
product, price, listing or lot starts afresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from marketplace import storefront_cache
from search import query as query_module
from search.backends import get_backend
from search.backends.base import NEWEST, RELEVANCE, Filters, SearchRequest, SearchResult


@dataclass(frozen=True)
class CategoryRef:
    pk: int
    path: str
    depth: int
    name: str
    name_en: str
    url_zh: str
    url_en: str

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and (translation.get_language() or "").startswith("en") else self.name

    @property
    def url(self) -> str:
        return self.url_en if (translation.get_language() or "").startswith("en") else self.url_zh


def _load_categories() -> dict[str, CategoryRef]:
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    refs = {}
    for category in Category.objects.filter(is_public=True).order_by("path"):
        with translation.override("zh-hans"):
            zh = category.get_absolute_url()
        with translation.override("en"):
            en = category.get_absolute_url()
        refs[category.path] = CategoryRef(category.pk, category.path, category.depth, category.name,
                                          category.name_en, zh, en)
    return refs


def categories() -> dict[str, CategoryRef]:
    return storefront_cache.get_or_build("search-categories", ["v1"], _load_categories, remember=True)


def facet_categories(path: str) -> list[str]:
    """The categories a facet counts: the children of the chosen one, else the top level."""
    refs = categories()
    if path:
        depth = len(path) // _steplen() + 1
        return [p for p, ref in refs.items() if ref.depth == depth and p.startswith(path)]
    return [p for p, ref in refs.items() if ref.depth == 1]


def _steplen() -> int:
    from oscar.core.loading import get_model

    return get_model("catalogue", "Category").steplen


def find_products(*, text: str = "", filters: Filters | None = None, offset: int = 0, limit: int = 24,
                  sort: str = RELEVANCE, with_facets: bool = True, backend=None) -> SearchResult:
    filters = filters or Filters()
    parsed = query_module.parse(text) if text else None
    has_query = parsed is not None and not parsed.empty
    request = SearchRequest(query=parsed if has_query else None, filters=filters, offset=max(0, offset),
                            limit=limit, sort=sort if has_query else NEWEST,
                            facet_categories=facet_categories(filters.category) if with_facets else [],
                            with_facets=with_facets)
    backend = backend or get_backend()

    def run() -> SearchResult:
        result = backend.search(request)
        if has_query and result.total == 0 and len(parsed.concepts) > 1:
            request.relaxed = True
            result = backend.search(request)
        return result

    if backend is not None and getattr(backend, "uncached", False):
        return run()
    parts = [backend.name, text, *filters.key(), offset, limit, sort, with_facets]
    return storefront_cache.get_or_build("search", parts, run)
