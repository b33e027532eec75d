"""Cursor pagination, rate limits, problem+json naming the field, and conflicts."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from marketplace.api.models import ApiAuditEntry
from tests import factories
from traceability.models import Lot, TraceEvent

pytestmark = pytest.mark.django_db


def _pages(client, path, limit):
    seen, cursor, pages = [], None, 0
    while True:
        response = client.get(path, {"limit": limit, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.content
        body = response.json()
        seen.extend(item["code"] for item in body["items"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen, pages


def test_pagination_is_stable_while_rows_are_added(world):
    for n in range(5):
        factories.lot(product_=world.product_a, events=0, lot_number=f"P{n}",
                      produced_on=date.today() - timedelta(days=n))
    client = world.client("merchant_a")
    first = client.get("/api/v1/merchant/lots", {"limit": 2}).json()
    # A lot made while the client pages through never shifts a page or repeats a row.
    factories.lot(product_=world.product_a, events=0, lot_number="LATE")
    rest = []
    cursor = first["next_cursor"]
    while cursor:
        body = client.get("/api/v1/merchant/lots", {"limit": 2, "cursor": cursor}).json()
        rest.extend(item["code"] for item in body["items"])
        cursor = body["next_cursor"]
    codes = [item["code"] for item in first["items"]] + rest
    expected = list(Lot.objects.filter(merchant=world.partner_a).order_by("created_at", "id").values_list("pk", flat=True))
    assert len(codes) == len(set(codes)) == len(expected) == 7
    assert codes == [Lot.objects.get(pk=pk).code for pk in expected]
    again, pages = _pages(client, "/api/v1/merchant/lots", 3)
    assert again == codes and pages == 3


def test_a_damaged_or_foreign_cursor_is_a_problem_naming_cursor(world):
    client = world.client("regulator")
    for index in range(3):
        factories.lot(product_=world.product_b, events=0, lot_number=f"R{index}")
    cursor = client.get("/api/v1/regulator/lots", {"limit": 1}).json()["next_cursor"]
    for bad in ("garbage", cursor[:-2] + "xx"):
        response = client.get("/api/v1/regulator/lots", {"cursor": bad})
        assert response.status_code == 422
        assert response.json()["invalid_params"][0]["name"] == "cursor"
    foreign = client.get("/api/v1/regulator/status-changes", {"cursor": cursor})
    assert foreign.status_code == 422 and foreign.json()["invalid_params"][0]["name"] == "cursor"


def test_rate_limit_per_token(world, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    client = world.client("regulator")
    answers = [client.get("/api/v1/regulator/lots").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get("/api/v1/regulator/lots")
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/problem+json")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert world.client("platform_admin").get("/api/v1/regulator/lots").status_code == 200  # another token
    blocked = client.post(f"/api/v1/regulator/lots/{world.lot_a.code}/suspend", content_type="application/json",
                          data={"reason": "抽检"})
    assert blocked.status_code == 429
    assert Lot.objects.get(pk=world.lot_a.pk).status == Lot.ACTIVE
    assert ApiAuditEntry.objects.get().status == 429


@pytest.mark.parametrize(("path", "body", "field"), [
    ("suspend", {}, "reason"),
    ("suspend", {"reason": ""}, "reason"),
    ("suspend", {"reason": "   "}, "reason"),
    ("suspend", {"reason": "x" * 1001}, "reason"),
    ("listing", {"reason": "x", "exit_catalogue": "maybe"}, "exit_catalogue"),
])
def test_regulator_validation_errors_name_the_field(world, path, body, field):
    url = (f"/api/v1/regulator/lots/{world.lot_a.code}/suspend" if path == "suspend"
           else f"/api/v1/regulator/listings/{world.listing_a.pk}/suspend")
    response = world.client("regulator").post(url, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert [param["name"] for param in problem["invalid_params"]] == [field]
    assert Lot.objects.get(pk=world.lot_a.pk).status == Lot.ACTIVE


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "storing", "responsible_party": "甲"}, "event_time"),
    ({"kind": "storing", "event_time": "明天", "responsible_party": "甲"}, "event_time"),
    ({"kind": "storing", "event_time": "2099-01-01T08:00:00+08:00", "responsible_party": "甲"}, "event_time"),
    ({"kind": "flying", "event_time": "2026-01-01T08:00:00+08:00", "responsible_party": "甲"}, "kind"),
    ({"kind": "storing", "event_time": "2026-01-01T08:00:00+08:00", "responsible_party": "甲",
      "data": {"colour": "red"}}, "data.colour"),
    ({"kind": "storing", "event_time": "2026-01-01T08:00:00+08:00", "responsible_party": "甲",
      "data": {"warehouse": {"nested": 1}}}, "data.warehouse"),
    ({"kind": "storing", "event_time": "2026-01-01T08:00:00+08:00"}, "responsible_party"),
])
def test_event_validation_errors_name_the_field_and_record_nothing(world, body, field):
    before = TraceEvent.objects.count()
    response = world.client("merchant_a").post(f"/api/v1/merchant/lots/{world.lot_a.code}/events",
                                               data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in [param["name"] for param in response.json()["invalid_params"]]
    assert TraceEvent.objects.count() == before


def test_a_recorded_event_joins_the_chain(world):
    response = world.client("merchant_a").post(
        f"/api/v1/merchant/lots/{world.lot_a.code}/events", content_type="application/json",
        data={"kind": "inspection", "event_time": (timezone.now() - timedelta(hours=1)).isoformat(),
              "responsible_party": "吉林省产品质量监督检验院", "disposition": "conformant",
              "data": {"laboratory": "省质检院", "report_number": "JL-1", "tests": [{"item": "总皂苷", "value": 3.2}]}})
    assert response.status_code == 201
    event = TraceEvent.objects.get(pk=response.json()["id"])
    assert event.sequence == 4 and event.kind == "inspection" and event.recorded_by == world.users["merchant_a"]
    assert response.json()["previous_hash"] == TraceEvent.objects.get(lot=world.lot_a, sequence=3).hash
    entry = ApiAuditEntry.objects.get()
    assert (entry.user, entry.method, entry.object_type, entry.object_id, entry.status) == (
        world.users["merchant_a"], "POST", "traceevent", str(event.pk), 201)
    verified = world.client("regulator").post(f"/api/v1/regulator/lots/{world.lot_a.code}/verify").json()
    assert verified["intact"] and verified["events_checked"] == 4


def test_reinstating_an_active_lot_is_a_conflict(world):
    response = world.client("regulator").post(f"/api/v1/regulator/lots/{world.lot_a.code}/reinstate",
                                              content_type="application/json", data={"reason": "复检"})
    assert response.status_code == 409 and response["Content-Type"].startswith("application/problem+json")


def test_suspension_shows_in_the_status_changes_and_lot(world):
    client = world.client("regulator")
    body = client.post(f"/api/v1/regulator/lots/{world.lot_a.code}/suspend", content_type="application/json",
                       data={"reason": "抽检不合格"}).json()
    assert body["status"] == "suspended" and body["status_reason"] == "抽检不合格"
    changes = client.get("/api/v1/regulator/status-changes").json()["items"]
    assert [(c["action"], c["reason"]) for c in changes] == [("suspend_lot", "抽检不合格")]
    found = client.get("/api/v1/regulator/lots", {"status": "suspended"}).json()["items"]
    assert [lot["code"] for lot in found] == [world.lot_a.code]
    assert client.get("/api/v1/regulator/lots", {"gtin": "123"}).json()["invalid_params"][0]["name"] == "gtin"


def test_the_openapi_document_is_public_and_names_problem_json(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/merchant/lots/{code}/events"]["post"]
    assert "application/problem+json" in operation["responses"]["422"]["content"]
    assert "/api/v1/epcis/capture" in document["paths"]
