"""What the search index holds for each product, built for many products at once.

``build_documents`` reads everything in a fixed number of queries whatever the number of
products (product rows, categories, stock records, live listings, GI marks, attribute
values, merchants and the sale status from ``traceability.availability``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.models import CatalogueListing
from search import analysis
from traceability.availability import sale_status_for

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")

# Attribute values shoppers search by (what a thing is, how it is made, where it is from).
SEARCHED_ATTRIBUTES = ("aid_type", "device_type", "care_type", "processing", "cultivation", "species",
                       "origin_county", "health_function")
ADMIN_UNIT = re.compile(r"[^省市县区旗盟州]+[省市县区旗盟州]")
CATALOGUE_SHORT_NAMES = {
    CatalogueListing.ELDER_PRODUCTS: "老年用品推广目录",
    CatalogueListing.SMART_HEALTH: "智慧健康养老推广目录",
    CatalogueListing.JIZHI_JIPIN: "吉致吉品",
}


def county_of(origin_region: str) -> str:
    """抚松 from 吉林省白山市抚松县; 集安 from 吉林省通化市集安市."""
    units = ADMIN_UNIT.findall(origin_region or "")
    if len(units) < 2:
        return ""
    last = units[-1]
    return last[:-1] if len(last) > 2 else last


@dataclass
class Document:
    product_id: int
    title: str
    title_en: str
    tokens: dict
    category_paths: list[str]
    category_names: list[str]
    merchant_id: int | None
    merchant_name: str
    origin: str
    catalogues: list[str]
    price: Decimal | None
    in_stock: bool
    can_buy: bool
    created: object
    base_name: str = ""
    extra: dict = field(default_factory=dict)

    def row(self) -> dict:
        return {
            "product_id": self.product_id,
            "title": self.title[:255],
            "title_length": len(self.title),
            "tokens": analysis.joined(self.tokens, ("t", "m", "d", "p", "i")),
            "rank_text": analysis.joined(self.tokens, analysis.RANK_NAMESPACES),
            "category_paths": f" {' '.join(self.category_paths)} " if self.category_paths else "",
            "merchant_id": self.merchant_id,
            "origin": self.origin,
            "catalogues": f" {' '.join(self.catalogues)} " if self.catalogues else "",
            "price": self.price,
            "in_stock": self.in_stock,
            "can_buy": self.can_buy,
            "created": self.created,
            "updated_at": timezone.now(),
        }


def indexable(product_ids=None):
    """Products the storefront lists: public, standalone or parent."""
    products = Product.objects.browsable().filter(is_public=True)
    return products if product_ids is None else products.filter(pk__in=list(product_ids))


def _categories() -> dict[int, Category]:
    return {c.pk: c for c in Category.objects.all()}


def _ancestor_paths(path: str, steplen: int) -> list[str]:
    return [path[:i] for i in range(steplen, len(path) + 1, steplen)]


def build_documents(product_ids) -> list[Document]:
    rows = list(indexable(product_ids).values(
        "pk", "title", "title_en", "upc", "description", "origin_region", "date_created"))
    ids = [row["pk"] for row in rows]
    if not ids:
        return []
    categories = _categories()
    by_path = {c.path: c for c in categories.values()}
    steplen = Category.steplen
    product_categories: dict[int, list[Category]] = {}
    for product_id, category_id in ProductCategory.objects.filter(product_id__in=ids).order_by("pk").values_list(
            "product_id", "category_id"):
        if category_id in categories:
            product_categories.setdefault(product_id, []).append(categories[category_id])
    stock: dict[int, dict] = {}
    for record in StockRecord.objects.filter(product_id__in=ids).order_by("pk").values(
            "product_id", "partner_id", "partner_sku", "price", "num_in_stock", "num_allocated"):
        stock.setdefault(record["product_id"], record)
    partners = dict(Partner.objects.filter(pk__in={r["partner_id"] for r in stock.values()}).values_list("pk", "name"))
    listings: dict[int, list[str]] = {}
    for product_id, catalogue in CatalogueListing.objects.filter(
            product_id__in=ids, status=CatalogueListing.LISTED).order_by("catalogue").values_list(
            "product_id", "catalogue"):
        listings.setdefault(product_id, []).append(catalogue)
    marks: dict[int, list[str]] = {}
    through = Product.gi_marks.through
    for product_id, name in through.objects.filter(product_id__in=ids).values_list(
            "product_id", "geographicalindication__name"):
        marks.setdefault(product_id, []).append(name)
    attributes: dict[int, list[str]] = {}
    for product_id, text, option in ProductAttributeValue.objects.filter(
            product_id__in=ids, attribute__code__in=SEARCHED_ATTRIBUTES).filter(
            Q(value_text__isnull=False) | Q(value_option__isnull=False)).values_list(
            "product_id", "value_text", "value_option__option"):
        attributes.setdefault(product_id, []).append(text or option or "")
    statuses = sale_status_for(ids)

    documents = []
    for row in rows:
        pk = row["pk"]
        cats = product_categories.get(pk, [])
        paths = sorted({c.path for c in cats})
        names = []
        for path in paths:
            names += [by_path[p].name for p in _ancestor_paths(path, steplen) if p in by_path]
        names += [by_path[p].name_en for path in paths for p in _ancestor_paths(path, steplen)
                  if p in by_path and by_path[p].name_en]
        record = stock.get(pk)
        in_stock = bool(record) and (record["num_in_stock"] or 0) - (record["num_allocated"] or 0) > 0
        status = statuses.get(pk)
        live = listings.get(pk, [])
        origin = county_of(row["origin_region"])
        merchant_name = partners.get(record["partner_id"], "") if record else ""
        meta = [merchant_name, origin, row["origin_region"], *marks.get(pk, []),
                *(CATALOGUE_SHORT_NAMES[c] for c in live), *attributes.get(pk, [])]
        codes = [row["upc"] or "", record["partner_sku"] if record else ""]
        documents.append(Document(
            product_id=pk, title=row["title"], title_en=row["title_en"],
            tokens=analysis.document_tokens(title=row["title"], title_en=row["title_en"], codes=codes,
                                            kinds=list(dict.fromkeys(names)), meta=meta,
                                            description=row["description"] or ""),
            category_paths=paths, category_names=list(dict.fromkeys(names)),
            merchant_id=record["partner_id"] if record else None, merchant_name=merchant_name,
            origin=origin, catalogues=live, price=record["price"] if record else None, in_stock=in_stock,
            can_buy=bool(status and status.can_sell) and in_stock, created=row["date_created"],
            base_name=(row["title"] or "").split()[0] if (row["title"] or "").split() else "",
        ))
    return documents
