from django.urls import path

from marketplace.statistics import views

app_name = "statistics"

urlpatterns = [
    path("regulator/statistics/", views.statistics, name="page"),
    path("regulator/statistics/export.csv", views.export_csv, name="export-csv"),
]
