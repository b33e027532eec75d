"""Trace events as GS1 EPCIS 2.0 JSON-LD documents (DOMAIN.md §2).

Each lot is a class of objects named by its GS1 Digital Link
(``https://id.gs1.org/01/<gtin>/10/<lot>``), so events carry ``quantityList`` rather
than serial numbers. What EPCIS has no field for (inspection results, the chain's
hashes, the responsible party) goes in extension fields under the ``silver:`` prefix
declared in ``@context``.

A corrected event is not deleted: the document repeats it with an ``errorDeclaration``
that names the corrective event, the way EPCIS 2.0 corrects a wrong event.

Event ``data`` keys are the ones the merchant form writes, declared once in
``traceability/vocabulary.py``: ``quantity`` and ``uom`` (UN/ECE Rec. 20 code such as
``KGM``); for harvests, ``harvest_date`` (YYYY-MM-DD) in the ILMD; for processing,
``input_lot`` (a lot code read by ``codes.parse_lot_code``), ``input_quantity``,
``input_uom``, ``output_quantity`` and ``output_uom``; for inspections,
``report_number`` or ``certificate_number``. Events recorded before the vocabulary
(``weight_kg`` and the like) are read through ``vocabulary.quantity_of``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone as django_timezone

from traceability import vocabulary
from traceability.codes import parse_lot_code
from traceability.models import Lot, TraceEvent

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
NAMESPACE = "https://silver-market.example/epcis/"
PREFIX = "silver"
CONTEXT = [EPCIS_CONTEXT, {PREFIX: NAMESPACE}]
LOCATION_BASE = "https://silver-market.example/location/"

# CBV 2.0 values the schema names; anything else we store becomes one of our URIs.
CBV_DISPOSITIONS = frozenset({
    "active", "container_closed", "damaged", "destroyed", "dispensed", "disposed", "encoded", "expired",
    "in_progress", "in_transit", "inactive", "no_pedigree_match", "non_sellable_other",
    "partially_dispensed", "recalled", "reserved", "retail_sold", "returned", "sellable_accessible",
    "sellable_not_accessible", "stolen", "unknown", "available", "completeness_verified",
    "completeness_inferred", "conformant", "container_open", "mismatch_instance", "mismatch_class",
    "mismatch_quantity", "needs_replacement", "non_conformant", "unavailable",
})
CBV_BIZ_STEPS = frozenset({
    "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning",
    "creating_class_instance", "cycle_counting", "decommissioning", "departing", "destroying",
    "disassembling", "dispensing", "encoding", "entering_exiting", "holding", "inspecting", "installing",
    "killing", "loading", "other", "packing", "picking", "receiving", "removing", "repackaging",
    "repairing", "replacing", "reserving", "retail_selling", "shipping", "staging_outbound",
    "stock_taking", "stocking", "storing", "transporting", "unloading", "unpacking", "void_shipping",
    "sensor_reporting", "sampling",
})
CBV_ERROR_REASONS = frozenset({"did_not_occur", "incorrect_data"})
COMMISSIONING_KINDS = vocabulary.codes_where(commissions=True)
HARVEST_KINDS = vocabulary.codes_where(harvest=True)
INSPECTION_KINDS = vocabulary.codes_where(inspection=True)
UOM_PATTERN = re.compile(r"^[A-Z0-9]{2,3}$")
URI_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def document_for_lots(lots: Iterable[Lot]) -> dict:
    """An EPCIS document with every event of these lots, in chain order."""
    lot_ids = [lot.pk for lot in lots]
    return document_for_events(TraceEvent.objects.filter(lot_id__in=lot_ids))


def document_for_events(events: QuerySet) -> dict:
    """An EPCIS document with these events, ordered by lot and sequence."""
    events = events.select_related("lot", "corrects", "corrects__lot").order_by("lot_id", "sequence")
    event_list: list[dict] = []
    for event in events:
        if event.corrects is not None:
            event_list.append(error_declaration(event.corrects, corrected_by=event))
        event_list.append(epcis_event(event))
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": _time(django_timezone.now()),
        "epcisBody": {"eventList": event_list},
    }


def event_id(event: TraceEvent) -> str:
    return f"urn:uuid:{event.pk}"


def epc_class(gtin: str, lot_number: str) -> str:
    return f"https://id.gs1.org/01/{gtin}/10/{quote(lot_number, safe='')}"


def error_declaration(event: TraceEvent, *, corrected_by: TraceEvent) -> dict:
    """The wrong event again, declared wrong by the event that corrects it."""
    reason = corrected_by.correction_reason or "incorrect_data"
    document = epcis_event(event)
    document["errorDeclaration"] = {
        "declarationTime": _time(corrected_by.recorded_at, corrected_by.event_timezone_offset),
        "reason": reason if reason in CBV_ERROR_REASONS else _uri("errorReason", reason),
        "correctiveEventIDs": [event_id(corrected_by)],
    }
    return document


def epcis_event(event: TraceEvent) -> dict:
    lot = event.lot
    data = event.data if isinstance(event.data, dict) else {}
    document: dict = {
        "type": event.event_type,
        "eventTime": _time(event.event_time, event.event_timezone_offset),
        "eventTimeZoneOffset": event.event_timezone_offset,
        "recordTime": _time(event.recorded_at, event.event_timezone_offset),
        "eventID": event_id(event),
    }
    if event.event_type == TraceEvent.TRANSFORMATION:
        document.update(_transformation(event, lot, data))
    else:
        document["action"] = event.action or "OBSERVE"
        quantity, unit = vocabulary.quantity_of(data)
        document["quantityList"] = [
            _quantity(epc_class(lot.gtin, lot.lot_number), lot.quantity if quantity is None else quantity, unit)
        ]
    document["bizStep"] = _vocabulary(event.biz_step, CBV_BIZ_STEPS, "bizstep")
    if event.disposition:
        document["disposition"] = _vocabulary(event.disposition, CBV_DISPOSITIONS, "disposition")
    location = _location_id(event)
    if location:
        document["readPoint"] = {"id": location}
        if event.kind != "shipping":  # goods on their way are at no business location
            document["bizLocation"] = {"id": location}
    if _has_ilmd(event):
        document["ilmd"] = _ilmd(event, lot, data)
    if event.kind in INSPECTION_KINDS:
        certificates = _certificates(event, data)
        if certificates:
            document["certificationInfo"] = certificates
        document[f"{PREFIX}:inspection"] = _extension(data)
        if event.attachment_sha256:
            document[f"{PREFIX}:reportSha256"] = event.attachment_sha256
    elif data:
        document[f"{PREFIX}:details"] = _extension(data)
    document.update(_chain_fields(event))
    return document


def _transformation(event: TraceEvent, lot: Lot, data: dict) -> dict:
    input_lot = parse_lot_code(data.get(vocabulary.INPUT_LOT))
    input_class = epc_class(*input_lot) if input_lot else epc_class(lot.gtin, lot.lot_number)
    output_quantity = vocabulary.number(data.get(vocabulary.OUTPUT_QUANTITY))
    return {
        "inputQuantityList": [_quantity(input_class, data.get(vocabulary.INPUT_QUANTITY),
                                        data.get(vocabulary.INPUT_UOM))],
        "outputQuantityList": [
            _quantity(epc_class(lot.gtin, lot.lot_number), lot.quantity if output_quantity is None else output_quantity,
                      data.get(vocabulary.OUTPUT_UOM))
        ],
    }


def _quantity(epc_class_uri: str, quantity, uom) -> dict:
    element: dict = {"epcClass": epc_class_uri}
    quantity = vocabulary.number(quantity)
    if quantity is not None:
        element["quantity"] = quantity
    if isinstance(uom, str) and UOM_PATTERN.match(uom):
        element["uom"] = uom
    return element


def _has_ilmd(event: TraceEvent) -> bool:
    """ILMD describes a lot as it comes into being: commissioning (ADD) and processing."""
    return (event.kind in COMMISSIONING_KINDS and event.action == "ADD") or \
        event.event_type == TraceEvent.TRANSFORMATION


def _ilmd(event: TraceEvent, lot: Lot, data: dict) -> dict:
    ilmd: dict = {"cbvmda:lotNumber": lot.lot_number, "cbvmda:countryOfOrigin": "CN"}
    if event.kind in HARVEST_KINDS:
        harvested = data.get(vocabulary.HARVEST_DATE) or _local_date(event.event_time, event.event_timezone_offset)
        ilmd["cbvmda:harvestStartDate"] = str(harvested)
    ilmd[f"{PREFIX}:productionDate"] = lot.produced_on.isoformat()
    if lot.expires_on:
        ilmd["cbvmda:itemExpirationDate"] = lot.expires_on.isoformat()
    if event.county:
        ilmd[f"{PREFIX}:originCounty"] = event.county
    if event.location_name:
        ilmd[f"{PREFIX}:originPlace"] = event.location_name
    return ilmd


def _certificates(event: TraceEvent, data: dict) -> list[str]:
    certificates = []
    if event.attachment:
        certificates.append(_absolute(event.attachment.url))
    number = data.get(vocabulary.REPORT_NUMBER) or data.get(vocabulary.CERTIFICATE_NUMBER)
    if number:
        certificates.append(f"urn:silver-market:report:{quote(str(number), safe='')}")
    return certificates


def _chain_fields(event: TraceEvent) -> dict:
    fields = {
        f"{PREFIX}:kind": event.kind,
        f"{PREFIX}:sequence": event.sequence,
        f"{PREFIX}:responsibleParty": event.responsible_party,
        f"{PREFIX}:previousHash": event.previous_hash,
        f"{PREFIX}:hash": event.hash,
    }
    if event.location_name:
        fields[f"{PREFIX}:locationName"] = event.location_name
    if event.county:
        fields[f"{PREFIX}:county"] = event.county
    if event.corrects_id:
        fields[f"{PREFIX}:corrects"] = f"urn:uuid:{event.corrects_id}"
        fields[f"{PREFIX}:correctionReason"] = event.correction_reason
    return fields


def _location_id(event: TraceEvent) -> str:
    if event.location_gln:
        return f"https://id.gs1.org/414/{event.location_gln}"
    parts = [part for part in (event.county, event.location_name) if part]
    return LOCATION_BASE + "/".join(quote(part, safe="") for part in parts) if parts else ""


def _extension(value):
    """Our data with every key in the ``silver:`` namespace, so JSON-LD keeps it."""
    if isinstance(value, dict):
        return {f"{PREFIX}:{quote(str(key), safe='')}": _extension(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_extension(item) for item in value]
    return value


def _vocabulary(value: str, cbv: frozenset, kind: str) -> str:
    """A CBV value as is, our own URI as is, anything else made one of our URIs."""
    if value in cbv or (_is_uri(value) and not value.startswith(("urn:epcglobal:cbv", "http://ns.gs1.org/cbv/", "https://ns.gs1.org/cbv/"))):
        return value
    return _uri(kind, value)


def _uri(kind: str, value: str) -> str:
    return f"{NAMESPACE}{kind}/{quote(value, safe='')}"


def _is_uri(value: str) -> bool:
    return bool(URI_PATTERN.match(value)) and " " not in value


def _absolute(url: str) -> str:
    return url if _is_uri(url) else f"{settings.SITE_URL}{url}"


def zone_for(offset: str) -> timezone:
    """The fixed time zone of an offset such as "+08:00" (China when it is missing)."""
    match = re.fullmatch(r"([+-])(\d\d):(\d\d)", offset or "")
    if not match:
        return timezone(timedelta(hours=8))
    sign = -1 if match[1] == "-" else 1
    return timezone(sign * timedelta(hours=int(match[2]), minutes=int(match[3])))


def _time(moment: datetime, offset: str = "+08:00") -> str:
    """RFC 3339 in the event's own time zone, to the millisecond."""
    return moment.astimezone(zone_for(offset)).isoformat(timespec="milliseconds")


def _local_date(moment: datetime, offset: str) -> date:
    return moment.astimezone(zone_for(offset)).date()
