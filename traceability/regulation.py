"""What a market regulator may do to lots and catalogue listings, and the record of it.

Every action writes an ``AuditEntry`` (actor, action, target, reason) in the same
transaction as the change, so there is never a change without its record. Basket-add and
checkout read status fields live (``traceability/availability.py``), and every change
bumps the storefront cache version (``marketplace/storefront_cache.py``), so a
suspension or recall takes effect on the storefront at once.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.models import CatalogueListing
from traceability.codes import parse_lot_code
from traceability.gtin import normalise_gtin
from traceability.models import AuditEntry, Lot

Line = get_model("order", "Line")

# Audit actions, with the words shown on the audit page.
SUSPEND_LISTING = "suspend_listing"
EXIT_LISTING = "exit_listing"
REINSTATE_LISTING = "reinstate_listing"
SUSPEND_LOT = "suspend_lot"
REINSTATE_LOT = "reinstate_lot"
RECALL_LOT = "recall_lot"
VERIFY_LOT = "verify_lot"
VERIFY_ALL = "verify_all"
EXPORT_CSV = "export_csv"
EXPORT_JSONLD = "export_jsonld"

ACTION_NAMES = {
    SUSPEND_LISTING: "暂停目录资格",
    EXIT_LISTING: "退出推荐目录",
    REINSTATE_LISTING: "恢复目录资格",
    SUSPEND_LOT: "暂停批次销售",
    REINSTATE_LOT: "恢复批次销售",
    RECALL_LOT: "召回批次",
    VERIFY_LOT: "校验追溯链",
    VERIFY_ALL: "校验全部追溯链",
    EXPORT_CSV: "导出 CSV",
    EXPORT_JSONLD: "导出 EPCIS JSON-LD",
}


def record_audit(*, actor, action: str, target_type: str, target_id, target_label: str,
                 reason: str = "", details: dict | None = None) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id)[:64],
        target_label=str(target_label)[:255],
        reason=reason,
        details=details or {},
    )


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写原因。原因会记入监管操作记录，并告知商家。", code="reason_required")
    return reason


def _listing_label(listing: CatalogueListing) -> str:
    return f"{listing.product.get_title()} · {listing.get_catalogue_display()}"


def _set_listing_status(*, listing: CatalogueListing, status: str, reason: str, actor, action: str):
    reason = _required_reason(reason)
    with transaction.atomic():
        locked = CatalogueListing.objects.select_for_update().select_related("product").get(pk=listing.pk)
        previous = locked.status
        locked.status = status
        locked.status_reason = reason
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "status_reason", "status_changed_at"])
        record_audit(
            actor=actor, action=action, target_type="cataloguelisting", target_id=locked.pk,
            target_label=_listing_label(locked), reason=reason,
            details={"from": previous, "to": status, "product_id": locked.product_id},
        )
    listing.status, listing.status_reason = locked.status, locked.status_reason
    listing.status_changed_at = locked.status_changed_at
    return listing


def suspend_listing(*, listing: CatalogueListing, reason: str, actor, exit_catalogue: bool = False):
    """Suspend a catalogue listing, or with ``exit_catalogue`` take the product out (动态退出)."""
    if exit_catalogue:
        return _set_listing_status(listing=listing, status=CatalogueListing.EXITED, reason=reason,
                                   actor=actor, action=EXIT_LISTING)
    return _set_listing_status(listing=listing, status=CatalogueListing.SUSPENDED, reason=reason,
                               actor=actor, action=SUSPEND_LISTING)


def reinstate_listing(*, listing: CatalogueListing, reason: str, actor):
    return _set_listing_status(listing=listing, status=CatalogueListing.LISTED, reason=reason,
                               actor=actor, action=REINSTATE_LISTING)


def _set_lot_status(*, lot: Lot, status: str, reason: str, actor, action: str, allowed_from) -> Lot:
    reason = _required_reason(reason)
    with transaction.atomic():
        locked = Lot.objects.select_for_update().select_related("product").get(pk=lot.pk)
        if locked.status not in allowed_from:
            raise ValidationError(
                "该批次当前为「%(status)s」，不能执行这个操作。", code="lot_status",
                params={"status": locked.get_status_display()},
            )
        previous = locked.status
        now = timezone.now()
        Lot.objects.filter(pk=locked.pk).update(status=status, status_reason=reason, status_changed_at=now)
        record_audit(
            actor=actor, action=action, target_type="lot", target_id=locked.pk,
            target_label=f"{locked.code} {locked.product.get_title()}", reason=reason,
            details={"from": previous, "to": status},
        )
    lot.status, lot.status_reason, lot.status_changed_at = status, reason, now
    return lot


def suspend_lot(*, lot: Lot, reason: str, actor) -> Lot:
    return _set_lot_status(lot=lot, status=Lot.SUSPENDED, reason=reason, actor=actor,
                           action=SUSPEND_LOT, allowed_from=(Lot.ACTIVE, Lot.SUSPENDED))


def reinstate_lot(*, lot: Lot, reason: str, actor) -> Lot:
    """Put a suspended lot back on sale. A recalled lot stays recalled: the goods are coming back."""
    return _set_lot_status(lot=lot, status=Lot.ACTIVE, reason=reason, actor=actor,
                           action=REINSTATE_LOT, allowed_from=(Lot.SUSPENDED,))


def affected_order_lines(*, lot: Lot) -> QuerySet:
    """Order lines sold from the lot, with what is needed to reach each customer."""
    return (
        Line.objects.filter(lot=lot)
        .select_related("order", "order__user", "order__shipping_address")
        .order_by("-order__date_placed", "pk")
    )


def recall_lot(*, lot: Lot, reason: str, actor) -> list:
    """Recall the lot (stops sale at once) and return the order lines sold from it."""
    _set_lot_status(lot=lot, status=Lot.RECALLED, reason=reason, actor=actor, action=RECALL_LOT,
                    allowed_from=(Lot.ACTIVE, Lot.SUSPENDED))
    lines = list(affected_order_lines(lot=lot))
    return lines


def verify_lot(*, lot: Lot, actor):
    """Recompute the lot's chain, store the result (which the storefront reads) and audit it."""
    from traceability.chain import verify_and_record

    report = verify_and_record(lot)
    record_audit(
        actor=actor, action=VERIFY_LOT, target_type="lot", target_id=lot.pk, target_label=lot.code,
        details={"intact": report.intact, "events_checked": report.events_checked,
                 "broken_sequence": report.broken_sequence, "problem": report.problem},
    )
    return report


def verify_all_lots(*, actor, lot_codes: list[str] | None = None) -> list:
    from traceability.verification import verify_all

    reports = verify_all(lot_codes=lot_codes)
    broken = [r for r in reports if r.broken]
    record_audit(
        actor=actor, action=VERIFY_ALL, target_type="lot", target_id="*",
        target_label=f"{len(reports)} 个批次",
        details={"checked": len(reports), "broken": [r.lot_code for r in broken][:200]},
    )
    return reports


def record_export(*, actor, action: str, lots_count: int, filters: dict) -> AuditEntry:
    return record_audit(
        actor=actor, action=action, target_type="lot", target_id="*",
        target_label=f"{lots_count} 个批次", details={"filters": filters, "count": lots_count},
    )


def find_lots(*, code: tuple[str, str] | None = None, merchant=None, product=None, gtin: str | None = None,
              lot_number: str | None = None, date_from: date | None = None, date_to: date | None = None, status: str | None = None) -> QuerySet:
    """Lots matching every given criterion. ``product`` is a Product or words from its title."""
    lots = Lot.objects.select_related("product", "merchant")
    if code is not None:  # (gtin14, lot number) from codes.parse_lot_code
        lots = lots.filter(gtin=code[0], lot_number__iexact=code[1])
    if merchant is not None:
        lots = lots.filter(merchant=merchant)
    if product:
        if isinstance(product, str):
            words = product.strip()
            lots = lots.filter(Q(product__title__icontains=words) | Q(product__title_en__icontains=words))
        else:
            lots = lots.filter(product=product)
    if gtin:
        lots = lots.filter(gtin=normalise_gtin(gtin))
    if lot_number:
        lots = lots.filter(lot_number__icontains=lot_number.strip())
    if date_from:
        lots = lots.filter(produced_on__gte=date_from)
    if date_to:
        lots = lots.filter(produced_on__lte=date_to)
    if status:
        lots = lots.filter(status=status)
    return lots.order_by("-produced_on", "-id")


def lot_by_code(*, code: str, lots: QuerySet | None = None) -> Lot | None:
    """The lot named by a printed code ``<GTIN>-<lot number>``, or None (never raises)."""
    parsed = parse_lot_code(code)
    if parsed is None:
        return None
    return lot_by_parts(gtin=parsed[0], lot_number=parsed[1], lots=lots)


def lot_by_parts(*, gtin: str, lot_number: str, lots: QuerySet | None = None) -> Lot | None:
    """The lot with this canonical GTIN-14 and lot number (stored lot numbers may predate upper-casing)."""
    queryset = lots if lots is not None else Lot.objects.all()
    return queryset.filter(gtin=gtin, lot_number__iexact=lot_number).order_by("pk").first()
