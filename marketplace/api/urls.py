"""The API (no language prefix: machines call it) and the token page (inside i18n_patterns)."""

from django.urls import path

from marketplace.api import views
from marketplace.api.api import api

app_name = "api"

api_urlpatterns = [path("api/v1/", api.urls)]

urlpatterns = [
    path("account/api-tokens/", views.token_list, name="tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.revoke, name="token-revoke"),
]
