import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import ListView

COUNT_CACHE_SECONDS = 120


class CachedCountPaginator(Paginator):
    """A paginator that remembers the result count for a couple of minutes.

    Counting tens of thousands of matching products costs more than fetching a page of
    them; "共 26,935 件商品" may be two minutes old without misleading anyone.
    """

    @cached_property
    def count(self):
        sql, params = self.object_list.query.sql_with_params()
        key = "listing-count:" + hashlib.sha1(f"{sql}|{params}".encode()).hexdigest()
        count = cache.get(key)
        if count is None:
            count = self.object_list.count()
            cache.set(key, count, COUNT_CACHE_SECONDS)
        return count


class ProductListView(ListView):
    """A paginated product list whose sale status is loaded for the whole page at once."""

    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    paginator_class = CachedCountPaginator
    page_kwarg = "page"

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        object_list = list(object_list)
        self.request.strategy.preload([product.pk for product in object_list])
        return paginator, page, object_list, is_paginated

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.info(request, _("没有这一页，已为您回到第一页。"))
            query = request.GET.copy()
            query.pop(self.page_kwarg, None)
            return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
