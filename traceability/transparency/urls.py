"""The log's public endpoints, mounted at /tlog/ without a language prefix."""

from django.urls import path

from traceability.transparency import views

app_name = "tlog"

urlpatterns = [
    path("checkpoint", views.checkpoint, name="checkpoint"),
    path("keys", views.verifier_keys, name="keys"),
    path("proof/inclusion", views.inclusion, name="inclusion"),
    path("proof/consistency", views.consistency, name="consistency"),
    path("leaf/<int:index>", views.leaf, name="leaf"),
    path("lots/<str:code>/proof.json", views.lot_bundle, name="lot-bundle"),
]
