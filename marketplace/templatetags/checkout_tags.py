from django import template

from marketplace.checkout.shipping import courier

register = template.Library()


@register.simple_tag
def delivery_estimate(basket) -> dict:
    """The delivery charge and the total to pay, shown on the basket before checkout (明码标价)."""
    charge = courier().calculate(basket).incl_tax
    return {"name": courier().name, "charge": charge, "total": basket.total_incl_tax + charge}


@register.simple_tag
def order_summary(order) -> dict:
    """Who sold each line, its lot and trace link, delivery and return status (marketplace.order.summary)."""
    from marketplace.order.summary import order_summary as summarise

    return summarise(order=order)


@register.simple_tag
def basket_merchants(basket) -> dict:
    """Each basket line's merchant name, in one query whatever the number of lines."""
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    ids = {line.stockrecord_id for line in basket.all_lines() if line.stockrecord_id}
    names = dict(StockRecord.objects.filter(pk__in=ids).values_list("pk", "partner__name"))
    return {line.pk: names.get(line.stockrecord_id, "") for line in basket.all_lines()}


@register.simple_tag
def merchant_of(merchants: dict, line_pk) -> str:
    return merchants.get(line_pk, "")
