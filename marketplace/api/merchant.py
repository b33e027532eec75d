"""Merchant endpoints, for a shop's ERP: its own products, stock, lots, events and order lines.

Every query starts from ``access.merchant`` (the caller's own partner) through the same
selectors the workspace uses (``traceability.merchant_work``, ``marketplace.order.fulfilment``),
so another merchant's lot, event or line is a 404, exactly as if it did not exist.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status
from oscar.core.loading import get_model

from marketplace.api import access, figures, pagination, schemas
from marketplace.api.problems import UNSTORABLE, find_unstorable, from_django, invalid, not_found
from marketplace.api.tokens import ORDERS_READ, STOCK_READ, TRACE_READ, TRACE_WRITE
from marketplace.order import fulfilment
from marketplace.statistics import selectors
from traceability import merchant_work, vocabulary
from traceability.models import Lot, TraceEvent

StockRecord = get_model("partner", "StockRecord")

router = Router(tags=["merchant"])
MAX_ID = 2**31 - 1


def _limit(limit: int) -> int:
    if not 1 <= limit <= pagination.MAX_LIMIT:
        raise invalid("limit", f"每页条数应在 1 到 {pagination.MAX_LIMIT} 之间。")
    return limit


def _own_lot(partner, code: str) -> Lot:
    lot = merchant_work.lot_for_merchant(merchant=partner, code=code)
    if lot is None:
        raise not_found("没有找到这个批次。")
    return lot


@router.get("/products", response=schemas.ProductPage, summary="本店商品")
def products(request: HttpRequest, cursor: str | None = None, limit: int = pagination.DEFAULT_LIMIT):
    partner = access.merchant(request, STOCK_READ)
    found = merchant_work.products_for_merchant(merchant=partner)
    rows, next_cursor = pagination.paginate(found, keys=("id",), cursor=cursor, limit=_limit(limit),
                                            scope=f"products:{partner.pk}")
    skus = {}
    for record in StockRecord.objects.filter(partner=partner, product__in=rows).order_by("pk"):
        skus.setdefault(record.product_id, []).append(record.partner_sku)
    items = [{"id": product.pk, "title": product.get_title(), "gtin": product.upc or "",
              "skus": skus.get(product.pk, [])} for product in rows]
    return {"items": items, "next_cursor": next_cursor}


@router.get("/stock", response=schemas.StockPage, summary="本店库存（按批次计）")
def stock(request: HttpRequest, cursor: str | None = None, limit: int = pagination.DEFAULT_LIMIT):
    partner = access.merchant(request, STOCK_READ)
    records = (StockRecord.objects.filter(partner=partner).select_related("product")
               .annotate(lots_on_sale=Count("product__lots", filter=Q(product__lots__merchant=partner,
                                                                      product__lots__status=Lot.ACTIVE,
                                                                      product__lots__quantity__gt=0))))
    rows, next_cursor = pagination.paginate(records, keys=("id",), cursor=cursor, limit=_limit(limit),
                                            scope=f"stock:{partner.pk}")
    items = [{"id": record.pk, "product_id": record.product_id, "product_title": record.product.get_title(),
              "sku": record.partner_sku, "price": record.price, "currency": record.price_currency,
              "num_in_stock": record.num_in_stock, "lots_on_sale": record.lots_on_sale} for record in rows]
    return {"items": items, "next_cursor": next_cursor}


@router.get("/lots", response=schemas.LotPage, summary="本店批次")
def lots(request: HttpRequest, cursor: str | None = None, limit: int = pagination.DEFAULT_LIMIT):
    partner = access.merchant(request, TRACE_READ)
    found = Lot.objects.filter(merchant=partner).select_related("product", "merchant")
    rows, next_cursor = pagination.paginate(found, keys=("created_at", "id"), cursor=cursor,
                                            limit=_limit(limit), scope=f"lots:{partner.pk}")
    return {"items": [schemas.lot_out(lot) for lot in rows], "next_cursor": next_cursor}


@router.get("/lots/{code}", response=schemas.LotOut, summary="本店的一个批次")
def lot_detail(request: HttpRequest, code: str):
    partner = access.merchant(request, TRACE_READ)
    lot = _own_lot(partner, code)
    return schemas.lot_out(Lot.objects.select_related("product", "merchant").get(pk=lot.pk))


@router.get("/lots/{code}/events", response=schemas.EventPage, summary="本店批次的追溯事件")
def lot_events(request: HttpRequest, code: str, cursor: str | None = None, limit: int = pagination.DEFAULT_LIMIT):
    partner = access.merchant(request, TRACE_READ)
    lot = _own_lot(partner, code)
    rows, next_cursor = pagination.paginate(TraceEvent.objects.filter(lot=lot).select_related("lot"),
                                            keys=("sequence",), cursor=cursor, limit=_limit(limit),
                                            scope=f"lot-events:{lot.pk}")
    return {"items": [schemas.event_out(event) for event in rows], "next_cursor": next_cursor}


def check_event_data(kind: str, data: dict) -> dict:
    """The data keys a kind records (vocabulary), plus ``note`` and inspection ``tests``; values are scalars."""
    allowed = vocabulary.BY_CODE[kind].data_keys | {vocabulary.NOTE_FIELD.name}
    if kind in vocabulary.codes_where(inspection=True):
        allowed |= {"tests"}
    bad = find_unstorable(data, "data")
    if bad:
        raise invalid(bad, UNSTORABLE)
    for key, value in data.items():
        if key not in allowed:
            raise invalid(f"data.{key}", f"“{vocabulary.BY_CODE[kind].label}”环节没有这个数据项。可用："
                                         f"{'、'.join(sorted(allowed))}。")
        if key == "tests":
            if not isinstance(value, list) or not all(isinstance(row, dict) for row in value) or len(value) > 50:
                raise invalid("data.tests", "检验项目应为列表（最多 50 项），每项是一个对象。")
        elif not isinstance(value, str | int | float) or isinstance(value, bool):
            raise invalid(f"data.{key}", "应为文字或数字。")
        elif isinstance(value, str) and len(value) > 1000:
            raise invalid(f"data.{key}", "太长了（最多 1000 字）。")
    return data


@router.post("/lots/{code}/events", response={201: schemas.EventOut}, summary="为本店批次录入追溯事件")
def add_event(request: HttpRequest, code: str, payload: schemas.EventIn):
    partner = access.merchant(request, TRACE_WRITE)
    lot = _own_lot(partner, code)
    access.audit_target(request, "lot", lot.code)
    if payload.kind not in vocabulary.BY_CODE:
        raise invalid("kind", f"未知的追溯环节。可用：{'、'.join(vocabulary.BY_CODE)}。")
    data = check_event_data(payload.kind, payload.data)
    event_time = payload.event_time
    if timezone.is_naive(event_time):
        event_time = timezone.make_aware(event_time)
    try:
        event = merchant_work.add_event(
            merchant=partner, lot=lot, kind=payload.kind, event_time=event_time,
            responsible_party=payload.responsible_party.strip(), data=data,
            location_name=payload.location_name.strip(), county=payload.county.strip(),
            disposition=payload.disposition.strip(), actor=request.user,
        )
    except ValidationError as error:
        raise from_django(error, default_field="event_time") from error
    access.audit_target(request, "traceevent", event.pk)
    return Status(201, schemas.event_out(event))


@router.get("/order-lines", response=schemas.OrderLinePage, summary="本店的订单商品（只含本店的行）")
def order_lines(request: HttpRequest, cursor: str | None = None, limit: int = pagination.DEFAULT_LIMIT):
    partner = access.merchant(request, ORDERS_READ)
    found = fulfilment.lines_for_merchant(merchant=partner)
    rows, next_cursor = pagination.paginate(found, keys=("id",), cursor=cursor, limit=_limit(limit),
                                            scope=f"lines:{partner.pk}")
    return {"items": [schemas.order_line_out(line) for line in rows], "next_cursor": next_cursor}


@router.get("/order-lines/{line_id}", response=schemas.OrderLineOut, summary="本店的一行订单商品")
def order_line(request: HttpRequest, line_id: int = Path(..., ge=1, le=MAX_ID)):
    partner = access.merchant(request, ORDERS_READ)
    line = fulfilment.line_for_merchant(merchant=partner, pk=line_id)
    if line is None:
        raise not_found("没有找到这个订单商品。")
    return schemas.order_line_out(line)


@router.get("/sales", response=schemas.FiguresOut, summary="本店销售：按商品、按月份（日期按北京时间，含首尾两日）")
def sales(request: HttpRequest, start: str = Query(..., description="开始日期，如 2026-10-01"),
          end: str = Query(..., description="结束日期（含这一天），如 2026-11-30")):
    partner = access.merchant(request, ORDERS_READ)
    first, last = figures.period_or_problem(start=start, end=end)
    return figures.figures_out(start=first, end=last,
                               tables=selectors.merchant_tables(merchant=partner, start=first, end=last))
