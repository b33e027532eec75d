from oscar.apps.dashboard.catalogue import views as oscar_views
from oscar.apps.dashboard.catalogue.utils import partner_product_visibility_q

from marketplace.dashboard.scope import sees_every_order


class ProductLookupView(oscar_views.ProductLookupView):
    def get_queryset(self):
        products = super().get_queryset()
        if sees_every_order(self.request.user):
            return products
        return products.filter(partner_product_visibility_q(self.request.user)).distinct()
