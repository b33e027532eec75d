from django.urls import path

from marketplace.statistics import views

app_name = "statistics"

urlpatterns = [
    path("regulator/statistics/", views.statistics, name="page"),
    path("regulator/statistics/export.csv", views.export_csv, name="export-csv"),
    path("merchant/sales/", views.merchant_sales, name="merchant-sales"),
    path("merchant/sales/export.csv", views.merchant_export_csv, name="merchant-export-csv"),
]
