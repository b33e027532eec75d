"""Write the demo data. Safe to run again: every object is keyed and only missing ones are written.

Keys: categories by slug, merchants by partner code, commitments by (merchant, version),
products by UPC (their GTIN-14), stock records by (merchant, SKU), listings by
(product, catalogue), lots by product (a product that has a lot gets no new one), images
by product, users by email, pages by locale and slug. Nothing that exists is rewritten.

Validation runs on everything written: ``Partner.full_clean()`` (credit code, phone,
food licence) and ``Product.clean()`` (required attributes and ``catalog/rules.py``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from oscar.core.loading import get_model

from catalog.models import CatalogueListing, GeographicalIndication
from marketplace.demo import images, trace
from marketplace.demo.accounts import ensure_demo_logins
from marketplace.demo.categories import CATEGORY_TREE
from marketplace.demo.merchants import COMMITMENTS, GEOGRAPHICAL_INDICATIONS, MERCHANTS
from marketplace.demo.pages import ensure_pages
from marketplace.demo.products import BROKEN_LOT_SKU, build_product_specs, company_prefix
from marketplace.family.demo import ensure_demo_family
from traceability import chain
from traceability.models import Lot, QualityCommitment, TraceEvent
from traceability.transparency import log as transparency_log

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
AttributeOption = get_model("catalogue", "AttributeOption")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

BATCH = 500


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    logins: list[tuple[str, str]] = field(default_factory=list)
    broken_lots: list[str] = field(default_factory=list)


def seed_demo(*, demo_mode: bool | None = None, with_images: bool = True) -> SeedReport:
    report = SeedReport()
    demo_mode = settings.DEMO_MODE if demo_mode is None else demo_mode
    with transaction.atomic():
        gi_marks = ensure_geographical_indications(report)
        categories = ensure_categories(report)
        partners = ensure_merchants(report)
        commitments = ensure_commitments(partners, report)
        specs = build_product_specs()
        products = ensure_products(specs, categories=categories, gi_marks=gi_marks, report=report)
        ensure_stockrecords(specs, products=products, partners=partners, report=report)
        ensure_listings(specs, products=products, report=report)
        lots = ensure_lots(specs, products=products, partners=partners, commitments=commitments, report=report)
        for lot in lots:
            if not chain.verify_and_record(lot).intact:
                report.broken_lots.append(lot.code)
        if with_images:
            ensure_images(specs, products=products, report=report)
    ensure_pages()
    if demo_mode:
        report.logins = ensure_demo_logins(partners=partners)
        ensure_demo_family()
    return report


def ensure_geographical_indications(report: SeedReport) -> dict[str, GeographicalIndication]:
    existing = {gi.name: gi for gi in GeographicalIndication.objects.all()}
    for row in GEOGRAPHICAL_INDICATIONS:
        if row["name"] not in existing:
            existing[row["name"]] = GeographicalIndication.objects.create(**row)
            report.created["geographical indications"] += 1
    return existing


def ensure_categories(report: SeedReport) -> dict[str, Category]:
    by_slug = {category.slug: category for category in Category.objects.all()}
    for slug, name, name_en, children in CATEGORY_TREE:
        parent = by_slug.get(slug)
        if parent is None:
            parent = by_slug[slug] = Category.add_root(name=name, name_en=name_en, slug=slug)
            report.created["categories"] += 1
        for child_slug, child_name, child_name_en in children:
            if child_slug not in by_slug:
                parent = Category.objects.get(pk=parent.pk)  # treebeard needs the parent's current path
                by_slug[child_slug] = parent.add_child(name=child_name, name_en=child_name_en, slug=child_slug)
                report.created["categories"] += 1
    return by_slug


def ensure_merchants(report: SeedReport) -> dict[str, Partner]:
    partners = {partner.code: partner for partner in Partner.objects.filter(code__in=[m["code"] for m in MERCHANTS])}
    for row in MERCHANTS:
        prefix = company_prefix(row["gs1_prefix"])
        if row["code"] in partners:
            if not partners[row["code"]].gs1_company_prefix:  # seeded before merchants had prefixes
                Partner.objects.filter(pk=partners[row["code"]].pk).update(gs1_company_prefix=prefix)
                partners[row["code"]].gs1_company_prefix = prefix
            continue
        fields = {key: value for key, value in row.items() if key not in ("sku_prefix", "gs1_prefix")}
        partner = Partner(**fields, gs1_company_prefix=prefix)
        partner.full_clean()
        partner.save()
        partners[row["code"]] = partner
        report.created["merchants"] += 1
    return partners


def ensure_commitments(partners, report: SeedReport) -> dict[str, QualityCommitment]:
    in_force = {}
    effective = timezone.now() - timedelta(days=90)
    for code, partner in partners.items():
        commitment = partner.quality_commitments.order_by("-version").first()
        if commitment is None:
            commitment = QualityCommitment.objects.create(
                merchant=partner, version=1, effective_from=effective, created_at=effective, **COMMITMENTS[code]
            )
            report.created["quality commitments"] += 1
        in_force[code] = commitment
    return in_force


def class_attributes() -> tuple[dict, dict, dict]:
    """Product classes by slug, their attributes by (class id, code), and options by (group id, text)."""
    classes = {pc.slug: pc for pc in ProductClass.objects.all()}
    attributes = {(a.product_class_id, a.code): a for a in ProductAttribute.objects.all()}
    options = {(o.group_id, o.option): o for o in AttributeOption.objects.all()}
    return classes, attributes, options


def build_product(spec, *, classes, attributes, options) -> tuple[Product, list[tuple]]:
    """An unsaved product with its attributes set, checked by ``Product.clean()``."""
    product_class = classes[spec.product_class]
    product = Product(
        structure=Product.STANDALONE, product_class=product_class, title=spec.title, title_en=spec.title_en,
        slug=slugify(spec.title_en)[:255], upc=spec.upc, description=spec.description,
        origin_region=spec.origin_region, is_public=True,
    )
    values = []
    for (class_id, code), attribute in attributes.items():
        if class_id != product_class.pk:
            continue
        value = spec.attributes.get(code)
        if value is not None and attribute.type == "option":
            value = options[(attribute.option_group_id, value)]
        product.attr.set(code, value)
        if value is not None:
            values.append((attribute, value))
    product.attr.__dict__["_initialized"] = True  # every attribute is set: never read values from the database
    product.clean()
    return product, values


def ensure_products(specs, *, categories, gi_marks, report: SeedReport) -> dict[str, Product]:
    existing = {p.upc: p for p in Product.objects.filter(upc__in=[s.upc for s in specs])}
    new_specs = [spec for spec in specs if spec.upc not in existing]
    if not new_specs:
        return existing
    classes, attributes, options = class_attributes()
    built = [build_product(spec, classes=classes, attributes=attributes, options=options) for spec in new_specs]
    created = Product.objects.bulk_create([product for product, _ in built], batch_size=BATCH)
    values, links, marks = [], [], []
    gi_through = Product.gi_marks.through
    for spec, product, (_, attribute_values) in zip(new_specs, created, built, strict=True):
        existing[spec.upc] = product
        for attribute, value in attribute_values:
            row = ProductAttributeValue(product=product, attribute=attribute)
            row.value = value
            values.append(row)
        links.append(ProductCategory(product=product, category=categories[spec.category]))
        marks.extend(gi_through(product=product, geographicalindication=gi_marks[name]) for name in spec.gi_marks)
    ProductAttributeValue.objects.bulk_create(values, batch_size=BATCH)
    ProductCategory.objects.bulk_create(links, batch_size=BATCH)
    gi_through.objects.bulk_create(marks, batch_size=BATCH)
    report.created["products"] += len(created)
    return existing


def ensure_stockrecords(specs, *, products, partners, report: SeedReport) -> None:
    existing = set(StockRecord.objects.filter(partner__in=partners.values()).values_list("partner_id", "partner_sku"))
    rows = [
        StockRecord(product=products[spec.upc], partner=partners[spec.merchant], partner_sku=spec.sku,
                    price=spec.price, price_currency=settings.OSCAR_DEFAULT_CURRENCY, num_in_stock=spec.stock)
        for spec in specs
        if (partners[spec.merchant].pk, spec.sku) not in existing
    ]
    StockRecord.objects.bulk_create(rows, batch_size=BATCH)
    report.created["stock records"] += len(rows)


def ensure_listings(specs, *, products, report: SeedReport) -> None:
    ids = [product.pk for product in products.values()]
    existing = set(CatalogueListing.objects.filter(product_id__in=ids).values_list("product_id", "catalogue"))
    rows = []
    for spec in specs:
        product = products[spec.upc]
        for listing in spec.listings:
            if (product.pk, listing.catalogue) in existing:
                continue
            rows.append(CatalogueListing(
                product=product, catalogue=listing.catalogue, certificate_number=listing.certificate_number,
                listed_on=listing.listed_on, status=CatalogueListing.LISTED,
                status_changed_at=datetime.combine(listing.listed_on, time(9), tzinfo=trace.CHINA),
            ))
    CatalogueListing.objects.bulk_create(rows, batch_size=BATCH)
    report.created["catalogue listings"] += len(rows)


def ensure_lots(specs, *, products, partners, commitments, report: SeedReport) -> list[Lot]:
    """One lot per product that has none, with its whole event chain; returns the new lots."""
    with_lots = set(Lot.objects.filter(product_id__in=[p.pk for p in products.values()]).values_list(
        "product_id", flat=True))
    today = timezone.localdate()
    recorded_at = timezone.now()
    plans, lots = [], []
    for spec in specs:
        product = products[spec.upc]
        if product.pk in with_lots:
            continue
        partner = partners[spec.merchant]
        plan = trace.plan_lot(spec, merchant=partner, today=today)
        plans.append((spec, plan))
        lots.append(Lot(
            product=product, merchant=partner, commitment=commitments[spec.merchant], gtin=spec.upc,
            lot_number=plan.lot_number, produced_on=plan.produced_on, expires_on=plan.expires_on,
            quantity=spec.stock, created_at=recorded_at,
        ))
    if not lots:
        return []
    for lot in lots:
        lot.full_clean(exclude=["product", "merchant", "commitment"], validate_unique=False,
                       validate_constraints=False)
    lots = Lot.objects.bulk_create(lots, batch_size=BATCH)
    events = []
    for (spec, plan), lot in zip(plans, lots, strict=True):
        chain_ = trace.chain_events(lot=lot, steps=plan.steps, recorded_at=recorded_at)
        if spec.sku == BROKEN_LOT_SKU:
            trace.tamper(next(event for event in chain_ if event.kind == "inspection"))
        events.extend(chain_)
    TraceEvent.objects.bulk_create(events, batch_size=BATCH)
    transparency_log.append_bulk_lots(lots, events)  # bulk_create sends no post_save: log them here
    report.created["lots"] += len(lots)
    report.created["trace events"] += len(events)
    return lots


def ensure_images(specs, *, products, report: SeedReport) -> None:
    with_images = set(ProductImage.objects.filter(product_id__in=[p.pk for p in products.values()]).values_list(
        "product_id", flat=True))
    departments = {child[0]: slug for slug, _, _, children in CATEGORY_TREE for child in children}
    rows = []
    for spec in specs:
        product = products[spec.upc]
        if product.pk in with_images:
            continue
        path = images.ensure_image_file(name=spec.upc, department=departments[spec.category])
        rows.append(ProductImage(product=product, original=path, caption=spec.title, display_order=0))
    ProductImage.objects.bulk_create(rows, batch_size=BATCH)
    report.created["product images"] += len(rows)
