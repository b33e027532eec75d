"""A merchant's own traceability work: lots, events and quality commitments.

Every function takes the merchant (from ``marketplace.roles.merchant_for``) and refuses
anything that belongs to another merchant, so a view cannot forget the scoping.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace import uploads
from traceability import chain, limits
from traceability.codes import parse_gtin, parse_lot_number
from traceability.models import Lot, QualityCommitment, TraceEvent
from traceability.regulation import lot_by_code, lot_by_parts

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")

REPORT_MAX_BYTES = uploads.REPORT_MAX_BYTES


class NotYourLot(Exception):
    """The lot or event belongs to another merchant; views answer 404."""


def lots_for_merchant(*, merchant) -> QuerySet:
    return (
        Lot.objects.filter(merchant=merchant)
        .select_related("product", "commitment")
        .annotate(event_count=Count("events"))
        .order_by("-produced_on", "-id")
    )


def lot_for_merchant(*, merchant, code: str) -> Lot | None:
    return lot_by_code(code=code, lots=Lot.objects.filter(merchant=merchant).select_related("product"))


def products_for_merchant(*, merchant) -> QuerySet:
    """Products this merchant sells: those with one of its stock records."""
    return Product.objects.filter(stockrecords__partner=merchant).distinct().order_by("title")


def commitment_in_force(*, merchant, now: datetime | None = None) -> QualityCommitment | None:
    now = now or timezone.now()
    return (
        QualityCommitment.objects.filter(merchant=merchant, effective_from__lte=now)
        .order_by("-version")
        .first()
    )


def commitments_for_merchant(*, merchant) -> QuerySet:
    return QualityCommitment.objects.filter(merchant=merchant).order_by("-version")


def gtin_belongs_to(*, merchant, gtin14: str) -> bool:
    """Whether a GTIN-14 lies under the merchant's GS1 company prefix (厂商识别代码).

    The company prefix follows the GTIN-14's indicator digit (GS1 General Specifications
    §3.3.2), so GTIN-13 ``69201…`` is GTIN-14 ``069201…``.
    """
    prefix = (merchant.gs1_company_prefix or "").strip()
    return bool(prefix) and gtin14[1:].startswith(prefix)


def product_gtin(product) -> str | None:
    """The GTIN-14 a product is registered under (its UPC field), or None."""
    return parse_gtin(product.upc) if product.upc else None


def check_lot_gtin(*, merchant, product, gtin: str) -> str:
    """The canonical GTIN-14 for a new lot, or ValidationError.

    A merchant makes lots only of its own products and only under the product's own GTIN,
    which must fall under the merchant's GS1 company prefix: nobody can take another
    merchant's GTIN and lot numbers, or make a Digital Link show the wrong product.
    """
    gtin14 = parse_gtin(gtin)
    if gtin14 is None:
        raise ValidationError("商品条码（GTIN）应为 8、12、13 或 14 位阿拉伯数字，且校验位正确。", code="gtin")
    registered = product_gtin(product)
    if registered is None:
        raise ValidationError("这个商品还没有登记商品条码，请联系平台登记后再建立批次。", code="product_without_gtin")
    if gtin14 != registered:
        raise ValidationError("商品条码与所选商品登记的条码不一致，请核对包装上的条码。", code="gtin_not_product")
    if not gtin_belongs_to(merchant=merchant, gtin14=gtin14):
        raise ValidationError(
            "这个商品条码不在本店登记的 GS1 厂商识别代码之下，不能用它建立批次。", code="gtin_not_merchant")
    return gtin14


def create_lot(*, merchant, product, gtin: str, lot_number: str, produced_on: date,
               quantity: int, expires_on: date | None = None, actor=None) -> Lot:
    """A new lot of one of the merchant's products, under the commitment in force today."""
    if not products_for_merchant(merchant=merchant).filter(pk=product.pk).exists():
        raise ValidationError("只能为本店在售的商品建立批次。", code="not_your_product")
    gtin14 = check_lot_gtin(merchant=merchant, product=product, gtin=gtin)
    lot_number = parse_lot_number(lot_number)
    if lot_number is None:
        raise ValidationError("批号只能包含字母、数字和 - . _，最多20个字符。", code="lot_number")
    limits.check_produced_on(produced_on)
    limits.check_expires_on(expires_on, produced_on=produced_on)
    limits.check_quantity(quantity)
    commitment = commitment_in_force(merchant=merchant)
    if commitment is None:
        raise ValidationError("请先发布质量承诺，再建立批次。没有质量承诺的商品不能销售。", code="no_commitment")
    if lot_by_parts(gtin=gtin14, lot_number=lot_number) is not None:
        raise ValidationError("这个商品条码下已有相同批号的批次，请换一个批号。", code="duplicate_lot")
    try:
        with transaction.atomic():
            return Lot.objects.create(
                product=product, merchant=merchant, commitment=commitment, gtin=gtin14,
                lot_number=lot_number, produced_on=produced_on, expires_on=expires_on, quantity=quantity,
            )
    except IntegrityError as error:
        raise ValidationError("这个商品条码下已有相同批号的批次，请换一个批号。", code="duplicate_lot") from error


def check_report_file(upload):
    """An inspection report as a clean, server-named PDF/PNG/JPEG file, or ValidationError."""
    return uploads.clean_upload(upload, kinds=uploads.REPORT_KINDS, max_bytes=REPORT_MAX_BYTES, purpose="报告")


def _own_lot(*, merchant, lot: Lot) -> Lot:
    if merchant is None or lot.merchant_id != merchant.pk:
        raise NotYourLot(lot.pk)
    return lot


def add_event(*, merchant, lot: Lot, kind: str, event_time: datetime, responsible_party: str,
              data: dict | None = None, location_name: str = "", county: str = "", disposition: str = "",
              attachment=None, corrects: TraceEvent | None = None, correction_reason: str = "",
              actor=None) -> TraceEvent:
    """Append an event to one of the merchant's own lots (through ``chain.record_event``)."""
    _own_lot(merchant=merchant, lot=lot)
    if attachment is not None:
        attachment = check_report_file(attachment)
    limits.check_event_time(event_time)
    if corrects is not None:
        if corrects.lot_id != lot.pk:
            raise NotYourLot(corrects.pk)
        if not (correction_reason or "").strip():
            raise ValidationError("请写明更正原因。", code="correction_reason")
    try:
        return chain.record_event(
            lot=lot, kind=kind, event_time=event_time, responsible_party=responsible_party, data=data,
            location_name=location_name, county=county, disposition=disposition, attachment=attachment,
            corrects=corrects, correction_reason=(correction_reason or "").strip(), actor=actor,
        )
    except ValueError as error:
        raise ValidationError(str(error)) from error


def correct_event(*, merchant, event: TraceEvent, reason: str, actor=None, **fields) -> TraceEvent:
    """Record a new event that declares ``event`` wrong and states the right values."""
    return add_event(merchant=merchant, lot=event.lot, corrects=event, correction_reason=reason,
                     actor=actor, **fields)


def event_for_merchant(*, merchant, lot: Lot, event_id) -> TraceEvent | None:
    _own_lot(merchant=merchant, lot=lot)
    return TraceEvent.objects.filter(lot=lot, pk=event_id).first()


def publish_commitment(*, merchant, standards: list[str], quality_promise: str, returns_promise: str,
                       after_sales_promise: str, contact_name: str, contact_phone: str,
                       contact_hours: str = "", effective_from: datetime | None = None,
                       actor=None) -> QualityCommitment:
    """Publish the next version of the merchant's quality commitment. Earlier versions stay."""
    with transaction.atomic():
        # Lock the merchant so two publishers cannot take the same version number.
        Partner.objects.select_for_update().filter(pk=merchant.pk).first()
        latest = QualityCommitment.objects.filter(merchant=merchant).aggregate(v=Max("version"))["v"] or 0
        return QualityCommitment.objects.create(
            merchant=merchant,
            version=latest + 1,
            standards=[s.strip() for s in standards if s.strip()],
            quality_promise=quality_promise,
            returns_promise=returns_promise,
            after_sales_promise=after_sales_promise,
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_hours=contact_hours,
            effective_from=effective_from or timezone.now(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
