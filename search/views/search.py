from catalog.selectors import search_products
from search.views.base import ProductListView


class FacetedSearchView(ProductListView):
    """Searches titles (Chinese and English), UPC and descriptions in the database."""

    template_name = "oscar/search/results.html"

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:100]
        return search_products(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.query
        return context
