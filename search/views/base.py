"""Product listings answered by the search backend: browse, category and search pages.

The backend returns one page of product ids and the total; the page's products are
loaded with the storefront's selectors and rendered with their sale status checked
live for the whole page at once (a suspended product is never shown as buyable, even
if the index has not caught up). The rendered grid is cached per storefront version.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from catalog.selectors import browsable_products
from marketplace import storefront_cache
from search import service
from search.backends.base import Filters, SearchResult


class _Window:
    """A sequence as long as the whole result that holds only the current page."""

    def __init__(self, total: int, offset: int, products: list):
        self.total, self.offset, self.products = total, offset, products

    def __len__(self):
        return self.total

    def __getitem__(self, item):
        if isinstance(item, slice):
            return self.products[(item.start or 0) - self.offset:(item.stop or self.total) - self.offset]
        return self.products[item - self.offset]


def products_in_order(ids: list[int]) -> list:
    by_pk = {p.pk: p for p in browsable_products().filter(pk__in=ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


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
        self.products = products_in_order(self.result.ids)
        paginator = Paginator(_Window(self.result.total, (number - 1) * self.paginate_by, self.products),
                              self.paginate_by, allow_empty_first_page=True)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            return self._back_to_first_page()
        self.paginator = paginator
        return super().get(request, *args, **kwargs)

    def _render_grid(self) -> str:
        self.request.strategy.preload([product.pk for product in self.products])
        return render_to_string("oscar/catalogue/partials/product_grid.html", {"products": self.products},
                                request=self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grid = storefront_cache.get_or_build("grid", [[p.pk for p in self.products]], self._render_grid)
        context.update({
            "products": self.products,
            "grid_html": mark_safe(grid),  # rendered by our own template above
            "paginator": self.paginator,
            "page_obj": self.page,
            "is_paginated": self.paginator.num_pages > 1,
            "result": self.result,
        })
        return context
