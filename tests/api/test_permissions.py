"""Every role × every API endpoint: allowed cases succeed, denied ones are refused and change nothing.

Denied means 401 without a token, 403 for a role the endpoint is not for, and 404 for
another merchant's object (as if it did not exist). Each role runs inside a rolled-back
savepoint over one world per endpoint, so every case starts from the same data.
"""

import json

import pytest
from django.db import transaction
from django.utils import timezone

from marketplace.api import epcis_capture
from marketplace.api.models import ApiAuditEntry, CaptureJob
from marketplace.claims.models import ReportStatusChange, ShopperReport
from tests.api.conftest import ROLES
from traceability import epcis, regulation
from traceability.models import AuditEntry, Lot, TraceEvent

REGULATORS = {"regulator": 200, "platform_admin": 200}
PERIOD = "start=2024-01-01&end=2030-12-31"
BOTH_MERCHANTS = {"merchant_a": 200, "merchant_b": 200}


def _lot_status(status):
    return lambda w: Lot.objects.get(pk=w.lot_a.pk).status == status


def _listing_status(status):
    return lambda w: w.listing_a.__class__.objects.get(pk=w.listing_a.pk).status == status


def _events_of_a(count):
    return lambda w: TraceEvent.objects.filter(lot=w.lot_a).count() > count


def _suspend_a(w):
    regulation.suspend_lot(lot=w.lot_a, reason="抽检", actor=w.users["regulator"])


def _suspend_listing_a(w):
    regulation.suspend_listing(listing=w.listing_a, reason="抽检", actor=w.users["regulator"])


def _report_status(status):
    return lambda w: ShopperReport.objects.get(pk=w.report.pk).status == status


def _capture_job(w):
    w.job = epcis_capture.capture(merchant=w.partner_a, user=w.users["merchant_a"], token=None,
                                  document=capture_document(w.lot_a), behaviour="rollback")


def capture_document(lot, *, kind_step=("ObjectEvent", "OBSERVE", "storing")):
    event_type, action, step = kind_step
    return {"@context": epcis.CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": timezone.now().isoformat(), "epcisBody": {"eventList": [{
                "type": event_type, "action": action, "bizStep": step,
                "eventTime": timezone.localtime().replace(microsecond=0).isoformat(), "eventTimeZoneOffset": "+08:00",
                "quantityList": [{"epcClass": epcis.epc_class(lot.gtin, lot.lot_number), "quantity": 5,
                                  "uom": "KGM"}]}]}}


# name: (method, path, body, allowed {role: status}, roles answered 404, effect that must happen only when allowed, setup)
ACTIONS = {
    "regulator_lots": ("get", lambda w: "/api/v1/regulator/lots", None, REGULATORS, (), None, None),
    "regulator_lot": ("get", lambda w: f"/api/v1/regulator/lots/{w.lot_a.code}", None, REGULATORS, (), None, None),
    "regulator_events": ("get", lambda w: f"/api/v1/regulator/lots/{w.lot_a.code}/events", None, REGULATORS, (),
                         None, None),
    "regulator_verify": ("post", lambda w: f"/api/v1/regulator/lots/{w.lot_a.code}/verify", {}, REGULATORS, (),
                         lambda w: AuditEntry.objects.filter(action=regulation.VERIFY_LOT).exists(), None),
    "regulator_epcis": ("get", lambda w: f"/api/v1/regulator/lots/{w.lot_a.code}/epcis", None, REGULATORS, (),
                        lambda w: AuditEntry.objects.filter(action=regulation.EXPORT_JSONLD).exists(), None),
    "regulator_suspend": ("post", lambda w: f"/api/v1/regulator/lots/{w.lot_a.code}/suspend", {"reason": "抽检不合格"},
                          REGULATORS, (), _lot_status(Lot.SUSPENDED), None),
    "regulator_reinstate": ("post", lambda w: f"/api/v1/regulator/lots/{w.lot_a.code}/reinstate", {"reason": "复检合格"},
                            REGULATORS, (), _lot_status(Lot.ACTIVE), _suspend_a),
    "regulator_recall": ("post", lambda w: f"/api/v1/regulator/lots/{w.lot_a.code}/recall", {"reason": "召回"},
                         REGULATORS, (), _lot_status(Lot.RECALLED), None),
    "regulator_listing_suspend": ("post", lambda w: f"/api/v1/regulator/listings/{w.listing_a.pk}/suspend",
                                  {"reason": "虚假宣传", "exit_catalogue": True}, REGULATORS, (),
                                  _listing_status("exited"), None),
    "regulator_listing_reinstate": ("post", lambda w: f"/api/v1/regulator/listings/{w.listing_a.pk}/reinstate",
                                    {"reason": "整改完成"}, REGULATORS, (), _listing_status("listed"), _suspend_listing_a),
    "regulator_status_changes": ("get", lambda w: "/api/v1/regulator/status-changes", None, REGULATORS, (), None, None),
    "regulator_reports": ("get", lambda w: "/api/v1/regulator/reports", None, REGULATORS, (), None, None),
    "regulator_report_status": ("post", lambda w: f"/api/v1/regulator/reports/{w.report.pk}/status",
                                {"status": "investigating", "note": "已联系商家核查"}, REGULATORS, (),
                                _report_status("investigating"), None),
    "regulator_statistics": ("get", lambda w: f"/api/v1/regulator/statistics?{PERIOD}", None, REGULATORS, (),
                             None, None),
    "merchant_sales": ("get", lambda w: f"/api/v1/merchant/sales?{PERIOD}", None, BOTH_MERCHANTS, (), None, None),
    "merchant_products": ("get", lambda w: "/api/v1/merchant/products", None, BOTH_MERCHANTS, (), None, None),
    "merchant_stock": ("get", lambda w: "/api/v1/merchant/stock", None, BOTH_MERCHANTS, (), None, None),
    "merchant_lots": ("get", lambda w: "/api/v1/merchant/lots", None, BOTH_MERCHANTS, (), None, None),
    "merchant_lot": ("get", lambda w: f"/api/v1/merchant/lots/{w.lot_a.code}", None, {"merchant_a": 200},
                     ("merchant_b",), None, None),
    "merchant_lot_events": ("get", lambda w: f"/api/v1/merchant/lots/{w.lot_a.code}/events", None,
                            {"merchant_a": 200}, ("merchant_b",), None, None),
    "merchant_add_event": ("post", lambda w: f"/api/v1/merchant/lots/{w.lot_a.code}/events",
                           lambda w: {"kind": "storing", "event_time": timezone.now().isoformat(),
                                      "responsible_party": "甲商家仓库", "data": {"warehouse": "一号库"}},
                           {"merchant_a": 201}, ("merchant_b",), _events_of_a(3), None),
    "merchant_order_lines": ("get", lambda w: "/api/v1/merchant/order-lines", None, BOTH_MERCHANTS, (), None, None),
    "merchant_order_line": ("get", lambda w: f"/api/v1/merchant/order-lines/{w.line_a.pk}", None, {"merchant_a": 200},
                            ("merchant_b",), None, None),
    "epcis_capture": ("post", lambda w: "/api/v1/epcis/capture", lambda w: capture_document(w.lot_a),
                      {"merchant_a": 202, "merchant_b": 202}, (), _events_of_a(3), None),
    "epcis_capture_status": ("get", lambda w: f"/api/v1/epcis/capture/{w.job.pk}", None, {"merchant_a": 200},
                             ("merchant_b",), None, _capture_job),
    "epcis_events": ("get", lambda w: "/api/v1/epcis/events", None, {**REGULATORS, **BOTH_MERCHANTS}, (), None, None),
}
# Merchant B's capture of A's lot is accepted as a job, which fails: B has no such lot. Nothing is written.
CHANGES_NOTHING_THOUGH_ACCEPTED = {("epcis_capture", "merchant_b")}


def _call(world, role, method, path, body):
    client = world.client(role)
    if method == "get":
        return client.get(path)
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_role_against_the_endpoint(world, name):
    method, path, body, allowed, not_found, effect, setup = ACTIONS[name]
    if setup:
        setup(world)
    for role in ROLES:
        with transaction.atomic():
            before = ApiAuditEntry.objects.count()
            payload = body(world) if callable(body) else body
            response = _call(world, role, method, path(world), payload)
            expected = allowed.get(role) or (401 if role == "anonymous" else 404 if role in not_found else 403)
            assert response.status_code == expected, (name, role, response.content.decode()[:300])
            if expected >= 400:
                assert response["Content-Type"].startswith("application/problem+json"), (name, role)
                assert response.json()["status"] == expected
            if effect is not None:
                happened = effect(world)
                should = role in allowed and (name, role) not in CHANGES_NOTHING_THOUGH_ACCEPTED
                assert happened == should, (name, role, "effect" if should else "no effect expected")
            if method == "post":
                # Every write with a token is audited, refused or not; anonymous calls have no one to name.
                assert ApiAuditEntry.objects.count() - before == (0 if role == "anonymous" else 1), (name, role)
            transaction.set_rollback(True)


def test_a_merchants_lists_hold_only_its_own_things(world):
    client = world.client("merchant_b")
    lots = client.get("/api/v1/merchant/lots").json()["items"]
    assert [lot["code"] for lot in lots] == [world.lot_b.code]
    lines = client.get("/api/v1/merchant/order-lines").json()["items"]
    assert [line["id"] for line in lines] == [world.line_b.pk]
    products = client.get("/api/v1/merchant/products").json()["items"]
    assert [product["id"] for product in products] == [world.product_b.pk]
    stock = client.get("/api/v1/merchant/stock").json()["items"]
    assert {row["product_id"] for row in stock} == {world.product_b.pk}
    document = client.get("/api/v1/epcis/events").json()
    codes = {event["silver:hash"] for event in document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]}
    assert codes == set(TraceEvent.objects.filter(lot=world.lot_b).values_list("hash", flat=True))
    assert CaptureJob.objects.count() == 0


def test_merchant_sales_hold_only_its_own_lines(world):
    """The shared order: A's ginseng 300.00 and B's cane 80.00, each merchant sees only its own."""
    for role, title, amount, other in (("merchant_a", "甲的人参", "300.00", "乙的手杖"),
                                       ("merchant_b", "乙的手杖", "80.00", "甲的人参")):
        body = world.client(role).get(f"/api/v1/merchant/sales?{PERIOD}").json()
        by_product = next(table for table in body["tables"] if table["slug"] == "sales_by_product")
        assert by_product["rows"] == [[title, 1, 1, amount, "0.00", amount]], role
        assert by_product["total"] == ["合计", 1, 1, amount, "0.00", amount], role
        assert other not in str(body) and "380.00" not in str(body), role


def test_regulator_statistics_as_json(world):
    body = world.client("regulator").get(f"/api/v1/regulator/statistics?{PERIOD}").json()
    assert [table["slug"] for table in body["tables"]][:4] == [
        "sales_by_category", "sales_by_merchant", "sales_by_origin_county", "sales_by_month"]
    by_merchant = next(table for table in body["tables"] if table["slug"] == "sales_by_merchant")
    assert by_merchant["rows"] == [["甲商家", 1, 1, "300.00", "0.00", "300.00"],
                                   ["乙商家", 1, 1, "80.00", "0.00", "80.00"]]
    assert by_merchant["total"] == ["合计", 1, 2, "380.00", "0.00", "380.00"]


@pytest.mark.parametrize("query, field", [("start=2026-11-30&end=2026-11-01", "end"),
                                          ("start=昨天&end=2026-11-01", "start"), ("end=2026-11-01", "start")])
def test_statistics_bad_dates_are_problems_naming_the_field(world, query, field):
    for role, path in (("regulator", "/api/v1/regulator/statistics"), ("merchant_a", "/api/v1/merchant/sales")):
        response = world.client(role).get(f"{path}?{query}")
        assert response.status_code == 422, (role, query)
        assert response["Content-Type"].startswith("application/problem+json")
        assert [param["name"] for param in response.json()["invalid_params"]] == [field]


def test_report_status_change_is_recorded_and_checked(world):
    client = world.client("regulator")
    path = f"/api/v1/regulator/reports/{world.report.pk}/status"
    bad = client.post(path, data=json.dumps({"status": "closed", "note": "x"}), content_type="application/json")
    assert bad.status_code == 422 and bad.json()["invalid_params"][0]["name"] == "status"
    assert ShopperReport.objects.get(pk=world.report.pk).status == ShopperReport.RECEIVED
    done = client.post(path, data=json.dumps({"status": "resolved", "note": "商家已改正宣传"}),
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    change = ReportStatusChange.objects.get(report=world.report)
    assert (change.from_status, change.to_status, change.changed_by) == ("received", "resolved",
                                                                         world.users["regulator"])
    entry = ApiAuditEntry.objects.filter(object_type="shopperreport").latest("pk")
    assert (entry.object_id, entry.status) == (str(world.report.pk), 200)
    listed = client.get("/api/v1/regulator/reports?status=resolved").json()["items"]
    assert [item["reference"] for item in listed] == [world.report.reference]
    assert client.get("/api/v1/regulator/reports?status=open").json()["items"] == []
    assert client.get("/api/v1/regulator/reports?status=zzz").status_code == 422
