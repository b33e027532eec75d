from django.urls import path

from marketplace.family import views

app_name = "family"

urlpatterns = [
    path("family/", views.home, name="home"),
    path("family/invite/", views.invite, name="invite"),
    path("family/join/", views.join, name="join"),
    path("family/invitations/<int:pk>/decide/", views.decide, name="decide"),
    path("family/links/<int:pk>/unlink/", views.unlink, name="unlink"),
    path("family/pay-requests/new/", views.pay_request_create, name="pay-request-create"),
    path("family/pay-requests/<int:pk>/", views.pay_request_detail, name="pay-request"),
    path("family/pay-requests/<int:pk>/qr.svg", views.pay_request_qr, name="pay-request-qr"),
    path("family/pay-requests/<int:pk>/cancel/", views.pay_request_cancel, name="pay-request-cancel"),
    path("family/pay/<str:token>/", views.pay, name="pay"),
    path("family/pay/<str:token>/done/", views.paid, name="paid"),
]
