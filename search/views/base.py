from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import ListView

from marketplace import storefront_cache


def _query_parts(queryset) -> list:
    sql, params = queryset.query.sql_with_params()
    return [sql, params]


class CachedCountPaginator(Paginator):
    """Counts once per storefront version: counting tens of thousands of matching
    products costs more than fetching a page of them."""

    @cached_property
    def count(self):
        return storefront_cache.get_or_build("count", _query_parts(self.object_list), self.object_list.count)


class ProductListView(ListView):
    """A paginated product list whose rendered grid is cached per storefront version.

    The grid shows sale status, so it is rendered with the statuses of the whole page
    loaded at once; a change to any product, lot or listing bumps the version.
    """

    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    paginator_class = CachedCountPaginator
    page_kwarg = "page"

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        self.grid_html = storefront_cache.get_or_build(
            "grid", _query_parts(page.object_list), lambda: self._render_grid(page.object_list)
        )
        return paginator, page, object_list, is_paginated

    def _render_grid(self, products) -> str:
        products = list(products)
        self.request.strategy.preload([product.pk for product in products])
        return render_to_string(
            "oscar/catalogue/partials/product_grid.html", {"products": products}, request=self.request
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["grid_html"] = mark_safe(self.grid_html)  # rendered by our own template above
        return context

    @method_decorator(storefront_cache.cache_anonymous_page)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.info(request, _("没有这一页，已为您回到第一页。"))
            query = request.GET.copy()
            query.pop(self.page_kwarg, None)
            return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
