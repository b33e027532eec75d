"""Regulator endpoints: lots, their events, chain verification, EPCIS export, suspensions,
shoppers' reports and the statistics figures.

Reads need ``regulator:read``, actions ``regulator:write``; every action calls
``traceability.regulation``, which writes the regulators' own AuditEntry in the same
transaction (and the API adds its ApiAuditEntry for the request).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from ninja import Field, Path, Query, Router, Schema

from catalog.models import CatalogueListing
from marketplace.api import access, figures, pagination, schemas
from marketplace.api.problems import Problem, from_django, invalid, not_found
from marketplace.api.tokens import REGULATOR_READ, REGULATOR_WRITE
from marketplace.claims import reports
from marketplace.claims.models import ShopperReport
from marketplace.statistics import selectors
from traceability import epcis, regulation
from traceability.codes import parse_gtin
from traceability.models import AuditEntry, Lot, TraceEvent

router = Router(tags=["regulator"])
MAX_ID = 2**31 - 1

STATUS_ACTIONS = (regulation.SUSPEND_LOT, regulation.REINSTATE_LOT, regulation.RECALL_LOT,
                  regulation.SUSPEND_LISTING, regulation.EXIT_LISTING, regulation.REINSTATE_LISTING)


class LotFilters(Schema):
    cursor: str | None = None
    limit: int = pagination.DEFAULT_LIMIT
    status: str | None = None
    gtin: str | None = None
    merchant_id: int | None = Field(None, ge=1, le=MAX_ID)
    produced_from: date | None = None
    produced_to: date | None = None


def _lot(code: str) -> Lot:
    lot = regulation.lot_by_code(code=code, lots=Lot.objects.select_related("product", "merchant"))
    if lot is None:
        raise not_found("没有找到这个批次。")
    return lot


def _limit(limit: int) -> int:
    if not 1 <= limit <= pagination.MAX_LIMIT:
        raise invalid("limit", f"每页条数应在 1 到 {pagination.MAX_LIMIT} 之间。")
    return limit


@router.get("/lots", response=schemas.LotPage, summary="查找批次")
def lots(request: HttpRequest, filters: Query[LotFilters]):
    access.regulator(request, REGULATOR_READ)
    if filters.status and filters.status not in dict(Lot.STATUSES):
        raise invalid("status", "应为 active、suspended 或 recalled。")
    gtin = None
    if filters.gtin:
        gtin = parse_gtin(filters.gtin)
        if gtin is None:
            raise invalid("gtin", "商品条码（GTIN）应为 8、12、13 或 14 位数字，且校验位正确。")
    found = Lot.objects.select_related("product", "merchant")
    if filters.status:
        found = found.filter(status=filters.status)
    if gtin:
        found = found.filter(gtin=gtin)
    if filters.merchant_id is not None:
        found = found.filter(merchant_id=filters.merchant_id)
    if filters.produced_from:
        found = found.filter(produced_on__gte=filters.produced_from)
    if filters.produced_to:
        found = found.filter(produced_on__lte=filters.produced_to)
    rows, next_cursor = pagination.paginate(found, keys=("created_at", "id"), cursor=filters.cursor,
                                            limit=_limit(filters.limit), scope="regulator-lots")
    return {"items": [schemas.lot_out(lot) for lot in rows], "next_cursor": next_cursor}


@router.get("/lots/{code}", response=schemas.LotDetailOut, summary="批次详情")
def lot_detail(request: HttpRequest, code: str):
    access.regulator(request, REGULATOR_READ)
    return schemas.lot_detail_out(_lot(code))


@router.get("/lots/{code}/events", response=schemas.EventPage, summary="批次的追溯事件（按序号）")
def lot_events(request: HttpRequest, code: str, cursor: str | None = None, limit: int = pagination.DEFAULT_LIMIT):
    access.regulator(request, REGULATOR_READ)
    lot = _lot(code)
    rows, next_cursor = pagination.paginate(TraceEvent.objects.filter(lot=lot).select_related("lot"),
                                            keys=("sequence",), cursor=cursor, limit=_limit(limit),
                                            scope=f"lot-events:{lot.pk}")
    return {"items": [schemas.event_out(event) for event in rows], "next_cursor": next_cursor}


@router.post("/lots/{code}/verify", response=schemas.VerificationOut, summary="重新校验批次的追溯链")
def verify(request: HttpRequest, code: str):
    user = access.regulator(request, REGULATOR_WRITE)
    lot = _lot(code)
    access.audit_target(request, "lot", lot.code)
    return schemas.verification_out(regulation.verify_lot(lot=lot, actor=user))


@router.get("/lots/{code}/epcis", summary="批次的 EPCIS 2.0 JSON-LD 文档",
            openapi_extra={"responses": {200: {"description": "EPCIS 2.0 document", "content": {
                "application/ld+json": {"schema": {"type": "object"}}}}}})
def lot_epcis(request: HttpRequest, code: str):
    user = access.regulator(request, REGULATOR_READ)
    lot = _lot(code)
    document = epcis.document_for_lots([lot])
    regulation.record_export(actor=user, action=regulation.EXPORT_JSONLD, lots_count=1,
                             filters={"code": lot.code, "via": "api"})
    return JsonResponse(document, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})


def _lot_action(request: HttpRequest, code: str, payload: schemas.ReasonIn, action):
    user = access.regulator(request, REGULATOR_WRITE)
    lot = _lot(code)
    access.audit_target(request, "lot", lot.code)
    try:
        action(lot=lot, reason=payload.reason, actor=user)
    except ValidationError as error:
        problem = from_django(error, default_field="reason")
        if getattr(error, "code", "") == "lot_status":
            raise Problem(409, problem.detail, kind="conflict") from error
        raise problem from error
    return schemas.lot_detail_out(_lot(code))


@router.post("/lots/{code}/suspend", response=schemas.LotDetailOut, summary="暂停批次销售")
def suspend_lot(request: HttpRequest, code: str, payload: schemas.ReasonIn):
    return _lot_action(request, code, payload, regulation.suspend_lot)


@router.post("/lots/{code}/reinstate", response=schemas.LotDetailOut, summary="恢复批次销售")
def reinstate_lot(request: HttpRequest, code: str, payload: schemas.ReasonIn):
    return _lot_action(request, code, payload, regulation.reinstate_lot)


@router.post("/lots/{code}/recall", response=schemas.LotDetailOut, summary="召回批次")
def recall_lot(request: HttpRequest, code: str, payload: schemas.ReasonIn):
    return _lot_action(request, code, payload, regulation.recall_lot)


def _listing(listing_id: int) -> CatalogueListing:
    listing = CatalogueListing.objects.select_related("product").filter(pk=listing_id).first()
    if listing is None:
        raise not_found("没有找到这个目录资格。")
    return listing


def _listing_out(listing: CatalogueListing) -> dict:
    return {"id": listing.pk, "catalogue": listing.catalogue, "catalogue_name": listing.get_catalogue_display(),
            "status": listing.status, "status_reason": listing.status_reason}


@router.post("/listings/{listing_id}/suspend", response=schemas.ListingOut, summary="暂停目录资格或退出目录")
def suspend_listing(request: HttpRequest, payload: schemas.ListingSuspendIn,
                    listing_id: int = Path(..., ge=1, le=MAX_ID)):
    user = access.regulator(request, REGULATOR_WRITE)
    listing = _listing(listing_id)
    access.audit_target(request, "cataloguelisting", listing.pk)
    try:
        regulation.suspend_listing(listing=listing, reason=payload.reason, actor=user,
                                   exit_catalogue=payload.exit_catalogue)
    except ValidationError as error:
        raise from_django(error, default_field="reason") from error
    return _listing_out(listing)


@router.post("/listings/{listing_id}/reinstate", response=schemas.ListingOut, summary="恢复目录资格")
def reinstate_listing(request: HttpRequest, payload: schemas.ReasonIn, listing_id: int = Path(..., ge=1, le=MAX_ID)):
    user = access.regulator(request, REGULATOR_WRITE)
    listing = _listing(listing_id)
    access.audit_target(request, "cataloguelisting", listing.pk)
    try:
        regulation.reinstate_listing(listing=listing, reason=payload.reason, actor=user)
    except ValidationError as error:
        raise from_django(error, default_field="reason") from error
    return _listing_out(listing)


@router.get("/status-changes", response=schemas.StatusChangePage, summary="暂停、恢复、召回和退出的记录")
def status_changes(request: HttpRequest, cursor: str | None = None, limit: int = pagination.DEFAULT_LIMIT):
    access.regulator(request, REGULATOR_READ)
    entries = AuditEntry.objects.filter(action__in=STATUS_ACTIONS).select_related("actor")
    rows, next_cursor = pagination.paginate(entries, keys=("at", "id"), cursor=cursor, limit=_limit(limit),
                                            scope="status-changes")
    return {"items": [schemas.status_change_out(entry, regulation.ACTION_NAMES) for entry in rows],
            "next_cursor": next_cursor}


@router.get("/reports", response=schemas.ReportPage, summary="消费者举报（先收到的在前）")
def report_list(request: HttpRequest, cursor: str | None = None, limit: int = pagination.DEFAULT_LIMIT,
                status: str | None = Query(None, description="open（未办结）、received、investigating、resolved 或 dismissed"),
                kind: str | None = Query(None, description="claim 或 quality")):
    access.regulator(request, REGULATOR_READ)
    if status and status != "open" and status not in dict(ShopperReport.STATUSES):
        raise invalid("status", "应为 open、received、investigating、resolved 或 dismissed。")
    if kind and kind not in dict(ShopperReport.KINDS):
        raise invalid("kind", "应为 claim 或 quality。")
    found = reports.report_queue(status=status or "", kind=kind or "")
    rows, next_cursor = pagination.paginate(found, keys=("created_at", "id"), cursor=cursor,
                                            limit=_limit(limit), scope="regulator-reports")
    return {"items": [schemas.report_out(report) for report in rows], "next_cursor": next_cursor}


@router.post("/reports/{report_id}/status", response=schemas.ReportOut, summary="改变举报的处理状态")
def report_status(request: HttpRequest, payload: schemas.ReportStatusIn,
                  report_id: int = Path(..., ge=1, le=MAX_ID)):
    user = access.regulator(request, REGULATOR_WRITE)
    report = ShopperReport.objects.select_related("product").filter(pk=report_id).first()
    if report is None:
        raise not_found("没有找到这条举报。")
    access.audit_target(request, "shopperreport", report.pk)
    try:
        reports.change_status(report=report, status=payload.status, note=payload.note, actor=user)
    except ValidationError as error:
        raise from_django(error, default_field="status") from error
    return schemas.report_out(report)


@router.get("/statistics", response=schemas.FiguresOut, summary="统计监测（日期按北京时间，含首尾两日）")
def statistics(request: HttpRequest, start: str = Query(..., description="开始日期，如 2026-10-01"),
               end: str = Query(..., description="结束日期（含这一天），如 2026-11-30")):
    access.regulator(request, REGULATOR_READ)
    first, last = figures.period_or_problem(start=start, end=end)
    return figures.figures_out(start=first, end=last, tables=selectors.all_tables(start=first, end=last))
