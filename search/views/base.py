from django.conf import settings
from django.views.generic import ListView


class ProductListView(ListView):
    """A paginated product list whose sale status is loaded for the whole page at once."""

    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    page_kwarg = "page"

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        object_list = list(object_list)
        self.request.strategy.preload([product.pk for product in object_list])
        return paginator, page, object_list, is_paginated

    def get(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.http import Http404
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.info(request, _("没有这一页，已为您回到第一页。"))
            return redirect(request.path)
