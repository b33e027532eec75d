"""A large benchmark catalogue, written in bulk (``manage.py seed_bench --products 100000``).

Bench products copy the demo products' classes, attributes, merchants and categories
(numbered variants of them), so they look and behave like the demo catalogue. Each one
can be bought: a stock record, a listed catalogue listing, the merchant's commitment in
force, and a lot whose two-event chain is hashed exactly as ``chain.record_event`` would
(``trace.chain_events``) and so is stored as intact; ``verify_chain`` is run on a sample
to prove it. Pictures point at a handful of shared files.

Running it again tops the bench catalogue up to the requested count.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from catalog.models import CatalogueListing
from marketplace.demo import images, seed, trace
from marketplace.demo.categories import CATEGORY_TREE
from marketplace.demo.products import build_product_specs
from traceability import chain
from traceability.gtin import make_gtin14
from traceability.models import Lot, TraceEvent
from traceability.transparency import log as transparency_log

BENCH_PREFIX = "0693"  # GTIN-13 bodies 0693…: bench products, apart from the demo's 0692…
CHUNK = 5000


def bench_gtin(number: int) -> str:
    return make_gtin14(f"{BENCH_PREFIX}{number:09d}")


def bench_count() -> int:
    return seed.Product.objects.filter(upc__startswith=BENCH_PREFIX).count()


VALUE_COLUMNS = {"text": "value_text", "integer": "value_integer", "boolean": "value_boolean",
                 "float": "value_float", "option": "value_option_id"}


def _templates():
    """Each demo spec, checked once by ``Product.clean()``, with its attribute values as columns."""
    classes, attributes, options = seed.class_attributes()
    templates = []
    for spec in build_product_specs():
        _, values = seed.build_product(spec, classes=classes, attributes=attributes, options=options)
        columns = [(attribute.pk, VALUE_COLUMNS[attribute.type], value.pk if attribute.type == "option" else value)
                   for attribute, value in values]
        templates.append((spec, classes[spec.product_class], columns))
    return templates


def _bench_steps(spec, *, party: str, made) -> list[trace.Step]:
    first_kind = {"ginseng": "harvest", "antler": "cutting"}.get(spec.trace, "manufacture")
    first_data = {
        "harvest": {"harvest_date": made.isoformat(), "field": f"{spec.county}参园1号地块",
                    "cultivation": spec.trace_info.get("cultivation", ""),
                    "age_years": spec.trace_info.get("growth_years", 0), "quantity": 50, "uom": "KGM"},
        "cutting": {"harvest_date": made.isoformat(), "animal_batch": "SY-BENCH", "antler_type": "二杠茸",
                    "quantity": 1500, "uom": "GRM"},
        "manufacture": {"factory": spec.trace_info.get("factory", party), "batch": f"{made:%Y%m%d}1",
                        "quantity": 500, "uom": "H87"},
    }[first_kind]
    return [
        trace.Step(first_kind, trace._at(made, 8), party, first_data, location_name=party, disposition="active"),
        trace.Step("inspection", trace._at(made + timedelta(days=1), 15), party, {
            "tests": [trace._test("外观与标识", "符合", "符合", "")],
            "laboratory": f"{party}质检部", "report_number": f"QC{made:%Y%m%d}"},
            location_name=party, disposition="conformant"),
    ]


def copy_rows(model, rows: list[dict]) -> None:
    """Insert rows given as column values (by attname); fields left out take their defaults.

    PostgreSQL gets a COPY, which skips building a model instance per row; other databases
    get ``bulk_create``. Nothing is read back, so use this only for rows whose ids are not needed.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=CHUNK)
        return
    from psycopg.types.json import Jsonb

    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.get_internal_type().endswith("AutoField"))]
    defaults = {}
    for f in fields:
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        defaults[f.attname] = f.get_db_prep_save(value, connection)
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            values = [row.get(name, defaults[name]) for name in names]
            copy.write_row([Jsonb(v) if isinstance(v, dict | list) else v for v in values])


def seed_bench(*, products: int, log: Callable[[str], None] = print) -> dict:
    """Top the bench catalogue up to ``products`` products; returns counts and timings."""
    started = clock.monotonic()
    report = seed.SeedReport()
    with transaction.atomic():
        categories = seed.ensure_categories(report)
        partners = seed.ensure_merchants(report)
        commitments = seed.ensure_commitments(partners, report)
    templates = _templates()
    departments = {child[0]: slug for slug, _, _, children in CATEGORY_TREE for child in children}
    pictures = {
        slug: images.ensure_image_file(name=f"bench-{slug}", department=slug)
        for slug, _, _, _ in CATEGORY_TREE
    }
    start = bench_count()
    today = timezone.localdate()
    recorded_at = timezone.now()
    made = today - timedelta(days=30)
    checked = []
    for first in range(start, products, CHUNK):
        numbers = range(first, min(first + CHUNK, products))
        with transaction.atomic():
            lots = _write_chunk(numbers, templates=templates, categories=categories, partners=partners,
                                commitments=commitments, departments=departments, pictures=pictures,
                                made=made, recorded_at=recorded_at)
        checked.append(lots[0])
        log(f"  {numbers.stop} / {products} products ({clock.monotonic() - started:.1f} s)")
    if checked:
        checked.append(lots[-1])
    for lot in checked:
        report_ = chain.verify_chain(lot)
        if not report_.intact:
            raise RuntimeError(f"bench chain for {lot.code} does not verify: {report_.problem}")
    if connection.vendor == "postgresql" and checked:
        # Fresh statistics: without them the planner guesses a few rows for 100,000 and
        # picks nested loops that make the category page seconds slow.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"created": max(products - start, 0), "total": bench_count(), "verified_sample": len(checked),
            "seconds": round(clock.monotonic() - started, 1)}


def _write_chunk(numbers, *, templates, categories, partners, commitments, departments, pictures, made,
                 recorded_at) -> list[Lot]:
    Product, StockRecord = seed.Product, seed.StockRecord
    rows = []
    for number in numbers:
        spec, product_class, columns = templates[number % len(templates)]
        title_en = f"{spec.title_en} · bench {number}"
        rows.append((spec, columns, Product(
            structure=Product.STANDALONE, product_class=product_class, title=f"{spec.title} · 规格{number}",
            title_en=title_en, slug=slugify(title_en)[:255], upc=bench_gtin(number), description=spec.description,
            origin_region=spec.origin_region, is_public=True,
        )))
    created = Product.objects.bulk_create([row[2] for row in rows], batch_size=CHUNK)
    values, links, stock, listings, pictures_, lots = [], [], [], [], [], []
    listed_at = recorded_at - timedelta(days=60)
    for number, (spec, columns, _), product in zip(numbers, rows, created, strict=True):
        values.extend({"product_id": product.pk, "attribute_id": attribute_id, column: value}
                      for attribute_id, column, value in columns)
        links.append({"product_id": product.pk, "category_id": categories[spec.category].pk})
        partner = partners[spec.merchant]
        stock.append({"product_id": product.pk, "partner_id": partner.pk, "partner_sku": f"BN-{number:07d}",
                      "price": spec.price, "price_currency": settings.OSCAR_DEFAULT_CURRENCY,
                      "num_in_stock": spec.stock + 50, "date_created": recorded_at, "date_updated": recorded_at})
        listings.append({"product_id": product.pk, "catalogue": CatalogueListing.ELDER_PRODUCTS,
                         "listed_on": listed_at.date(), "status": CatalogueListing.LISTED,
                         "status_changed_at": listed_at})
        pictures_.append({"product_id": product.pk, "original": pictures[departments[spec.category]],
                          "caption": spec.title, "display_order": 0, "date_created": recorded_at})
        lots.append(Lot(product=product, merchant=partner, commitment=commitments[spec.merchant], gtin=product.upc,
                        lot_number=f"BN{number:08d}", produced_on=made,
                        expires_on=made + timedelta(days=spec.shelf_life_days) if spec.shelf_life_days else None,
                        quantity=spec.stock + 50, chain_status=Lot.CHAIN_INTACT, chain_checked_at=recorded_at,
                        created_at=recorded_at))
    for model, objs in ((seed.ProductAttributeValue, values), (seed.ProductCategory, links), (StockRecord, stock),
                        (CatalogueListing, listings), (seed.ProductImage, pictures_)):
        copy_rows(model, objs)
    lots = Lot.objects.bulk_create(lots, batch_size=CHUNK)
    events = []
    for (spec, _, _), lot in zip(rows, lots, strict=True):
        steps = _bench_steps(spec, party=lot.merchant.legal_name, made=made)
        events.extend(trace.chain_rows(lot_id=lot.pk, lot_gtin=lot.gtin, lot_number=lot.lot_number, steps=steps,
                                       recorded_at=recorded_at))
    copy_rows(TraceEvent, events)
    transparency_log.append_bulk_lots(lots, events)  # bulk writes send no post_save: log them here
    return lots
