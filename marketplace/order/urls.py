"""Shopper order actions and the merchant's orders and returns (inside i18n_patterns)."""

from django.urls import path

from marketplace.order import views

app_name = "orders"

urlpatterns = [
    path("accounts/orders/<str:number>/cancel/", views.cancel_order, name="cancel"),
    path("accounts/orders/<str:number>/received/", views.confirm_received, name="received"),
    path("accounts/order-lines/<int:line_id>/return/", views.return_request, name="return-request"),
    path("merchant/orders/", views.merchant_orders, name="merchant-orders"),
    path("merchant/orders/ship/", views.merchant_ship, name="merchant-ship"),
    path("merchant/orders/lines/<int:pk>/", views.merchant_line, name="merchant-line"),
    path("merchant/returns/", views.merchant_returns, name="merchant-returns"),
    path("merchant/returns/<int:pk>/decide/", views.merchant_decide_return, name="merchant-return-decide"),
]
