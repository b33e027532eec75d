"""Keeping the search index current.

Signals on every model that changes what a product's document holds (product, stock
record and price, catalogue listing, lot, category, merchant, commitment, GI marks,
attribute values) collect product ids for the current transaction. They are written in
bulk when it commits (``transaction.on_commit``), and pushed to Elasticsearch after that
with the bulk helpers. The database table is written first, so it is always a current
fallback when Elasticsearch is down.

A search issued inside a transaction that has pending changes writes them first (the
table is in the same database and transaction, so nothing leaks if it rolls back):
a shopper's own change shows in their next search.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from search import documents as documents_module
from search import lexicon

logger = logging.getLogger(__name__)
CHUNK = 1000

_state = threading.local()


def _pending() -> set[int]:
    if not hasattr(_state, "ids"):
        _state.ids = set()
    return _state.ids


def mark(product_ids: Iterable[int]) -> None:
    """Re-index these products when the current transaction commits."""
    ids = {int(pk) for pk in product_ids if pk}
    if not ids:
        return
    _pending().update(ids)
    transaction.on_commit(flush)


def has_pending() -> bool:
    return bool(_pending())


def flush() -> int:
    ids = _pending()
    if not ids:
        return 0
    batch = sorted(ids)
    ids.clear()
    return update(batch)


def update(product_ids: Iterable[int], *, push: bool = True) -> int:
    """Rewrite the documents of these products (removing those no longer listed)."""
    from search.models import SearchDocument

    product_ids = sorted(set(product_ids))
    written = 0
    for start in range(0, len(product_ids), CHUNK):
        chunk = product_ids[start:start + CHUNK]
        built = documents_module.build_documents(chunk)
        keep = {doc.product_id for doc in built}
        gone = [pk for pk in chunk if pk not in keep]
        if gone:
            SearchDocument.objects.filter(product_id__in=gone).delete()
        write_rows(built)
        add_terms(built)
        written += len(built)
        if push:
            _after_commit_push(built, gone)
    return written


def write_rows(built) -> None:
    from search.models import SearchDocument

    if not built:
        return
    rows = [SearchDocument(**doc.row()) for doc in built]
    fields = [f.name for f in SearchDocument._meta.concrete_fields if not f.primary_key]
    SearchDocument.objects.bulk_create(rows, update_conflicts=True, unique_fields=["product"],
                                       update_fields=fields, batch_size=500)


def term_rows(built) -> set[tuple[str, str, str, int]]:
    from search import analysis
    from search.models import SearchTerm

    rows = set()
    for doc in built:
        for ns in (analysis.TITLE, analysis.PINYIN):
            for token in doc.tokens.get(ns, ()):
                if token.isascii() and token.isalpha() and len(token) >= 3:
                    rows.add((token, token, SearchTerm.WORD, 1))
        for label, kind, weight in [(doc.base_name, SearchTerm.PRODUCT, 2),
                                    *((name, SearchTerm.CATEGORY, 5) for name in doc.category_names)]:
            rows |= suggestion_rows(label, kind, weight)
    return rows


def suggestion_rows(label: str, kind: str, weight: int) -> set[tuple[str, str, str, int]]:
    from search import analysis

    label = (label or "").strip()[:128]
    if not label or not any(analysis.is_cjk(run) for run in analysis.runs(label)):
        return set()
    cjk = "".join(run for run in analysis.runs(label) if analysis.is_cjk(run))
    sy = analysis.syllables(cjk)
    keys = {analysis.normalise(label), "".join(sy), "".join(s[0] for s in sy if s)}
    return {(key[:128], label, kind, weight) for key in keys if key}


def add_terms(built) -> None:
    from search.models import SearchTerm

    rows = term_rows(built)
    # What the table holds, not this process's memo of it: the memo may predate a rebuild
    # (or, in tests, a rolled-back database) and would hide terms that are not there.
    known = set()
    keys = sorted({key for key, _, _, _ in rows})
    for start in range(0, len(keys), 5000):
        known |= set(SearchTerm.objects.filter(key__in=keys[start:start + 5000])
                     .values_list("key", "label", "kind"))
    new = [SearchTerm(key=k, label=label, kind=kind, weight=w)
           for k, label, kind, w in rows if (k, label, kind) not in known]
    if new:
        SearchTerm.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        lexicon.changed()


def _after_commit_push(built, gone) -> None:
    from search import backends

    if not backends.elasticsearch_configured():
        return

    def push():
        from search.backends import elastic

        try:
            elastic.index_documents(built, delete_ids=gone)
        except Exception as error:  # noqa: BLE001 - the database index is current; `search_index update` re-syncs
            backends.note_elasticsearch_down(error)

    transaction.on_commit(push)


def rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite every document and the lexicon from the catalogue."""
    from search.models import SearchDocument, SearchTerm

    ids = list(documents_module.indexable().order_by("pk").values_list("pk", flat=True))
    SearchDocument.objects.exclude(product_id__in=documents_module.indexable().values("pk")).delete()
    SearchTerm.objects.all().delete()
    lexicon.changed()
    add_synonym_terms()
    written = 0
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            written += update(ids[start:start + CHUNK], push=False)
        if progress:
            progress(min(start + CHUNK, len(ids)), len(ids))
    from marketplace import storefront_cache

    storefront_cache.bump()  # cached result pages were built from the old index
    return written


def add_synonym_terms() -> None:
    from search.models import SearchTerm, SynonymGroup

    rows = set()
    for group in SynonymGroup.objects.filter(is_active=True):
        for term in group.term_list():
            rows |= suggestion_rows(term, SearchTerm.SYNONYM, 3)
    SearchTerm.objects.bulk_create([SearchTerm(key=k, label=label, kind=kind, weight=w) for k, label, kind, w in rows],
                                   ignore_conflicts=True)
    lexicon.changed()


# --- Signals --------------------------------------------------------------------------------

def _product_ids_for_merchant(merchant_id) -> list[int]:
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    return list(StockRecord.objects.filter(partner_id=merchant_id).values_list("product_id", flat=True))


def _on_product(sender, instance, **kwargs):
    mark([instance.pk, instance.parent_id])


def _on_product_delete(sender, instance, **kwargs):
    from search import backends

    if backends.elasticsearch_configured():
        _after_commit_push([], [instance.pk])


def _on_related(sender, instance, **kwargs):
    mark([instance.product_id])


def _on_category(sender, instance, **kwargs):
    from oscar.core.loading import get_model

    ProductCategory = get_model("catalogue", "ProductCategory")
    mark(ProductCategory.objects.filter(category__path__startswith=instance.path).values_list("product_id", flat=True))


def _on_partner(sender, instance, **kwargs):
    mark(_product_ids_for_merchant(instance.pk))


def _on_commitment(sender, instance, **kwargs):
    mark(_product_ids_for_merchant(instance.merchant_id))


def _on_m2m(sender, instance, action, pk_set=None, reverse=False, **kwargs):
    """Product.categories and Product.gi_marks: ``add()`` writes the links without post_save."""
    if not action.startswith("post_"):
        return
    mark(pk_set or () if reverse else [instance.pk])


def _on_rows_updated(sender, pks, **kwargs):
    mark(sender.objects.filter(pk__in=pks).values_list("product_id", flat=True))


def _on_stock_changed(sender, *, product_ids, flipped=True, **kwargs):
    """Units sold: a product that sold its last unit no longer ranks as buyable."""
    if flipped:
        mark(product_ids)


def _on_synonyms(sender, **kwargs):
    from search import synonyms

    synonyms.changed()
    transaction.on_commit(add_synonym_terms)


def watch_models() -> None:
    from oscar.core.loading import get_model

    from catalog.models import CatalogueListing
    from search.models import SynonymGroup
    from traceability.models import Lot, QualityCommitment

    Product = get_model("catalogue", "Product")
    related = [get_model("partner", "StockRecord"), get_model("catalogue", "ProductCategory"),
               get_model("catalogue", "ProductAttributeValue"), CatalogueListing, Lot]
    post_save.connect(_on_product, sender=Product, dispatch_uid="search-product-save")
    post_delete.connect(_on_product_delete, sender=Product, dispatch_uid="search-product-delete")
    for model in related:
        uid = f"search-{model._meta.label_lower}"
        post_save.connect(_on_related, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_related, sender=model, dispatch_uid=f"{uid}-delete")
    post_save.connect(_on_category, sender=get_model("catalogue", "Category"), dispatch_uid="search-category")
    post_save.connect(_on_partner, sender=get_model("partner", "Partner"), dispatch_uid="search-partner")
    post_save.connect(_on_commitment, sender=QualityCommitment, dispatch_uid="search-commitment")
    m2m_changed.connect(_on_m2m, sender=Product.gi_marks.through, dispatch_uid="search-gi")
    m2m_changed.connect(_on_m2m, sender=Product.categories.through, dispatch_uid="search-categories")
    post_save.connect(_on_synonyms, sender=SynonymGroup, dispatch_uid="search-synonyms-save")
    post_delete.connect(_on_synonyms, sender=SynonymGroup, dispatch_uid="search-synonyms-delete")
    try:
        from traceability.sale import stock_changed

        stock_changed.connect(_on_stock_changed, dispatch_uid="search-stock-changed")
    except ImportError:
        pass
    try:
        from marketplace.storefront_cache import rows_updated
    except ImportError:  # older storefront_cache without the signal
        return
    for model in (Lot, CatalogueListing):
        rows_updated.connect(_on_rows_updated, sender=model, dispatch_uid=f"search-rows-{model.__name__}")
