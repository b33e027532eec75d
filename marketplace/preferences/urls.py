from django.urls import path

from marketplace.preferences import views

urlpatterns = [
    path("display/", views.display_settings, name="display-settings"),
]
