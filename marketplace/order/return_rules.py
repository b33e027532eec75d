"""Which goods the 7-day no-reason return (七日无理由退货) does not cover once opened.

消费者权益保护法 第二十五条 and 网络购买商品七日无理由退货暂行办法 (2017) 第七条: goods
whose opening affects safety or health (food, health food, medical devices with a
broken one-time seal) may be excluded only if the shopper confirmed it at checkout, in a
prominent step. Here that is decided by product class; the confirm step asks for the
confirmation and the return request refuses opened goods with this reason.
"""

from django.utils.translation import gettext_lazy as _

RETURN_DAYS = 7

EXCLUDED_ONCE_OPENED = {
    "health-food": _("保健食品属于食品，拆封后会影响安全和健康，拆封后不能七日无理由退货。"),
    "ginseng": _("人参属于食品，拆封后会影响安全和健康，拆封后不能七日无理由退货。"),
    "deer-antler": _("鹿茸属于食品，拆封后会影响安全和健康，拆封后不能七日无理由退货。"),
    "smart-health-devices": _("血压计、血糖仪、助听器等医疗器械的一次性密封包装拆开后，不能七日无理由退货。"),
}


def exclusion_reason(product) -> str:
    """Why this product cannot be returned without reason once opened; "" when it can."""
    product_class = product.get_product_class()
    reason = EXCLUDED_ONCE_OPENED.get(getattr(product_class, "slug", ""))
    return str(reason) if reason else ""


def excluded_items(products) -> list[tuple[object, str]]:
    """(product, reason) for each product in ``products`` that needs the confirmation."""
    items = []
    for product in products:
        reason = exclusion_reason(product)
        if reason:
            items.append((product, reason))
    return items
