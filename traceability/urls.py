"""Traceability URLs, mounted at the site root inside i18n_patterns (Chinese at /, English at /en/)."""

from django.urls import path, re_path

from traceability.views import merchant, public, regulator, resolver

app_name = "traceability"

urlpatterns = [
    # Public: the trace page, its QR code and the GS1 Digital Link that the QR code carries.
    path("trace/<str:code>/", public.trace, name="trace"),
    path("trace/<str:code>/qr.svg", public.trace_qr, name="trace-qr"),
    # The GS1-conformant resolver (views/resolver.py) answers every /01/ path: 307 to the trace page
    # for a lot, linksets, CORS; bad syntax gets 400 and an unknown item 404.
    re_path(r"^01/(?P<gtin>[^/]+)/10/(?P<lot_number>[^/]+)(?:/21/[^/]+)?/?$", resolver.resolve,
            name="digital-link"),
    re_path(r"^01/(?P<gtin>[^/]+)/?$", resolver.resolve, name="gs1-gtin"),
    re_path(r"^01/.*$", resolver.resolve, name="gs1-other"),
    # Regulator console.
    path("regulator/lots/", regulator.lots, name="regulator-lots"),
    path("regulator/lots/<str:code>/", regulator.lot_detail, name="regulator-lot"),
    path("regulator/lots/<str:code>/verify/", regulator.verify, name="regulator-verify"),
    path("regulator/lots/<str:code>/status/", regulator.lot_status, name="regulator-lot-status"),
    path("regulator/lots/<str:code>/listing/", regulator.listing_status, name="regulator-listing-status"),
    path("regulator/lots/<str:code>/recall/", regulator.recall, name="regulator-recall"),
    path("regulator/lots/<str:code>/orders/", regulator.orders, name="regulator-orders"),
    path("regulator/audit/", regulator.audit, name="regulator-audit"),
    path("regulator/export.csv", regulator.export_csv, name="regulator-export-csv"),
    path("regulator/export.jsonld", regulator.export_jsonld, name="regulator-export-jsonld"),
    path("regulator/verify-all/", regulator.verify_all, name="regulator-verify-all"),
    # Merchant workspace.
    path("merchant/lots/", merchant.lots, name="merchant-lots"),
    path("merchant/lots/new/", merchant.lot_create, name="merchant-lot-create"),
    path("merchant/lots/<str:code>/", merchant.lot_detail, name="merchant-lot"),
    path("merchant/lots/<str:code>/events/new/", merchant.event_add, name="merchant-event-add"),
    path("merchant/lots/<str:code>/events/<uuid:event_id>/correct/", merchant.event_correct,
         name="merchant-event-correct"),
    path("merchant/lots/<str:code>/labels/", merchant.labels, name="merchant-labels"),
    path("merchant/lots/<str:code>/labels.svg", merchant.labels_svg, name="merchant-labels-svg"),
    path("merchant/commitments/", merchant.commitments, name="merchant-commitments"),
]
