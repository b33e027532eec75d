"""EPCIS 2.0 REST: capture (validated, all-or-nothing, 202 and a job, 413) and the events query."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.api import epcis_capture
from marketplace.api.models import CaptureJob
from tests import factories
from traceability import chain, epcis
from traceability.models import Lot, TraceEvent

pytestmark = pytest.mark.django_db

CAPTURE = "/api/v1/epcis/capture"
EVENTS = "/api/v1/epcis/events"


def _event(lot, *, step="storing", action="OBSERVE", hours_ago=1, **extra):
    moment = timezone.localtime() - timedelta(hours=hours_ago)
    return {"type": "ObjectEvent", "action": action, "bizStep": step,
            "eventTime": moment.replace(microsecond=0).isoformat(), "eventTimeZoneOffset": "+08:00",
            "quantityList": [{"epcClass": epcis.epc_class(lot.gtin, lot.lot_number), "quantity": 5, "uom": "KGM"}],
            **extra}


def _document(*events):
    return {"@context": epcis.CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": timezone.now().isoformat(), "epcisBody": {"eventList": list(events)}}


def _post(client, document, **headers):
    return client.post(CAPTURE, data=json.dumps(document), content_type="application/json", **headers)


def test_a_capture_records_the_events_through_the_chain(world):
    client = world.client("merchant_a")
    response = _post(client, _document(
        _event(world.lot_a, step="https://ref.gs1.org/cbv/BizStep-storing",
               **{"silver:details": {"silver:warehouse": "一号库"}}),
        _event(world.lot_a, step="inspecting", disposition="conformant", **{"silver:kind": "quarantine"},
               certificationInfo=["urn:silver-market:report:JY-1"]),
    ))
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["success"] and not job["running"] and len(job["eventIDs"]) == 2
    assert response["Location"].endswith(f"/api/v1/epcis/capture/{job['captureID']}")
    assert client.get(response["Location"]).json()["success"] is True
    storing, quarantine = TraceEvent.objects.filter(lot=world.lot_a, sequence__gt=3).order_by("sequence")
    assert (storing.kind, storing.data) == ("storing", {"warehouse": "一号库", "quantity": 5, "uom": "KGM"})
    assert (quarantine.kind, quarantine.disposition, quarantine.data["certificate_number"]) == (
        "quarantine", "conformant", "JY-1")
    assert storing.recorded_by == world.users["merchant_a"]
    assert chain.verify_chain(world.lot_a).intact


def test_capture_is_all_or_nothing_by_default(world):
    client = world.client("merchant_a")
    before = TraceEvent.objects.count()
    document = _document(_event(world.lot_a), _event(world.lot_a, step="packing"), _event(world.lot_b))
    job = _post(client, document).json()
    assert job["success"] is False and job["eventIDs"] == []
    assert job["errors"][0]["name"].startswith("epcisBody.eventList[2]")
    assert "没有找到本店的批次" in job["errors"][0]["reason"]  # B's lot: as if it did not exist
    assert TraceEvent.objects.count() == before
    future = _document(_event(world.lot_a), _event(world.lot_a, hours_ago=-48))
    failed = _post(client, future).json()
    assert failed["success"] is False and failed["errors"][0]["name"] == "epcisBody.eventList[1].eventTime"
    assert TraceEvent.objects.count() == before
    kept = _post(client, document, HTTP_GS1_CAPTURE_ERROR_BEHAVIOUR="proceed").json()
    assert kept["success"] is False and len(kept["eventIDs"]) == 2 and len(kept["errors"]) == 1
    assert TraceEvent.objects.count() == before + 2
    assert chain.verify_chain(world.lot_a).intact


def test_an_invalid_document_is_a_400_problem_naming_where(world):
    client = world.client("merchant_a")
    broken = _document(_event(world.lot_a, action="SHOUT"))
    broken["epcisBody"]["eventList"][0]["quantityList"][0]["epcClass"] = "not a uri"
    response = _post(client, broken)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    names = [param["name"] for param in response.json()["invalid_params"]]
    assert any(name.startswith("epcisBody.eventList[0]") for name in names), names
    assert _post(client, {"type": "nope"}).status_code == 400
    not_json = client.post(CAPTURE, data="{", content_type="application/json")
    assert not_json.status_code == 400 and not_json.json()["invalid_params"][0]["name"] == "body"
    assert client.post(CAPTURE, data="x", content_type="text/plain").status_code == 415
    bad_header = _post(client, _document(_event(world.lot_a)), HTTP_GS1_CAPTURE_ERROR_BEHAVIOUR="maybe")
    assert bad_header.json()["invalid_params"][0]["name"] == "GS1-Capture-Error-Behaviour"
    assert not CaptureJob.objects.exists()
    assert TraceEvent.objects.filter(lot=world.lot_a).count() == 3


def test_over_the_limits_is_413_and_nothing_is_kept(world, settings):
    client = world.client("merchant_a")
    settings.API_EPCIS_MAX_EVENTS = 2
    response = _post(client, _document(*[_event(world.lot_a) for _ in range(3)]))
    assert response.status_code == 413 and response["GS1-EPCIS-Capture-Limit"] == "2"
    assert response["Content-Type"].startswith("application/problem+json")
    settings.API_EPCIS_MAX_EVENTS = 500
    settings.API_EPCIS_MAX_BYTES = 500
    assert _post(client, _document(*[_event(world.lot_a) for _ in range(2)])).status_code == 413
    assert not CaptureJob.objects.exists()
    assert TraceEvent.objects.filter(lot=world.lot_a).count() == 3


def test_an_exported_document_captures_back_into_the_same_kinds(world):
    lot = factories.lot(product_=world.product_a, events=0, lot_number="RT1")
    start = (timezone.now() - timedelta(days=10)).replace(microsecond=0)
    for index, (kind, data) in enumerate([
        ("harvest", {"harvest_date": "2026-09-20", "quantity": 120, "uom": "KGM", "cultivation": "林下参"}),
        ("processing", {"input_lot": world.lot_a.code, "input_quantity": 50, "input_uom": "KGM",
                        "output_quantity": 15, "output_uom": "KGM"}),
        ("inspection", {"laboratory": "省质检院", "report_number": "JL-7",
                        "tests": [{"item": "总皂苷", "value": 3.4, "passed": True}]}),
        ("storing", {"warehouse": "二号库", "quantity": 15, "uom": "KGM"}),
    ]):
        chain.record_event(lot=lot, kind=kind, event_time=start + timedelta(days=index), responsible_party="甲",
                           data=data, county="抚松县")
    original = list(TraceEvent.objects.filter(lot=lot).order_by("sequence"))
    document = epcis.document_for_lots([lot])
    job = _post(world.client("merchant_a"), document).json()
    assert job["success"], job["errors"]
    copies = list(TraceEvent.objects.filter(lot=lot, sequence__gt=4).order_by("sequence"))
    assert [event.kind for event in copies] == [event.kind for event in original]
    for before, after in zip(original, copies, strict=True):
        assert after.event_time == before.event_time and after.county == "抚松县"
        assert after.data == before.data, after.kind


def _query(client, **params):
    response = client.get(EVENTS, params)
    assert response.status_code == 200, response.content
    return response, response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


def test_the_events_query_filters_and_validates(world):
    client = world.client("regulator")
    _, everything = _query(client)
    assert len(everything) == TraceEvent.objects.count() == 6
    document = {**_document(*everything)}
    assert epcis_capture.schema_errors(document) == []
    _, inspections = _query(client, EQ_bizStep="inspecting")
    assert {event["silver:kind"] for event in inspections} == {"inspection"} and len(inspections) == 2
    _, same = _query(client, EQ_bizStep="https://ref.gs1.org/cbv/BizStep-inspecting|storing")
    assert len(same) == 4
    _, of_a = _query(client, MATCH_epc=epcis.epc_class(world.lot_a.gtin, world.lot_a.lot_number))
    assert {event["silver:hash"] for event in of_a} == set(
        TraceEvent.objects.filter(lot=world.lot_a).values_list("hash", flat=True))
    _, objects = _query(client, eventType="ObjectEvent")
    assert len(objects) == 6
    _, transformations = _query(client, eventType="TransformationEvent")
    assert transformations == []
    first = TraceEvent.objects.filter(lot=world.lot_a, sequence=1).get().event_time
    _, early = _query(client, LT_eventTime=(first + timedelta(seconds=1)).isoformat())
    assert len(early) == 2  # the first event of each lot, made at the same moments
    _, late = _query(client, GE_eventTime=(first + timedelta(days=1)).isoformat().replace("+00:00", "Z"))
    assert len(late) == 4
    for params, name in (({"GE_eventTime": "yesterday"}, "GE_eventTime"), ({"MATCH_epc": "urn:x"}, "MATCH_epc"),
                         ({"eventType": "FooEvent"}, "eventType"), ({"perPage": 0}, "perPage"),
                         ({"nextPageToken": "x"}, "nextPageToken")):
        refused = client.get(EVENTS, params)
        assert refused.status_code == 400 and refused.json()["invalid_params"][0]["name"] == name, params


def test_the_events_query_pages_with_a_link_header(world):
    client = world.client("regulator")
    response, page = _query(client, perPage=4)
    link = response["Link"]
    assert 'rel="next"' in link and "nextPageToken=" in link
    following = client.get(link.split(">")[0].lstrip("<"))
    rest = following.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert len(page) == 4 and len(rest) == 2 and "Link" not in following
    assert {e["eventID"] for e in page}.isdisjoint({e["eventID"] for e in rest})


def test_a_merchant_queries_only_its_own_events(world):
    _, mine = _query(world.client("merchant_b"), MATCH_epc=epcis.epc_class(world.lot_a.gtin, world.lot_a.lot_number))
    assert mine == []
    assert Lot.objects.count() == 2
