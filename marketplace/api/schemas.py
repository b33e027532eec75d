"""What the API sends and accepts. Builders turn our models into these shapes in one place."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import create_model, field_validator

from traceability.models import Lot, TraceEvent

# --- Out --------------------------------------------------------------------------------


class ListingOut(Schema):
    id: int
    catalogue: str
    catalogue_name: str
    status: str
    status_reason: str


class LotOut(Schema):
    code: str
    gtin: str
    lot_number: str
    product_id: int
    product_title: str
    merchant_id: int
    merchant_name: str
    produced_on: date
    expires_on: date | None
    quantity: int
    status: str
    status_reason: str
    chain_status: str
    chain_problem: str
    trace_url: str
    created_at: datetime


class LotDetailOut(LotOut):
    listings: list[ListingOut]


class EventOut(Schema):
    id: str
    lot_code: str
    sequence: int
    kind: str
    event_type: str
    action: str
    biz_step: str
    disposition: str
    event_time: datetime
    event_timezone_offset: str
    location_name: str
    county: str
    responsible_party: str
    data: dict
    corrects: str | None
    correction_reason: str
    recorded_at: datetime
    hash: str
    previous_hash: str


class VerificationOut(Schema):
    lot_code: str
    intact: bool
    awaiting: bool
    events_checked: int
    broken_sequence: int | None
    problem: str


class StatusChangeOut(Schema):
    id: int
    at: datetime
    action: str
    action_name: str
    target_type: str
    target_id: str
    target_label: str
    reason: str
    actor: str


class ProductOut(Schema):
    id: int
    title: str
    gtin: str
    skus: list[str]


class StockOut(Schema):
    id: int
    product_id: int
    product_title: str
    sku: str
    price: Decimal | None
    currency: str
    num_in_stock: int | None
    lots_on_sale: int


class OrderLineOut(Schema):
    id: int
    order_number: str
    date_placed: datetime
    order_status: str
    product_id: int | None
    title: str
    sku: str
    quantity: int
    line_price_incl_tax: Decimal
    lot_code: str | None
    shipped_at: datetime | None
    carrier: str
    tracking_number: str
    delivered_at: datetime | None
    ship_to_name: str
    ship_to_phone: str
    ship_to_address: str


class ReportOut(Schema):
    id: int
    reference: str
    product_id: int
    product_title: str
    kind: str
    kind_name: str
    details: str
    contact_name: str
    contact_phone: str
    status: str
    status_name: str
    created_at: datetime
    updated_at: datetime


Cell = str | int | None


class FigureTableOut(Schema):
    slug: str
    title: str
    note: str
    columns: list[str]
    rows: list[list[Cell]] = Field(..., description="第一列是名称；金额是两位小数的字符串，如 \"600.50\"")
    total: list[Cell] | None


class FiguresOut(Schema):
    start: date
    end: date
    time_zone: str = Field(..., description="日期按这个时区的整天计算，首尾两日都包括在内")
    tables: list[FigureTableOut]


def page_of(item_schema):
    """A cursor page of ``item_schema``: the items and the cursor of the next page (null at the end)."""
    return create_model(f"{item_schema.__name__}Page", __base__=Schema,
                        items=(list[item_schema], ...), next_cursor=(str | None, ...))


LotPage, EventPage, StatusChangePage = page_of(LotOut), page_of(EventOut), page_of(StatusChangeOut)
ProductPage, StockPage, OrderLinePage = page_of(ProductOut), page_of(StockOut), page_of(OrderLineOut)
ReportPage = page_of(ReportOut)

# --- In ---------------------------------------------------------------------------------


def _storable(value):
    from marketplace.api.problems import UNSTORABLE, find_unstorable

    if find_unstorable(value, "x"):
        raise ValueError(UNSTORABLE)
    return value


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000, description="原因，记入监管操作记录并告知商家")

    _check_reason = field_validator("reason")(_storable)


class ListingSuspendIn(ReasonIn):
    exit_catalogue: bool = Field(False, description="true：退出推荐目录（动态退出）；false：暂停")


class ReportStatusIn(Schema):
    status: str = Field(..., max_length=16, description="received、investigating、resolved 或 dismissed")
    note: str = Field(..., min_length=1, max_length=2000, description="处理说明，举报人会看到")

    _check_text = field_validator("status", "note")(_storable)


class EventIn(Schema):
    kind: str = Field(..., max_length=16, description="环节，见 traceability/vocabulary.py，如 inspection、storing")
    event_time: datetime = Field(..., description="发生时间，带时区的 ISO 8601")
    responsible_party: str = Field(..., min_length=1, max_length=128)
    location_name: str = Field("", max_length=128)
    county: str = Field("", max_length=32)
    disposition: str = Field("", max_length=64)
    data: dict = Field(default_factory=dict, description="该环节的数据，键见 vocabulary")

    _check_text = field_validator("kind", "responsible_party", "location_name", "county", "disposition")(_storable)


# --- Builders ---------------------------------------------------------------------------


def lot_out(lot: Lot) -> dict:
    return {
        "code": lot.code, "gtin": lot.gtin, "lot_number": lot.lot_number, "product_id": lot.product_id,
        "product_title": lot.product.get_title(), "merchant_id": lot.merchant_id,
        "merchant_name": lot.merchant.name, "produced_on": lot.produced_on, "expires_on": lot.expires_on,
        "quantity": lot.quantity, "status": lot.status, "status_reason": lot.status_reason,
        "chain_status": lot.chain_status, "chain_problem": lot.chain_problem,
        "trace_url": f"/trace/{lot.code}/", "created_at": lot.created_at,
    }


def lot_detail_out(lot: Lot) -> dict:
    listings = [
        {"id": listing.pk, "catalogue": listing.catalogue, "catalogue_name": listing.get_catalogue_display(),
         "status": listing.status, "status_reason": listing.status_reason}
        for listing in lot.product.catalogue_listings.order_by("pk")
    ]
    return {**lot_out(lot), "listings": listings}


def event_out(event: TraceEvent) -> dict:
    return {
        "id": str(event.pk), "lot_code": event.lot.code, "sequence": event.sequence, "kind": event.kind,
        "event_type": event.event_type, "action": event.action, "biz_step": event.biz_step,
        "disposition": event.disposition, "event_time": event.event_time,
        "event_timezone_offset": event.event_timezone_offset, "location_name": event.location_name,
        "county": event.county, "responsible_party": event.responsible_party,
        "data": event.data if isinstance(event.data, dict) else {},
        "corrects": str(event.corrects_id) if event.corrects_id else None,
        "correction_reason": event.correction_reason, "recorded_at": event.recorded_at,
        "hash": event.hash, "previous_hash": event.previous_hash,
    }


def verification_out(report) -> dict:
    return {"lot_code": report.lot_code, "intact": report.intact, "awaiting": report.awaiting,
            "events_checked": report.events_checked, "broken_sequence": report.broken_sequence,
            "problem": report.problem}


def status_change_out(entry, action_names: dict) -> dict:
    return {"id": entry.pk, "at": entry.at, "action": entry.action,
            "action_name": action_names.get(entry.action, entry.action), "target_type": entry.target_type,
            "target_id": entry.target_id, "target_label": entry.target_label, "reason": entry.reason,
            "actor": entry.actor.get_username() if entry.actor_id else ""}


def report_out(report) -> dict:
    return {"id": report.pk, "reference": report.reference, "product_id": report.product_id,
            "product_title": report.product.get_title(), "kind": report.kind,
            "kind_name": str(report.get_kind_display()), "details": report.details,
            "contact_name": report.contact_name, "contact_phone": report.contact_phone, "status": report.status,
            "status_name": str(report.get_status_display()), "created_at": report.created_at,
            "updated_at": report.updated_at}


def order_line_out(line) -> dict:
    address = line.order.shipping_address
    return {
        "id": line.pk, "order_number": line.order.number, "date_placed": line.order.date_placed,
        "order_status": line.order.status, "product_id": line.product_id, "title": line.title,
        "sku": line.partner_sku, "quantity": line.quantity, "line_price_incl_tax": line.line_price_incl_tax,
        "lot_code": line.lot.code if line.lot_id else None, "shipped_at": line.shipped_at,
        "carrier": line.carrier, "tracking_number": line.tracking_number, "delivered_at": line.delivered_at,
        "ship_to_name": address.name if address else "",
        "ship_to_phone": str(address.phone_number or "") if address else "",
        "ship_to_address": " ".join(filter(None, [address.state, address.line4, address.line2, address.line1]))
        if address else "",
    }
