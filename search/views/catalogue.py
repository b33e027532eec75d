from urllib.parse import unquote

from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404

from catalog.models import Category
from catalog.selectors import browsable_products, category_ancestors, products_in_category, subcategories
from search.views.base import ProductListView


class CatalogueView(ProductListView):
    """All products, newest first."""

    template_name = "oscar/catalogue/browse.html"

    def get_queryset(self):
        return browsable_products()


class ProductCategoryView(ProductListView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=self.kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404()
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return products_in_category(self.category)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["ancestors"] = category_ancestors(self.category)
        context["subcategories"] = subcategories(self.category)
        return context
