"""A merchant's own traceability work: lots, events and quality commitments.

Every function takes the merchant (from ``marketplace.roles.merchant_for``) and refuses
anything that belongs to another merchant, so a view cannot forget the scoping.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from oscar.core.loading import get_model

from traceability import chain
from traceability.gtin import normalise_gtin, validate_lot_number
from traceability.models import Lot, QualityCommitment, TraceEvent
from traceability.regulation import lot_by_code

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")

REPORT_MAX_BYTES = 10 * 1024 * 1024
# Report files are checked by their first bytes, not by the name or the browser's claim.
REPORT_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


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


def create_lot(*, merchant, product, gtin: str, lot_number: str, produced_on: date,
               quantity: int, expires_on: date | None = None, actor=None) -> Lot:
    """A new lot of one of the merchant's products, under the commitment in force today."""
    if not products_for_merchant(merchant=merchant).filter(pk=product.pk).exists():
        raise ValidationError("只能为本店在售的商品建立批次。", code="not_your_product")
    gtin14 = normalise_gtin(gtin)
    validate_lot_number(lot_number)
    if expires_on and expires_on < produced_on:
        raise ValidationError("保质期不能早于生产/采收日期。", code="expiry_before_production")
    commitment = commitment_in_force(merchant=merchant)
    if commitment is None:
        raise ValidationError("请先发布质量承诺，再建立批次。没有质量承诺的商品不能销售。", code="no_commitment")
    if Lot.objects.filter(gtin=gtin14, lot_number=lot_number).exists():
        raise ValidationError("这个商品条码下已有相同批号的批次，请换一个批号。", code="duplicate_lot")
    try:
        with transaction.atomic():
            return Lot.objects.create(
                product=product, merchant=merchant, commitment=commitment, gtin=gtin14,
                lot_number=lot_number, produced_on=produced_on, expires_on=expires_on, quantity=quantity,
            )
    except IntegrityError as error:
        raise ValidationError("这个商品条码下已有相同批号的批次，请换一个批号。", code="duplicate_lot") from error


def check_report_file(upload) -> str:
    """Return the content type of an inspection report, or raise in plain words."""
    if upload.size > REPORT_MAX_BYTES:
        raise ValidationError("报告文件不能超过 10 MB，请压缩后再上传。", code="report_too_large")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in REPORT_SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise ValidationError("报告文件只能是 PDF、PNG 或 JPEG 格式。", code="report_type")


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
        check_report_file(attachment)
    if event_time > timezone.now() + timedelta(minutes=5):
        raise ValidationError("发生时间不能晚于现在。", code="event_in_future")
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
