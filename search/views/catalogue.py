from urllib.parse import unquote

from django.http import Http404, HttpResponsePermanentRedirect

from catalog.models import Category
from catalog.selectors import (
    browsable_products,
    category_ancestors,
    category_tree_ids,
    products_in_categories,
    subcategories,
)
from marketplace import storefront_cache
from search.views.base import ProductListView


class CatalogueView(ProductListView):
    """All products, newest first."""

    template_name = "oscar/catalogue/browse.html"

    def get_queryset(self):
        return browsable_products()


def _category_bundle(pk) -> dict | None:
    category = Category.objects.filter(pk=pk).first()
    if category is None:
        return None
    return {
        "category": category,
        "url": category.get_absolute_url(),
        "ancestors": category_ancestors(category),
        "subcategories": subcategories(category),
        "tree_ids": category_tree_ids(category),
    }


class ProductCategoryView(ProductListView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        pk = self.kwargs["pk"]
        self.bundle = storefront_cache.get_or_build("category", [pk], lambda: _category_bundle(pk))
        if self.bundle is None:
            raise Http404()
        self.category = self.bundle["category"]
        if not (self.category.is_public or request.user.is_staff):
            raise Http404()
        if unquote(self.bundle["url"]) != unquote(request.path):
            return HttpResponsePermanentRedirect(self.bundle["url"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return products_in_categories(self.bundle["tree_ids"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["ancestors"] = self.bundle["ancestors"]
        context["subcategories"] = self.bundle["subcategories"]
        return context
