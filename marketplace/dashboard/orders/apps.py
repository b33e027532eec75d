"""Oscar's orders dashboard, forked thin: a merchant sees and touches only its own lines.

Oscar lets a partner's user open any order that holds one of its lines, and then shows every
line of it (other merchants' included), the order's totals and payments, and lets them
change the whole order's status, add payment events and edit the delivery address. Here a
merchant sees its own lines and their figures only; changes go through the merchant
workspace (``/merchant/orders/``), which applies the shipping and return rules.
"""

import oscar.apps.dashboard.orders.apps as apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    name = "marketplace.dashboard.orders"

    def ready(self):
        super().ready()
        from marketplace.dashboard.orders import views

        self.order_list_view = views.OrderListView
        self.order_detail_view = views.OrderDetailView
        self.shipping_address_view = views.ShippingAddressUpdateView
        self.line_detail_view = views.LineDetailView
        self.order_stats_view = views.OrderStatsView
