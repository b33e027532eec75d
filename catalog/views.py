from django.http import Http404, HttpResponse
from django.utils import timezone
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from catalog import product_page
from catalog.selectors import category_ancestors, product_for_detail
from marketplace import storefront_cache


def _product_bundle(pk) -> dict | None:
    """The product with everything its page shows but its sale status, cached per storefront
    version and local day: a sale leaves it alone (the sale status is read apart, see
    ``product_page.sale_fingerprint``)."""
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
    """Oscar's product page, with the product and everything it shows loaded up front, and for
    visitors the page does not depend on, served whole from the cache (``product_page``).

    Sale status is never older than the storefront cache: it is part of the cached page's key.
    """

    def get(self, request, *args, **kwargs):
        if not product_page.applies(request):
            return super().get(request, *args, **kwargs)
        self.object = product = self.get_object()
        if redirect_to := self.redirect_if_necessary(request.path, product):
            return redirect_to
        if not self.is_viewable(product, request):
            raise Http404()
        response = HttpResponse(product_page.cached_html(
            request, product.pk, sale=product_page.sale_fingerprint(product.pk), render=self._render_with_placeholder))
        self.send_signal(request, response, product)
        return response

    def _render_with_placeholder(self) -> str:
        context = self.get_context_data(object=self.object)
        context["csrf_token"] = product_page.CSRF_PLACEHOLDER
        return self.render_to_response(context).render().content.decode()

    def get_object(self, queryset=None):
        if hasattr(self, "object"):
            return self.object
        pk = int(self.kwargs["pk"])
        self.bundle = storefront_cache.get_or_build(
            "product", [pk, timezone.localdate()], lambda: _product_bundle(pk))
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
