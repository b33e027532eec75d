"""Campaign offers: their conditions in plain words, the unit price they give, and keeping
their validity in step with the campaign that owns them.

The price shown on a campaign page must be the price the basket charges, so
``unit_offer_price`` follows Oscar's own benefit arithmetic (discounts rounded down to the
fen, as ``Benefit.round`` does); tests/cms/test_offers.py checks it against Oscar's
Applicator on a real basket.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

ConditionalOffer = get_model("offer", "ConditionalOffer")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")

FEN = Decimal("0.01")


def _money(amount) -> str:
    amount = Decimal(amount)
    return f"¥{amount.quantize(FEN)}" if amount != amount.to_integral() else f"¥{amount.quantize(Decimal('1'))}"


def _plain_number(value: Decimal) -> str:
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _range_name(range_) -> str:
    if range_ is None or range_.includes_all_products:
        return _("全场商品")
    return range_.name


def describe_condition(condition) -> str:
    value = condition.value or Decimal("0")
    name = _range_name(condition.range)
    if condition.type == Condition.COUNT:
        if value <= 1:
            return _("购买「%(range)s」中的任意商品") % {"range": name}
        return _("购买「%(range)s」中的商品满%(count)s件") % {"range": name, "count": int(value)}
    if condition.type == Condition.VALUE:
        return _("购买「%(range)s」中的商品满%(amount)s") % {"range": name, "amount": _money(value)}
    if condition.type == Condition.COVERAGE:
        return _("购买「%(range)s」中%(count)s种不同的商品") % {"range": name, "count": int(value)}
    return condition.description


def describe_benefit(benefit) -> str:
    value = benefit.value or Decimal("0")
    if benefit.type == Benefit.PERCENTAGE:
        percent = min(value, Decimal("100"))
        return _("这些商品减价%(percent)s%%（打%(zhe)s折）") % {
            "percent": _plain_number(percent), "zhe": _plain_number((Decimal("100") - percent) / 10)}
    if benefit.type == Benefit.FIXED:
        return _("立减%(amount)s") % {"amount": _money(value)}
    if benefit.type == Benefit.FIXED_UNIT:
        return _("每件立减%(amount)s") % {"amount": _money(value)}
    if benefit.type == Benefit.FIXED_PRICE:
        return _("这些商品合计只需%(amount)s") % {"amount": _money(value)}
    if benefit.type == Benefit.MULTIBUY:
        return _("其中最便宜的一件免费")
    return benefit.description


def describe_offer(offer, *, voucher=None) -> list[str]:
    """The offer's real conditions, one plain sentence per line."""
    lines = [_("%(condition)s，%(benefit)s。") % {
        "condition": describe_condition(offer.condition), "benefit": describe_benefit(offer.benefit),
    }]
    if offer.start_datetime and offer.end_datetime:
        lines.append(_("活动时间：%(start)s 至 %(end)s。") % {
            "start": _when(offer.start_datetime), "end": _when(offer.end_datetime)})
    if offer.max_basket_applications:
        lines.append(_("每个订单最多优惠%(count)s次。") % {"count": offer.max_basket_applications})
    if offer.max_user_applications:
        lines.append(_("每人最多使用%(count)s次。") % {"count": offer.max_user_applications})
    if voucher is not None:
        lines.append(_("结算时填写优惠码 %(code)s 即可使用。") % {"code": voucher.code})
        if voucher.usage == voucher.SINGLE_USE:
            lines.append(_("优惠码只能使用一次。"))
        elif voucher.usage == voucher.ONCE_PER_CUSTOMER:
            lines.append(_("每位顾客只能使用一次。"))
    lines.append(_("优惠在购物车里自动计算，以结算页金额为准。"))
    return lines


def _round_down(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_DOWN)


def unit_offer_price(price: Decimal, offer) -> Decimal | None:
    """The price of one unit bought on its own under ``offer``, or None when buying one unit
    alone does not meet the condition or the benefit has no per-unit price."""
    condition, benefit = offer.condition, offer.benefit
    value = condition.value or Decimal("0")
    single_unit_qualifies = (
        (condition.type in (Condition.COUNT, Condition.COVERAGE) and value <= 1)
        or (condition.type == Condition.VALUE and value <= price)
    )
    if not single_unit_qualifies:
        return None
    amount = benefit.value or Decimal("0")
    if benefit.type == Benefit.PERCENTAGE:
        discount = _round_down(min(amount, Decimal("100")) / Decimal("100") * price)
    elif benefit.type in (Benefit.FIXED, Benefit.FIXED_UNIT):
        discount = _round_down(min(amount, price))
    elif benefit.type == Benefit.FIXED_PRICE:
        discount = _round_down(max(price - amount, Decimal("0")))
    else:
        return None
    return price - discount


def product_ids_in_offer(offer, product_ids) -> set[int]:
    """Which of these products both the condition's and the benefit's ranges take in."""
    ids = set(product_ids)
    for range_ in {offer.condition.range, offer.benefit.range}:
        if range_ is None:
            return set()
        if not range_.includes_all_products or range_.excluded_products.exists():
            ids &= set(range_.all_products().filter(pk__in=ids).values_list("pk", flat=True))
    return ids


def best_unit_prices(offers, prices: dict[int, Decimal]) -> dict[int, Decimal]:
    """For each product, the lowest unit price one of these offers gives (offers that do not
    reach a product leave it out)."""
    best: dict[int, Decimal] = {}
    for offer in offers:
        for product_id in product_ids_in_offer(offer, prices):
            offer_price = unit_offer_price(prices[product_id], offer)
            if offer_price is not None and offer_price < best.get(product_id, prices[product_id]):
                best[product_id] = offer_price
    return best


def sync_offers(*, offers, starts_at, ends_at, live: bool) -> None:
    """Give the campaign's offers its window; suspend them while the campaign is not published."""
    for offer in offers:
        offer.start_datetime, offer.end_datetime = starts_at, ends_at
        if live and offer.status == ConditionalOffer.SUSPENDED:
            offer.status = ConditionalOffer.OPEN
        elif not live:
            offer.status = ConditionalOffer.SUSPENDED
        offer.save()
