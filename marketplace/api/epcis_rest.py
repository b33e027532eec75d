"""EPCIS 2.0 REST, after GS1's REST bindings: ``POST /capture``, ``GET /capture/{id}``, ``GET /events``.

Capture is for merchants (``trace:write``) and writes only into their own lots. The
events query answers regulators (``regulator:read``, every lot) and merchants
(``trace:read``, their own lots) with an EPCISQueryDocument, filtered by ``eventType``,
``EQ_bizStep``, ``GE_eventTime``/``LT_eventTime`` and ``MATCH_epc`` (several values
separated by ``|``), a page at a time (``perPage``; the next page's ``nextPageToken`` is
in the ``Link`` header, as the bindings say).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlencode
from uuid import UUID

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Router, Schema, Status

from marketplace.api import access, epcis_capture, pagination
from marketplace.api.models import CaptureJob
from marketplace.api.problems import Problem, find_unstorable, invalid, not_found, unstorable
from marketplace.api.tokens import REGULATOR_READ, TRACE_READ, TRACE_WRITE
from traceability import epcis, vocabulary
from traceability.models import TraceEvent

router = Router(tags=["epcis"])

BEHAVIOUR_HEADER = "GS1-Capture-Error-Behaviour"
JSON_TYPES = ("application/json", "application/ld+json")
EVENT_TYPES = {choice for choice, _ in TraceEvent.EVENT_TYPES}

DOCUMENT_SCHEMA = {
    "type": "object",
    "description": "An EPCIS 2.0 document (EPCISDocument); checked against GS1's EPCIS 2.0 JSON schema.",
    "required": ["type", "schemaVersion", "creationDate", "epcisBody"],
    "properties": {
        "@context": {},
        "type": {"type": "string", "enum": ["EPCISDocument"]},
        "schemaVersion": {"type": "string", "enum": ["2.0"]},
        "creationDate": {"type": "string", "format": "date-time"},
        "epcisBody": {"type": "object", "required": ["eventList"],
                      "properties": {"eventList": {"type": "array", "items": {"type": "object"}}}},
    },
}


class CaptureErrorOut(Schema):
    name: str
    reason: str


class CaptureJobOut(Schema):
    captureID: str
    createdAt: datetime
    finishedAt: datetime | None
    running: bool
    success: bool
    captureErrorBehaviour: str
    eventCount: int
    eventIDs: list[str]
    errors: list[CaptureErrorOut]


def job_out(job: CaptureJob) -> dict:
    return {"captureID": str(job.pk), "createdAt": job.created_at, "finishedAt": job.finished_at,
            "running": job.running, "success": job.success, "captureErrorBehaviour": job.error_behaviour,
            "eventCount": job.event_count, "eventIDs": [f"urn:uuid:{pk}" for pk in job.event_ids],
            "errors": job.errors}


def _limit_headers() -> dict:
    return {"GS1-EPCIS-Capture-Limit": str(epcis_capture.max_events()),
            "GS1-EPCIS-Capture-File-Size-Limit": str(epcis_capture.max_bytes())}


def _too_large(detail: str) -> Problem:
    return Problem(413, detail, headers=_limit_headers())


def _read_document(request: HttpRequest) -> dict:
    content_type = (request.content_type or "").lower()
    if content_type not in JSON_TYPES:
        raise Problem(415, "请以 application/json 或 application/ld+json 提交 EPCIS 文档。", kind="unsupported-media-type")
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > epcis_capture.max_bytes():
        raise _too_large(f"文档不能超过 {epcis_capture.max_bytes():,} 字节。")
    body = request.body
    if len(body) > epcis_capture.max_bytes():
        raise _too_large(f"文档不能超过 {epcis_capture.max_bytes():,} 字节。")
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise invalid("body", "不是有效的 JSON。", status=400) from error
    if not isinstance(document, dict):
        raise invalid("body", "应为一个 EPCISDocument JSON 对象。", status=400)
    events = (document.get("epcisBody") or {}).get("eventList") if isinstance(document.get("epcisBody"), dict) else None
    if isinstance(events, list) and len(events) > epcis_capture.max_events():
        raise _too_large(f"一次最多提交 {epcis_capture.max_events()} 个事件，本次有 {len(events)} 个。")
    bad = find_unstorable(document, "")
    if bad:
        raise invalid(bad or "body", "含有不能保存的字符（如 NUL 控制字符）。", status=400)
    errors = epcis_capture.schema_errors(document)
    if errors:
        raise Problem(400, "文档不符合 EPCIS 2.0 JSON 模式：" + "；".join(f"{e['name']}：{e['reason']}" for e in errors[:3]),
                      kind="epcis-validation", invalid_params=errors)
    return document


@router.post("/capture", response={202: CaptureJobOut}, summary="采集 EPCIS 2.0 事件（全部成功才保存）",
             openapi_extra={
                 "requestBody": {"required": True, "content": {
                     "application/json": {"schema": DOCUMENT_SCHEMA},
                     "application/ld+json": {"schema": DOCUMENT_SCHEMA}}},
                 "parameters": [{"name": BEHAVIOUR_HEADER, "in": "header", "required": False,
                                 "schema": {"type": "string", "enum": ["rollback", "proceed"]}}],
             })
def capture(request: HttpRequest, response: HttpResponse):
    partner = access.merchant(request, TRACE_WRITE)
    behaviour = request.headers.get(BEHAVIOUR_HEADER, epcis_capture.ROLLBACK).strip().lower()
    if behaviour not in (epcis_capture.ROLLBACK, epcis_capture.PROCEED):
        raise invalid(BEHAVIOUR_HEADER, "应为 rollback（全部成功才保存）或 proceed（逐条保存）。", status=400)
    document = _read_document(request)
    job = epcis_capture.capture(merchant=partner, user=request.user, token=request.api_token,
                                document=document, behaviour=behaviour)
    access.audit_target(request, "capture", job.pk)
    response["Location"] = f"{request.path.rstrip('/')}/{job.pk}"
    for header, value in _limit_headers().items():
        response[header] = value
    return Status(202, job_out(job))


@router.get("/capture/{capture_id}", response=CaptureJobOut, summary="一次采集的结果")
def capture_status(request: HttpRequest, capture_id: UUID):
    access.merchant(request, TRACE_WRITE)
    job = CaptureJob.objects.filter(pk=capture_id, user=request.user).first()
    if job is None:
        raise not_found("没有找到这次采集。")
    return job_out(job)


def _values(name: str, raw: str | None) -> list[str]:
    if raw is None:
        return []
    if unstorable(raw):
        raise invalid(name, "含有不能使用的字符。", status=400)
    values = [value.strip() for value in raw.split("|") if value.strip()]
    if not values:
        raise invalid(name, "不能为空。", status=400)
    return values


def _moment(name: str, raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise invalid(name, "应为 ISO 8601 时间，例如 2026-05-01T08:00:00+08:00。", status=400) from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        moment.astimezone(UTC)
    except (OverflowError, ValueError) as error:
        raise invalid(name, "时间超出范围。", status=400) from error
    return moment


def _step_values(raw_values: list[str]) -> set[str]:
    steps = set()
    for value in raw_values:
        bare = epcis_capture._strip(value, epcis_capture._STEP_PREFIXES)
        steps.update({bare, value})
    # Our own steps are stored as URIs (vocabulary.CUSTOM_BIZSTEP…); the export writes them as is.
    steps.update({vocabulary.CUSTOM_BIZSTEP + step for step in list(steps) if ":" not in step})
    return steps


@router.get("/events", summary="查询 EPCIS 事件（EPCISQueryDocument）", openapi_extra={
    "responses": {200: {"description": "EPCISQueryDocument", "content": {"application/json": {"schema": {
        "type": "object", "required": ["type", "schemaVersion", "epcisBody"]}}}}}})
def events(request: HttpRequest, eventType: str | None = None, EQ_bizStep: str | None = None,  # noqa: N803
           GE_eventTime: str | None = None, LT_eventTime: str | None = None,  # noqa: N803
           MATCH_epc: str | None = None, perPage: int = pagination.DEFAULT_LIMIT,  # noqa: N803
           nextPageToken: str | None = None):  # noqa: N803
    partner = access.regulator_or_merchant(request, regulator_scope=REGULATOR_READ, merchant_scope=TRACE_READ)
    found = TraceEvent.objects.select_related("lot", "corrects", "corrects__lot")
    if partner is not None:
        found = found.filter(lot__merchant=partner)
    types = _values("eventType", eventType)
    unknown = [value for value in types if value not in EVENT_TYPES]
    if unknown:
        raise invalid("eventType", f"不认识的事件类型：{'、'.join(unknown)}。", status=400)
    if types:
        found = found.filter(event_type__in=types)
    steps = _values("EQ_bizStep", EQ_bizStep)
    if steps:
        found = found.filter(biz_step__in=_step_values(steps))
    since, before = _moment("GE_eventTime", GE_eventTime), _moment("LT_eventTime", LT_eventTime)
    if since is not None:
        found = found.filter(event_time__gte=since)
    if before is not None:
        found = found.filter(event_time__lt=before)
    epcs = _values("MATCH_epc", MATCH_epc)
    if epcs:
        lots = []
        for value in epcs:
            parts = epcis_capture.lot_parts(value)
            if parts is None:
                raise invalid("MATCH_epc", "应为带批号的 GS1 数字链接（https://id.gs1.org/01/<GTIN>/10/<批号>）。",
                              status=400)
            lots.append(parts)
        condition = None
        for gtin, lot_number in lots:
            step = Q(lot__gtin=gtin, lot__lot_number__iexact=lot_number)
            condition = step if condition is None else condition | step
        found = found.filter(condition)
    if not 1 <= perPage <= pagination.MAX_LIMIT:
        raise invalid("perPage", f"每页条数应在 1 到 {pagination.MAX_LIMIT} 之间。", status=400)
    scope = f"epcis-events:{partner.pk if partner else 'all'}"
    try:
        rows, next_token = pagination.paginate(found, keys=("recorded_at", "id"), cursor=nextPageToken,
                                               limit=perPage, scope=scope)
    except Problem as problem:
        raise invalid("nextPageToken", problem.detail, status=400) from problem
    event_list = []
    for event in rows:
        if event.corrects is not None:
            event_list.append(epcis.error_declaration(event.corrects, corrected_by=event))
        event_list.append(epcis.epcis_event(event))
    document = {
        "@context": epcis.CONTEXT, "type": "EPCISQueryDocument", "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(timespec="milliseconds"),
        "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery",
                                       "resultsBody": {"eventList": event_list}}},
    }
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    if next_token:
        query = request.GET.copy()
        query["nextPageToken"] = next_token
        response["Link"] = f'<{request.path}?{urlencode(sorted(query.items()))}>; rel="next"'
    return response
