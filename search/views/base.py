"""Product listings answered by the search backend: browse, category and search pages.

The backend returns one page of product ids and the total. Each product's card is
cached per storefront version (which any change a card shows bumps: price, image,
title, listing, a product stopping or starting to sell), so a page of results is one
cache read for its cards. Cards not cached are built together from plain reads
(catalog.cards), their sale status checked live for all of them at once (a suspended
product is never shown as buyable, even if the index has not caught up). A search nobody
made before then costs its backend query and little else.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from catalog.cards import cards_for, render_card
from marketplace import storefront_cache
from search import service
from search.backends.base import Filters, SearchResult


class _Window:
    """A sequence as long as the whole result that holds only the current page's ids."""

    def __init__(self, total: int, offset: int, ids: list):
        self.total, self.offset, self.ids = total, offset, ids

    def __len__(self):
        return self.total

    def __getitem__(self, item):
        if isinstance(item, slice):
            return self.ids[(item.start or 0) - self.offset:(item.stop or self.total) - self.offset]
        return self.ids[item - self.offset]


def _render_cards(ids: list[int]) -> dict[int, str]:
    """Cards for these products in one pass, from plain reads (catalog.cards). A product the
    storefront no longer lists gets an empty card."""
    cards = cards_for(ids)
    return {pk: render_card(cards[pk]) if pk in cards else "" for pk in ids}


def product_cards(ids: list[int]) -> dict[int, str]:
    """The cards of these products, in order, by product id, from the storefront cache
    where it has them (a product no longer listed has none)."""
    cards = storefront_cache.get_or_build_many("card", {pk: [pk] for pk in ids},
                                               _render_cards)
    return {pk: mark_safe(cards[pk]) for pk in ids if cards[pk]}  # rendered by our own template


class ProductListView(TemplateView):
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    page_kwarg = "page"
    with_facets = False

    def get_filters(self) -> Filters:
        return Filters()

    def get_text(self) -> str:
        return ""

    def _page_number(self) -> int | None:
        raw = self.request.GET.get(self.page_kwarg, "1")
        if raw == "last":
            return -1
        return int(raw) if raw.isdigit() and 0 < int(raw) < 100000 else None

    def search(self, offset: int) -> SearchResult:
        return service.find_products(text=self.get_text(), filters=self.get_filters(), offset=offset,
                                     limit=self.paginate_by, with_facets=self.with_facets)

    def _back_to_first_page(self):
        messages.info(self.request, _("没有这一页，已为您回到第一页。"))
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        return redirect(f"{self.request.path}?{query.urlencode()}" if query else self.request.path)

    @method_decorator(storefront_cache.cache_anonymous_page)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        number = self._page_number()
        if number is None:
            return self._back_to_first_page()
        if number == -1:
            total = self.search(0).total
            number = max(1, -(-total // self.paginate_by))
        self.result = self.search((number - 1) * self.paginate_by)
        paginator = Paginator(_Window(self.result.total, (number - 1) * self.paginate_by, self.result.ids),
                              self.paginate_by, allow_empty_first_page=True)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            return self._back_to_first_page()
        self.paginator = paginator
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cards = product_cards(self.result.ids)
        context.update({
            "cards": list(cards.values()),
            "product_ids": list(cards),
            "paginator": self.paginator,
            "page_obj": self.page,
            "is_paginated": self.paginator.num_pages > 1,
            "result": self.result,
        })
        return context
