"""Screening every listed product again, after the lexicon has changed.

A product is screened when its text is saved; a term a platform admin adds later reaches
products already on sale only through here (``manage.py rescreen_claims``). The check is
``screening.screen_product``, the same as on save. A product with findings can be taken
off sale (``is_public``); its text is left as the merchant wrote it, for the merchant to
mend in the workspace, where the form shows each term and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from oscar.core.loading import get_model

from marketplace.claims.screening import Finding, forget_lexicon, screen_product

Product = get_model("catalogue", "Product")


@dataclass(frozen=True)
class Flagged:
    product: object
    findings: list[Finding]


def flagged_products(*, products=None) -> tuple[int, list[Flagged]]:
    """(how many products were checked, those with findings) against the current lexicon."""
    forget_lexicon()  # read the lexicon as it is now, not as another process cached it
    products = products if products is not None else Product.objects.all()
    checked, flagged = 0, []
    # Attribute values come with each chunk of products (Oscar's prefetch), not a query per product.
    products = products.select_related("product_class", "parent").prefetch_attribute_values().order_by("pk")
    for product in products.iterator(chunk_size=200):
        checked += 1
        findings = screen_product(product=product)
        if findings:
            flagged.append(Flagged(product=product, findings=findings))
    return checked, flagged


def take_off_sale(*, flagged: list[Flagged]) -> list:
    """Unpublish the flagged products still public; the products taken off sale."""
    taken = []
    with transaction.atomic():
        for row in flagged:
            product = Product.objects.select_for_update().get(pk=row.product.pk)
            if product.is_public:
                product.is_public = False
                product.save(update_fields=["is_public"])
                taken.append(product)
    return taken
