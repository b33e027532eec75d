"""The regulator's witness page, inside the language-prefixed site."""

from django.urls import path

from traceability.transparency import views

app_name = "transparency"

urlpatterns = [
    path("regulator/tlog/", views.witness, name="witness"),
]
