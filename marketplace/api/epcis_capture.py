"""EPCIS 2.0 capture: a document from a merchant's system becomes events in its lots' chains.

After GS1's EPCIS 2.0 REST bindings (``POST /capture``): the document is checked against
GS1's JSON schema (``traceability/schema/EPCIS-JSON-Schema.json``); then each event is
mapped onto our vocabulary (``traceability/vocabulary.py``) and appended with
``merchant_work.add_event``, which calls ``chain.record_event``, exactly as the workspace
does. By default a capture is all-or-nothing (``GS1-Capture-Error-Behaviour: rollback``):
every event is mapped before any is written, and all are written in one transaction;
``proceed`` keeps the events that succeed.

The mapping, in the reverse of ``traceability/epcis.py``'s export:

* the lot is the class every EPC of the event names: a GS1 Digital Link
  ``…/01/<GTIN>/10/<lot>`` (a ``/21/`` serial is allowed) or an ``urn:epc:class:lgtin:`` URN,
  in ``epcList``/``quantityList`` (``outputEPCList``/``outputQuantityList`` for a
  TransformationEvent, whose input becomes ``input_lot``). It must be one of the
  caller's own lots; another merchant's lot is reported as not found;
* the kind is our ``silver:kind`` extension when it agrees with the event's type, action
  and business step; otherwise the first kind of the vocabulary with that type, action
  and step (a commissioning ADD with a harvest date in its ILMD is a harvest, without one
  a manufacture); an event that matches none is recorded as ``other`` with a note;
* quantities, units, the ILMD harvest date and our ``silver:details``/``silver:inspection``
  data keys become the event's data, where the kind records them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from marketplace.api.models import CaptureJob
from traceability import epcis, merchant_work, vocabulary
from traceability.codes import format_lot_code, gtin_check_digit, parse_gtin, parse_lot_number
from traceability.models import Lot
from traceability.regulation import lot_by_parts

SCHEMA_PATH = settings.BASE_DIR / "traceability" / "schema" / "EPCIS-JSON-Schema.json"
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
_DIGITAL_LINK = re.compile(r"^https?://[^/]+(?:/[^/]+)*?/01/(\d{8,14})/10/([^/?#]+)(?:/21/[^/?#]+)?/?(?:\?.*)?$")
_LGTIN = re.compile(r"^urn:epc:class:lgtin:(\d+)\.(\d+)\.(.+)$")
_STEP_PREFIXES = ("https://ref.gs1.org/cbv/BizStep-", "http://ref.gs1.org/cbv/BizStep-",
                  "urn:epcglobal:cbv:bizstep:", "https://gs1.org/voc/BizStep-")
_DISP_PREFIXES = ("https://ref.gs1.org/cbv/Disp-", "http://ref.gs1.org/cbv/Disp-", "urn:epcglobal:cbv:disp:",
                  "https://gs1.org/voc/Disp-")
ROLLBACK, PROCEED = CaptureJob.ROLLBACK, CaptureJob.PROCEED


def max_bytes() -> int:
    return getattr(settings, "API_EPCIS_MAX_BYTES", 2_000_000)


def max_events() -> int:
    return getattr(settings, "API_EPCIS_MAX_EVENTS", 500)


def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=1)
def validator():
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text())
    formats = jsonschema.FormatChecker()
    formats.checks("uri")(lambda value: not isinstance(value, str) or bool(_URI.match(value)))
    formats.checks("date-time")(_date_time)
    return jsonschema.Draft7Validator(schema, format_checker=formats)


def _pointer(path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "document"


def schema_errors(document) -> list[dict]:
    """Each way the document breaks GS1's EPCIS 2.0 JSON schema, as {name, reason}, at most 20."""
    errors = sorted(validator().iter_errors(document), key=lambda error: list(map(str, error.absolute_path)))
    result = []
    for error in errors[:20]:
        result.append({"name": _pointer(error.absolute_path), "reason": error.message[:300]})
    return result


class CaptureError(Exception):
    def __init__(self, name: str, reason: str):
        super().__init__(reason)
        self.name, self.reason = name, reason


@dataclass
class PlannedEvent:
    index: int
    lot: Lot
    kind: str
    event_time: datetime
    responsible_party: str
    data: dict = field(default_factory=dict)
    location_name: str = ""
    county: str = ""
    disposition: str = ""


def _strip(value: str, prefixes) -> str:
    for prefix in prefixes:
        if value.startswith(prefix):
            return value[len(prefix):]
    return value


def lot_parts(uri) -> tuple[str, str] | None:
    """(GTIN-14, lot number) named by a Digital Link or an LGTIN URN, or None."""
    if not isinstance(uri, str):
        return None
    match = _DIGITAL_LINK.match(uri)
    if match:
        gtin, lot_number = parse_gtin(match[1]), parse_lot_number(unquote(match[2]))
    else:
        match = _LGTIN.match(uri)
        if not match:
            return None
        company, item_ref, lot_text = match.groups()
        body = item_ref[:1] + company + item_ref[1:]
        if len(body) != 13:
            return None
        gtin, lot_number = parse_gtin(body + str(gtin_check_digit(body))), parse_lot_number(unquote(lot_text))
    if gtin is None or lot_number is None:
        return None
    return gtin, lot_number


def _classes(event: dict, epc_key: str, quantity_key: str, where: str) -> list[tuple[tuple[str, str], dict]]:
    found = []
    for position, uri in enumerate(event.get(epc_key) or []):
        parts = lot_parts(uri)
        if parts is None:
            raise CaptureError(f"{where}.{epc_key}[{position}]",
                               "应为带批号的 GS1 数字链接（…/01/<GTIN>/10/<批号>）或 urn:epc:class:lgtin。")
        found.append((parts, {}))
    for position, element in enumerate(event.get(quantity_key) or []):
        parts = lot_parts(element.get("epcClass"))
        if parts is None:
            raise CaptureError(f"{where}.{quantity_key}[{position}].epcClass",
                               "应为带批号的 GS1 数字链接（…/01/<GTIN>/10/<批号>）或 urn:epc:class:lgtin。")
        found.append((parts, element))
    return found


def _one_lot(found, where: str, key: str) -> tuple[tuple[str, str], dict]:
    if not found:
        raise CaptureError(f"{where}.{key}", "事件没有指明批次：请在 epcList 或 quantityList 中写明批次。")
    lots = {parts for parts, _ in found}
    if len(lots) > 1:
        raise CaptureError(f"{where}.{key}", "一个事件只能涉及一个批次，请按批次分成几个事件。")
    element = next((element for _, element in found if element), {})
    return found[0][0], element


def _kind_for(event: dict, event_type: str, action: str, step: str) -> str:
    def matches(kind) -> bool:
        kind_step = _strip(kind.biz_step, _STEP_PREFIXES)
        return kind.event_type == event_type and (kind.action or "") == action and kind_step == step

    stated = event.get(f"{epcis.PREFIX}:kind")
    if isinstance(stated, str) and stated in vocabulary.BY_CODE and matches(vocabulary.BY_CODE[stated]):
        return stated
    candidates = [kind.code for kind in vocabulary.KINDS if matches(kind)]
    if not candidates:
        return "other"
    if set(candidates) & vocabulary.codes_where(commissions=True):
        harvested = isinstance(event.get("ilmd"), dict) and "cbvmda:harvestStartDate" in event["ilmd"]
        return "harvest" if harvested else "manufacture"
    return candidates[0]


def _unprefixed(value):
    if isinstance(value, dict):
        return {str(key).split(":", 1)[-1]: _unprefixed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_unprefixed(item) for item in value]
    return value


def _data_for(kind: str, event: dict, element: dict, where: str) -> dict:
    allowed = vocabulary.BY_CODE[kind].data_keys | {vocabulary.NOTE_FIELD.name}
    inspection = kind in vocabulary.codes_where(inspection=True)
    data: dict = {}
    for key in (f"{epcis.PREFIX}:details", f"{epcis.PREFIX}:inspection"):
        extension = event.get(key)
        if isinstance(extension, dict):
            for name, value in _unprefixed(extension).items():
                if name in allowed and isinstance(value, str | int | float) and not isinstance(value, bool):
                    data[name] = value if not isinstance(value, str) else value[:1000]
                elif name == "tests" and inspection and isinstance(value, list):
                    data["tests"] = [row for row in value if isinstance(row, dict)][:50]
    if vocabulary.QUANTITY in allowed and element.get("quantity") is not None:
        data[vocabulary.QUANTITY] = element["quantity"]
        if element.get("uom"):
            data[vocabulary.UOM_KEY] = element["uom"]
    ilmd = event.get("ilmd") if isinstance(event.get("ilmd"), dict) else {}
    if vocabulary.HARVEST_DATE in allowed and isinstance(ilmd.get("cbvmda:harvestStartDate"), str):
        data[vocabulary.HARVEST_DATE] = ilmd["cbvmda:harvestStartDate"][:10]
    if inspection and not (data.get(vocabulary.REPORT_NUMBER) or data.get(vocabulary.CERTIFICATE_NUMBER)):
        for certificate in event.get("certificationInfo") or []:
            if isinstance(certificate, str) and certificate.startswith("urn:silver-market:report:"):
                number = unquote(certificate.rsplit(":", 1)[-1])
                data[vocabulary.CERTIFICATE_NUMBER if kind == "quarantine" else vocabulary.REPORT_NUMBER] = number
    return data


def plan_event(*, merchant, event: dict, index: int) -> PlannedEvent:
    """What ``record_event`` will be asked to write for one EPCIS event; CaptureError if it cannot be."""
    where = f"epcisBody.eventList[{index}]"
    event_type = event.get("type")
    if event_type not in (vocabulary.OBJECT_EVENT, vocabulary.TRANSFORMATION_EVENT):
        raise CaptureError(f"{where}.type", "本平台只接收 ObjectEvent 和 TransformationEvent。")
    if "errorDeclaration" in event:
        raise CaptureError(f"{where}.errorDeclaration", "更正事件请在商家工作台录入更正（写明原因），不能通过采集接口提交。")
    data: dict = {}
    if event_type == vocabulary.TRANSFORMATION_EVENT:
        output, element = _one_lot(_classes(event, "outputEPCList", "outputQuantityList", where), where,
                                   "outputQuantityList")
        inputs = _classes(event, "inputEPCList", "inputQuantityList", where)
        if inputs:
            (gtin, number), input_element = _one_lot(inputs, where, "inputQuantityList")
            data[vocabulary.INPUT_LOT] = format_lot_code(gtin=gtin, lot_number=number)
            if input_element.get("quantity") is not None:
                data[vocabulary.INPUT_QUANTITY] = input_element["quantity"]
            if input_element.get("uom"):
                data[vocabulary.INPUT_UOM] = input_element["uom"]
        if element.get("quantity") is not None:
            data[vocabulary.OUTPUT_QUANTITY] = element["quantity"]
        if element.get("uom"):
            data[vocabulary.OUTPUT_UOM] = element["uom"]
        action, parts = "", output
    else:
        parts, element = _one_lot(_classes(event, "epcList", "quantityList", where), where, "quantityList")
        action = event.get("action", "")
    lot = lot_by_parts(gtin=parts[0], lot_number=parts[1],
                       lots=Lot.objects.filter(merchant=merchant).select_related("product"))
    if lot is None:
        raise CaptureError(f"{where}.quantityList", f"没有找到本店的批次 {format_lot_code(gtin=parts[0], lot_number=parts[1])}。")
    step = _strip(event.get("bizStep") or "", _STEP_PREFIXES)
    kind = _kind_for(event, event_type, action, step)
    data.update(_data_for(kind, event, element, where))
    if kind == "other" and step != "other":
        data[vocabulary.NOTE_FIELD.name] = f"EPCIS {event_type} {action} bizStep={event.get('bizStep', '')}"[:1000]
    moment = datetime.fromisoformat(event["eventTime"].replace("Z", "+00:00"))
    location_name = event.get(f"{epcis.PREFIX}:locationName")
    if not isinstance(location_name, str):
        location = (event.get("bizLocation") or event.get("readPoint") or {}).get("id", "")
        location_name = f"GLN {location.rsplit('/', 1)[-1]}" if "/414/" in location else ""
    county = event.get(f"{epcis.PREFIX}:county")
    party = event.get(f"{epcis.PREFIX}:responsibleParty")
    return PlannedEvent(
        index=index, lot=lot, kind=kind, event_time=moment,
        responsible_party=(party if isinstance(party, str) and party.strip() else merchant.legal_name
                           or merchant.name)[:128],
        data=data, location_name=location_name[:128], county=(county if isinstance(county, str) else "")[:32],
        disposition=_strip(event.get("disposition") or "", _DISP_PREFIXES)[:64],
    )


def _record(*, merchant, planned: PlannedEvent, actor):
    try:
        return merchant_work.add_event(
            merchant=merchant, lot=planned.lot, kind=planned.kind, event_time=planned.event_time,
            responsible_party=planned.responsible_party, data=planned.data, location_name=planned.location_name,
            county=planned.county, disposition=planned.disposition, actor=actor,
        )
    except ValidationError as error:
        raise CaptureError(f"epcisBody.eventList[{planned.index}].eventTime"
                           if "时间" in " ".join(error.messages) else f"epcisBody.eventList[{planned.index}]",
                           "；".join(error.messages)) from error


def capture(*, merchant, user, token, document: dict, behaviour: str = ROLLBACK) -> CaptureJob:
    """Record the document's events in the merchant's lots; the job says what happened."""
    events = document["epcisBody"]["eventList"]
    job = CaptureJob.objects.create(user=user, token=token, error_behaviour=behaviour, event_count=len(events))
    recorded, errors = [], []
    if behaviour == ROLLBACK:
        try:
            planned = [plan_event(merchant=merchant, event=event, index=i) for i, event in enumerate(events)]
            with transaction.atomic():
                for item in planned:
                    recorded.append(str(_record(merchant=merchant, planned=item, actor=user).pk))
        except CaptureError as error:
            recorded, errors = [], [{"name": error.name, "reason": error.reason}]
    else:
        for index, event in enumerate(events):
            try:
                with transaction.atomic():
                    item = plan_event(merchant=merchant, event=event, index=index)
                    recorded.append(str(_record(merchant=merchant, planned=item, actor=user).pk))
            except CaptureError as error:
                errors.append({"name": error.name, "reason": error.reason})
    CaptureJob.objects.filter(pk=job.pk).update(
        running=False, success=not errors, finished_at=timezone.now(), event_ids=recorded, errors=errors)
    job.refresh_from_db()
    return job
