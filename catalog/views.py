from django.http import Http404
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from catalog.selectors import category_ancestors, product_for_detail


class ProductDetailView(OscarProductDetailView):
    """Oscar's product page, with the product and everything it shows loaded up front."""

    def get_object(self, queryset=None):
        if hasattr(self, "object"):
            return self.object
        product = product_for_detail(self.kwargs["pk"])
        if product is None:
            raise Http404()
        return product

    def get_template_names(self):
        return ["oscar/catalogue/detail.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        product = self.object
        categories = list(product.categories.all())
        category = categories[-1] if categories else None
        context["category"] = category
        context["ancestors"] = category_ancestors(category) if category else []
        context["attributes"] = [
            value for value in product.attribute_values.all() if value.value not in (None, "")
        ]
        context["sale_status"] = self.request.strategy.status_for(product)
        return context
