from django.urls import path

from marketplace.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("onboarding/", views.apply, name="apply"),
    path("onboarding/licences/<path:name>", views.licence_file, name="licence-file"),
]
