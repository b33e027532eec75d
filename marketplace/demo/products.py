"""What a demo product is, and the whole demo catalogue assembled from its families.

Families (``goods.py``, ``regional.py``) yield drafts; ``build_product_specs`` numbers
them per merchant, so GTINs and SKUs are stable as long as the families are. Every
product is keyed by its UPC, which is also the GTIN-14 its lots carry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from marketplace.demo import goods, regional
from marketplace.demo.merchants import MERCHANTS
from traceability.gtin import make_gtin14

# The demo lot whose chain is deliberately broken (see seed.py).
BROKEN_LOT_SKU = "FS-0001"


@dataclass(frozen=True)
class Listing:
    catalogue: str
    certificate_number: str
    listed_on: date


@dataclass(frozen=True)
class ProductSpec:
    upc: str
    sku: str
    merchant: str
    product_class: str
    category: str
    title: str
    title_en: str
    description: str
    price: Decimal
    stock: int
    attributes: dict
    trace: str  # "ginseng", "antler" or "goods": which event chain its lots get (trace.py)
    trace_info: dict = field(default_factory=dict)
    origin_region: str = ""
    county: str = ""
    gi_marks: tuple[str, ...] = ()
    listings: tuple[Listing, ...] = ()
    shelf_life_days: int | None = None


def company_prefix(gs1_prefix: str) -> str:
    """The merchant's demo GS1 company prefix: 692 (GS1 China) and its two digits."""
    return f"692{gs1_prefix}"


def gtin_for(gs1_prefix: str, number: int) -> str:
    """GTIN-14 under the demo company prefix 692 <merchant> (a GTIN-13 left-padded with 0)."""
    return make_gtin14(f"0{company_prefix(gs1_prefix)}{number:07d}")


def build_product_specs() -> list[ProductSpec]:
    merchants = {merchant["code"]: merchant for merchant in MERCHANTS}
    counters = dict.fromkeys(merchants, 0)
    specs = []
    for draft in [*regional.drafts(), *goods.drafts()]:
        merchant = merchants[draft["merchant"]]
        counters[merchant["code"]] += 1
        number = counters[merchant["code"]]
        listings = tuple(Listing(*listing) for listing in draft.pop("listings", ()))
        specs.append(
            ProductSpec(
                upc=gtin_for(merchant["gs1_prefix"], number),
                sku=f"{merchant['sku_prefix']}-{number:04d}",
                listings=listings,
                **draft,
            )
        )
    return specs
