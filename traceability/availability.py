"""Whether a SKU may be sold, and why not (DEVELOPERS.md: "A SKU without both cannot be bought").

A product can be bought only if all of these hold:
- it has a current lot: active, not expired, with a chain that verified intact;
- its merchant has a quality commitment in force;
- none of its catalogue listings is suspended or exited.

``sale_status_for`` answers for many products in a fixed number of queries, so listing,
basket and checkout pages do not grow with the number of products they show.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import CatalogueListing
from traceability.models import Lot, QualityCommitment

REASON_NO_LOT = _("该商品暂无可追溯的在售批次，暂时不能购买。")
REASON_CHAIN_UNVERIFIED = _("该商品批次的追溯记录尚未完成校验，暂时不能购买。")
REASON_CHAIN_BROKEN = _("该商品的追溯记录未通过完整性校验，已暂停销售。")
REASON_NO_COMMITMENT = _("商家尚未作出有效的质量承诺，暂时不能购买。")
REASON_LISTING_SUSPENDED = _("该商品已被监管部门暂停推荐目录资格，暂停销售。")
REASON_LISTING_EXITED = _("该商品已退出推荐目录，停止销售。")
REASON_LOT_SUSPENDED = _("该商品当前批次已被暂停销售。")
REASON_LOT_RECALLED = _("该商品当前批次已被召回，停止销售。")
REASON_SOLD_OUT = _("该商品已经卖完了。")


@dataclass(frozen=True)
class SaleStatus:
    lot: Lot | None
    reason: str = ""

    @property
    def can_sell(self) -> bool:
        return not self.reason


def _unexpired_lots(product_ids, now):
    return Lot.objects.filter(product_id__in=product_ids).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate(now)))


def _could_be_current(product_ids, now):
    """The lots a sale could draw from (active, unexpired, chain intact, stock left), each
    annotated with whether its merchant has a commitment in force. The newest of a product's
    (by production date, then id) is its current lot."""
    return (
        _unexpired_lots(product_ids, now)
        .filter(status=Lot.ACTIVE, chain_status=Lot.CHAIN_INTACT, quantity__gt=0)
        .annotate(merchant_committed=Exists(
            QualityCommitment.objects.filter(merchant_id=OuterRef("merchant_id"), effective_from__lte=now)))
    )


def _current_lots(product_ids, now) -> dict[int, Lot]:
    """Each product's current lot, the one a sale draws from: the newest active, unexpired lot
    with an intact chain and stock left, annotated with whether its merchant has a commitment in
    force. One row per product, however many lots it has had."""
    newest_first = Window(RowNumber(), partition_by=[F("product_id")],
                          order_by=[F("produced_on").desc(), F("id").desc()])
    lots = (_could_be_current(product_ids, now).select_related("commitment")
            .annotate(newest=newest_first).filter(newest=1))
    return {lot.product_id: lot for lot in lots}


def _lot_states(product_ids, now) -> dict[int, set[tuple[str, str]]]:
    """The (status, chain status) pairs among each product's unexpired lots: enough to say why a
    product without a current lot cannot be sold."""
    states: dict[int, set[tuple[str, str]]] = {pk: set() for pk in product_ids}
    rows = _unexpired_lots(product_ids, now).values_list("product_id", "status", "chain_status").distinct()
    for product_id, status, chain_status in rows:
        states[product_id].add((status, chain_status))
    return states


def commitment_in_force(merchant, *, now=None) -> QualityCommitment | None:
    """The merchant's newest commitment version already in effect."""
    return (
        QualityCommitment.objects.filter(merchant=merchant, effective_from__lte=now or timezone.now())
        .order_by("-version")
        .first()
    )


def blocking_listings(product_ids) -> dict[int, CatalogueListing]:
    listings = CatalogueListing.objects.filter(product_id__in=product_ids).exclude(status=CatalogueListing.LISTED)
    blocked: dict[int, CatalogueListing] = {}
    for listing in listings.order_by("status_changed_at"):
        blocked[listing.product_id] = listing
    return blocked


def _lot_reason(states: set[tuple[str, str]]) -> str:
    if not states:
        return str(REASON_NO_LOT)
    statuses = {status for status, _chain in states}
    if Lot.ACTIVE not in statuses:
        return str(REASON_LOT_RECALLED if Lot.RECALLED in statuses else REASON_LOT_SUSPENDED)
    active = {chain for status, chain in states if status == Lot.ACTIVE}
    if Lot.CHAIN_BROKEN in active:
        return str(REASON_CHAIN_BROKEN)
    if active <= {Lot.CHAIN_UNVERIFIED, Lot.CHAIN_AWAITING}:
        return str(REASON_CHAIN_UNVERIFIED)
    if Lot.CHAIN_INTACT in active:
        return str(REASON_SOLD_OUT)  # every intact active lot has been sold to the last unit
    return str(REASON_NO_LOT)


def sale_status_for(product_ids, *, now=None) -> dict[int, SaleStatus]:
    """Sale status for each product id: two queries whatever their number and however many lots
    each has had, and a third only when some product has no current lot (to say why)."""
    product_ids = list(product_ids)
    if not product_ids:
        return {}
    now = now or timezone.now()
    current = _current_lots(product_ids, now)
    blocked = blocking_listings(product_ids)
    without_lot = [pk for pk in product_ids if pk not in current and pk not in blocked]
    states = _lot_states(without_lot, now) if without_lot else {}

    statuses: dict[int, SaleStatus] = {}
    for product_id in product_ids:
        lot = current.get(product_id)
        listing = blocked.get(product_id)
        if listing is not None:
            reason = REASON_LISTING_EXITED if listing.status == CatalogueListing.EXITED else REASON_LISTING_SUSPENDED
            statuses[product_id] = SaleStatus(lot, str(reason))
        elif lot is None:
            statuses[product_id] = SaleStatus(None, _lot_reason(states[product_id]))
        elif not lot.merchant_committed:
            statuses[product_id] = SaleStatus(lot, str(REASON_NO_COMMITMENT))
        else:
            statuses[product_id] = SaleStatus(lot)
    return statuses


def sellable(product_ids, *, now=None) -> set[int]:
    """The products among these that can be sold now: the same answer as ``sale_status_for``
    (``can_sell``), for listings that need only yes or no. One plain read and no model
    instances: the current lot is picked in Python from the few lots that could be it (each
    row saying whether its merchant's commitment is in force and whether the product has a
    listing suspended or exited), so no window query is built and nothing else is loaded."""
    product_ids = list(product_ids)
    if not product_ids:
        return set()
    now = now or timezone.now()
    candidates = (
        _could_be_current(product_ids, now)
        .annotate(blocked=Exists(CatalogueListing.objects.filter(product_id=OuterRef("product_id"))
                                 .exclude(status=CatalogueListing.LISTED)))
        .values_list("product_id", "produced_on", "id", "merchant_committed", "blocked")
    )
    newest: dict[int, tuple] = {}  # product id -> (produced_on, lot id, sellable) of its current lot
    for product_id, produced_on, lot_id, committed, blocked in candidates:
        if product_id not in newest or (produced_on, lot_id) > newest[product_id][:2]:
            newest[product_id] = (produced_on, lot_id, committed and not blocked)
    return {pk for pk, (_, _, can_sell) in newest.items() if can_sell}


def sale_status(product, *, now=None) -> SaleStatus:
    return sale_status_for([product.pk], now=now)[product.pk]
