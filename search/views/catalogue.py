from urllib.parse import unquote

from django.http import Http404, HttpResponsePermanentRedirect

from catalog.models import Category
from catalog.selectors import category_ancestors, subcategories
from marketplace import storefront_cache
from search.backends.base import Filters
from search.views.base import ProductListView


class CatalogueView(ProductListView):
    """All products: those that can be bought first, newest first."""

    template_name = "oscar/catalogue/browse.html"


def _category_bundle(pk) -> dict | None:
    category = Category.objects.filter(pk=pk).first()
    if category is None:
        return None
    return {
        "category": category,
        "url": category.get_absolute_url(),
        "ancestors": category_ancestors(category),
        "subcategories": subcategories(category),
    }


class ProductCategoryView(ProductListView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        pk = self.kwargs["pk"]
        self.bundle = storefront_cache.get_or_build("category", [pk, "search"], lambda: _category_bundle(pk))
        if self.bundle is None:
            raise Http404()
        self.category = self.bundle["category"]
        if not (self.category.is_public or request.user.is_staff):
            raise Http404()
        if unquote(self.bundle["url"]) != unquote(request.path):
            return HttpResponsePermanentRedirect(self.bundle["url"])
        return super().get(request, *args, **kwargs)

    def get_filters(self) -> Filters:
        return Filters(category=self.category.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.category
        context["ancestors"] = self.bundle["ancestors"]
        context["subcategories"] = self.bundle["subcategories"]
        return context
