"""Shopper reports and the regulators' queue, mounted at the site root inside i18n_patterns."""

from django.urls import path

from marketplace.claims import views

app_name = "claims"

urlpatterns = [
    path("catalogue/<int:pk>/report/", views.report_create, name="report-create"),
    path("reports/", views.my_reports, name="my-reports"),
    path("reports/<str:token>/", views.report_status, name="report-status"),
    path("regulator/reports/", views.queue, name="queue"),
    path("regulator/reports/<int:pk>/", views.queue_detail, name="queue-detail"),
    path("regulator/reports/<int:pk>/photo/", views.queue_photo, name="queue-photo"),
]
