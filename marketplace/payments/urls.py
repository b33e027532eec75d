"""Payment pages, inside the language prefix. The webhook is mounted at the root in marketplace/urls.py."""

from django.urls import path

from marketplace.payments import views

app_name = "payments_stripe"

urlpatterns = [
    path("checkout/stripe/return/<str:number>/", views.status, name="return"),
    path("checkout/stripe/pay/<str:number>/", views.pay, name="pay"),
    path("checkout/stripe/cancel/<str:number>/", views.cancel, name="cancel"),
    path("dashboard/payments/orders/<str:number>/refund/", views.staff_refund, name="staff-refund"),
]
