"""Oscar's catalogue dashboard, forked thin: a merchant's product look-up lists its own products only.

Oscar's look-up (used by product choosers) returns every browsable product to anyone who
may enter the dashboard; a merchant's staff get their own partner's products.
"""

import oscar.apps.dashboard.catalogue.apps as apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    name = "marketplace.dashboard.catalogue"

    def ready(self):
        super().ready()
        from marketplace.dashboard.catalogue.views import ProductLookupView

        self.product_lookup_view = ProductLookupView
