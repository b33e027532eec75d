"""Whether products sell, and taking units from their lots: the one place for both.

After Saleor's ``warehouse/management.py``. Lots are the single truth for what is left to
sell: ``Lot.quantity`` is the number of units still for sale. Oscar's ``StockRecord``
follows from them (``num_in_stock`` is kept equal to the units left in the merchant's
lots of the product; Oscar's own allocation counter is not used), and the pricing
strategy reads availability from the lot too, so "stock left" means one thing.

Allocation takes row locks in one fixed order (lots by primary key, then stock records by
primary key), inside the order's transaction, and re-checks the whole sale rule
(``traceability.availability``) on the locked rows, so two buyers of the last unit cannot
both get it and stock never goes below zero.

One order line comes from one lot, so that every unit a shopper receives is traceable to
the lot printed on the confirmation. When the current lot has fewer units left than a line
asks for, the order is refused with the number still available in that lot, and the
shopper can buy that many now and the rest once the next lot is current (it becomes
current as soon as this one is sold out). Real shops cap a line at the stock they can
ship from one batch in the same way.

Releasing (cancellation, an approved return) gives a line's units back to its lot once:
the line records when it was released, under a row lock.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction
from django.db.models import F, Sum
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from traceability.availability import (
    REASON_CHAIN_BROKEN,
    REASON_CHAIN_UNVERIFIED,
    REASON_SOLD_OUT,
    SaleStatus,
    sale_status_for,
)
from traceability.models import Lot
from traceability.verification import verify_all

Line = get_model("order", "Line")
StockRecord = get_model("partner", "StockRecord")

#: Sent after commit when units left change. ``product_ids``: whose stock changed;
#: ``flipped``: those whose sellability changed (sold out, or back on sale).
stock_changed = Signal()


class NotAllocated(Exception):
    """The order cannot be given the units it asks for; ``message`` says why in plain words."""

    def __init__(self, message: str, *, product_id: int | None = None, broken=()):
        super().__init__(message)
        self.message = message
        self.product_id = product_id
        self.broken = list(broken)


def check(*, product_ids, now=None) -> dict[int, SaleStatus]:
    """Sale status per product id (current lot and, if it cannot be sold, why not)."""
    return sale_status_for(list(product_ids), now=now)


def units_left(status: SaleStatus) -> int:
    """How many units one order line can take now: what is left in the current lot."""
    return status.lot.quantity if status.can_sell and status.lot is not None else 0


def sold_out_message(title: str) -> str:
    return _("很抱歉，“%(title)s”已经卖完了。请把它从购物车中删除后再下单。") % {"title": title}


def short_message(title: str, left: int) -> str:
    return _("“%(title)s”现在只剩 %(left)s 件，请把数量改为 %(left)s 件以内再下单。") % {
        "title": title, "left": left}


def _lock(product_ids: list[int]) -> None:
    """Lock every lot, then every stock record, of these products, each in primary-key order."""
    list(Lot.objects.select_for_update().filter(product_id__in=product_ids).order_by("pk").only("pk"))
    list(StockRecord.objects.select_for_update().filter(product_id__in=product_ids).order_by("pk").only("pk"))


def _verify_chains(statuses: dict[int, SaleStatus], titles: dict[int, str]) -> None:
    """Re-verify the chain of every lot about to be sold from; refuse if one is broken.

    An intact chain that was intact writes nothing. A broken one is handed back on the
    exception (``broken``) so the caller records it after the order's transaction has
    rolled back, or the finding would be rolled back with it.
    """
    lots = sorted((status.lot for status in statuses.values() if status.can_sell), key=lambda lot: lot.pk)
    if not lots:
        return
    reports = verify_all([lot.code for lot in lots], record=False)
    broken = [(lot, report) for lot, report in zip(lots, reports, strict=True) if not report.intact]
    if broken:
        lot, report = broken[0]
        reason = REASON_CHAIN_BROKEN if getattr(report, "broken", True) else REASON_CHAIN_UNVERIFIED
        raise NotAllocated(f"“{titles[lot.product_id]}”：{reason}", product_id=lot.product_id, broken=broken)


def record_broken(error: NotAllocated) -> None:
    """Store the broken chains an allocation found (call outside the rolled-back transaction)."""
    from traceability.chain import record_verification

    for lot, report in error.broken:
        record_verification(lot, report)


def sync_stock_records(product_ids) -> None:
    """Make each stock record's ``num_in_stock`` the units left in its merchant's lots."""
    left = defaultdict(int)
    rows = (Lot.objects.filter(product_id__in=product_ids, status=Lot.ACTIVE)
            .values("product_id", "merchant_id").annotate(units=Sum("quantity")))
    for row in rows:
        left[(row["product_id"], row["merchant_id"])] = row["units"] or 0
    records = StockRecord.objects.filter(product_id__in=product_ids).only("pk", "product_id", "partner_id",
                                                                          "num_in_stock")
    for record in records:
        units = left[(record.product_id, record.partner_id)]
        if record.num_in_stock != units:
            # Through the base manager: a stock count is not a storefront change by itself;
            # stock_changed says what changed.
            StockRecord._base_manager.filter(pk=record.pk).update(num_in_stock=units)


def _flipped(product_ids, before: dict[int, bool]) -> set[int]:
    """Those of these products whose sellability now differs from ``before``."""
    after = sale_status_for(list(product_ids))
    return {pk for pk in product_ids if before.get(pk) != after[pk].can_sell}


def _announce(product_ids, flipped: set[int]) -> None:
    ids = set(product_ids)
    transaction.on_commit(lambda: stock_changed.send(sender=Lot, product_ids=ids, flipped=flipped))


@transaction.atomic
def allocate(*, order) -> None:
    """Take every line's units from its product's current lot and record the lot on the line.

    Must run inside the transaction that creates the order, so a refusal (``NotAllocated``)
    rolls the whole order back.
    """
    lines = list(order.lines.select_related("product").order_by("pk"))
    product_ids = sorted({line.product_id for line in lines})
    if not product_ids:
        return
    _lock(product_ids)
    statuses = sale_status_for(product_ids)
    _verify_chains(statuses, {line.product_id: line.title or line.product.get_title() for line in lines})

    wanted: dict[int, int] = defaultdict(int)
    for line in lines:
        status = statuses[line.product_id]
        title = line.title or line.product.get_title()
        if not status.can_sell:
            if status.reason == str(REASON_SOLD_OUT):
                raise NotAllocated(sold_out_message(title), product_id=line.product_id)
            raise NotAllocated(f"“{title}”：{status.reason}", product_id=line.product_id)
        wanted[status.lot.pk] += line.quantity
        if wanted[status.lot.pk] > status.lot.quantity:
            raise NotAllocated(short_message(title, status.lot.quantity), product_id=line.product_id)

    for lot_id, units in sorted(wanted.items()):
        Lot._base_manager.filter(pk=lot_id).update(quantity=F("quantity") - units)
    for line in lines:
        Line._default_manager.filter(pk=line.pk).update(lot=statuses[line.product_id].lot)
        line.lot = statuses[line.product_id].lot
    sync_stock_records(product_ids)
    # Only a product whose current lot was just emptied can have stopped selling (unless another
    # lot takes over): the sale rule is read again for those alone, usually none.
    emptied = [pk for pk in product_ids if statuses[pk].lot.quantity == wanted[statuses[pk].lot.pk]]
    _announce(product_ids, _flipped(emptied, {pk: True for pk in emptied}))


def _give_back(lines) -> None:
    """Return the units of these (locked, unreleased) lines to their lots."""
    product_ids = sorted({line.product_id for line in lines})
    before = {pk: status.can_sell for pk, status in sale_status_for(product_ids).items()}
    units: dict[int, int] = defaultdict(int)
    for line in lines:
        units[line.lot_id] += line.quantity
    _lock(product_ids)
    for lot_id, count in sorted(units.items()):
        Lot._base_manager.filter(pk=lot_id).update(quantity=F("quantity") + count)
    Line._default_manager.filter(pk__in=[line.pk for line in lines]).update(lot_released_at=timezone.now())
    sync_stock_records(product_ids)
    _announce(product_ids, _flipped(product_ids, before))


def _release(line_query) -> int:
    with transaction.atomic():
        lines = list(
            line_query.select_for_update().filter(lot__isnull=False, lot_released_at__isnull=True)
            .order_by("pk").only("pk", "product_id", "lot_id", "quantity")
        )
        if lines:
            _give_back(lines)
        return sum(line.quantity for line in lines)


def release(*, line) -> None:
    """Give one line's units back to its lot. A second call gives nothing back."""
    _release(Line._default_manager.filter(pk=line.pk))


def release_order(*, order) -> None:
    """Give every line's units back to their lots, once."""
    _release(Line._default_manager.filter(order_id=order.pk))


__all__ = ["NotAllocated", "SaleStatus", "allocate", "check", "record_broken", "release", "release_order",
           "stock_changed", "units_left"]
