from django.http import Http404
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from catalog.selectors import category_ancestors, product_for_detail
from marketplace import storefront_cache


def _product_bundle(pk) -> dict | None:
    """The product with everything its page shows, cached per storefront version."""
    product = product_for_detail(pk)
    if product is None:
        return None
    categories = list(product.categories.all())
    category = categories[-1] if categories else None
    return {
        "product": product,
        "category": category,
        "ancestors": category_ancestors(category) if category else [],
        "attributes": [value for value in product.attribute_values.all() if value.value not in (None, "")],
    }


class ProductDetailView(OscarProductDetailView):
    """Oscar's product page, with the product and everything it shows loaded up front.

    Sale status is not cached: it is read live for every view (two queries).
    """

    def get_object(self, queryset=None):
        if hasattr(self, "object"):
            return self.object
        pk = self.kwargs["pk"]
        self.bundle = storefront_cache.get_or_build(
            "product", [pk, storefront_cache.product_version(pk)], lambda: _product_bundle(pk))
        if self.bundle is None:
            raise Http404()
        return self.bundle["product"]

    def get_template_names(self):
        return ["oscar/catalogue/detail.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category"] = self.bundle["category"]
        context["ancestors"] = self.bundle["ancestors"]
        context["attributes"] = self.bundle["attributes"]
        context["sale_status"] = self.request.strategy.status_for(self.object)
        return context
