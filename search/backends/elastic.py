"""The Elasticsearch backend, through elasticsearch-dsl.

Documents hold the same Python-analysed tokens as the database table, one keyword field
per namespace (``title_tokens``, ``meta_tokens``, ``body_tokens``, ``pinyin``,
``initials``), so both backends match and rank alike without any Elasticsearch plugin.
The text fields (``title``, ``description``) use the ``cjk`` analyzer, or ``smartcn`` /
``icu_analyzer`` when ``SEARCH_ES_ANALYZER`` says the cluster has the plugin; they
serve highlighting and ad-hoc queries. Writes go through the alias
``SEARCH_ES_INDEX``; a rebuild fills a new index and swaps the alias in one request.
"""

from __future__ import annotations

import time

from django.conf import settings
from elasticsearch import Elasticsearch
from elasticsearch.helpers import bulk
from elasticsearch_dsl import (
    Boolean,
    Completion,
    Date,
    Document,
    Integer,
    Keyword,
    Q,
    ScaledFloat,
    Search,
    Text,
    analyzer,
)

from search.analysis import BODY, INITIALS, META, PINYIN, TITLE
from search.backends.base import CATALOGUE_CODES, PRICE_BANDS, Facets, SearchRequest, SearchResult
from search.query import Concept, Term

FIELDS = {TITLE: "title_tokens", META: "meta_tokens", BODY: "body_tokens", PINYIN: "pinyin", INITIALS: "initials"}
RANK_FIELDS = {TITLE, PINYIN, INITIALS}
ANALYZERS = {"cjk": "cjk", "smartcn": "smartcn", "icu": "icu_analyzer"}

_client = {"url": None, "client": None}


def alias_name() -> str:
    return getattr(settings, "SEARCH_ES_INDEX", "silver-products")


def text_analyzer():
    choice = getattr(settings, "SEARCH_ES_ANALYZER", "cjk")
    if choice not in ANALYZERS:
        raise ValueError(f"SEARCH_ES_ANALYZER must be one of {', '.join(ANALYZERS)}, not {choice!r}")
    return analyzer(ANALYZERS[choice]) if choice != "cjk" else "cjk"


def client() -> Elasticsearch:
    url = settings.ELASTICSEARCH_URL
    if _client["client"] is None or _client["url"] != url:
        _client["client"] = Elasticsearch(url, request_timeout=getattr(settings, "SEARCH_ES_TIMEOUT", 2.0),
                                          max_retries=0, retry_on_timeout=False)
        _client["url"] = url
    return _client["client"]


def document_class(index: str | None = None):
    """The product document bound to an index name (the alias by default)."""
    chinese = text_analyzer()

    class ProductDocument(Document):
        product_id = Integer()
        title = Text(analyzer=chinese, fields={"raw": Keyword()})
        title_en = Text(analyzer="english")
        description = Text(analyzer=chinese)
        title_length = Integer()
        title_tokens = Keyword()
        meta_tokens = Keyword()
        body_tokens = Keyword()
        pinyin = Keyword()
        initials = Keyword()
        category_paths = Keyword()
        category_names = Keyword()
        merchant_id = Integer()
        merchant_name = Keyword()
        origin = Keyword()
        catalogues = Keyword()
        price = ScaledFloat(scaling_factor=100)
        in_stock = Boolean()
        can_buy = Boolean()
        created = Date()
        suggest = Completion(analyzer="simple", preserve_separators=False, max_input_length=64)

        class Index:
            name = index or alias_name()
            settings = {"number_of_shards": 1, "number_of_replicas": 0, "max_result_window": 10000}

    return ProductDocument


def to_source(doc) -> dict:
    """The Elasticsearch source of a ``search.documents.Document``."""
    row = doc.row()
    sy = sorted(doc.tokens.get(PINYIN, ()))
    inputs = [value for value in {doc.base_name, *doc.category_names} if value]
    inputs += [token for token in sy if len(token) > 3][:20]
    return {
        "product_id": doc.product_id,
        "title": doc.title,
        "title_en": doc.title_en,
        "title_length": row["title_length"],
        **{field: sorted(doc.tokens.get(ns, ())) for ns, field in FIELDS.items()},
        "category_paths": doc.category_paths,
        "category_names": doc.category_names,
        "merchant_id": doc.merchant_id,
        "merchant_name": doc.merchant_name,
        "origin": doc.origin,
        "catalogues": doc.catalogues,
        "price": float(doc.price) if doc.price is not None else None,
        "in_stock": doc.in_stock,
        "can_buy": doc.can_buy,
        "created": doc.created.isoformat() if doc.created else None,
        "suggest": {"input": inputs[:40], "weight": 5 if doc.can_buy else 1},
    }


# --- Queries --------------------------------------------------------------------------------

def term_query(term: Term, *, rank_only: bool = False) -> Q:
    spaces = [ns for ns in term.namespaces if not rank_only or ns in RANK_FIELDS]
    if rank_only:
        spaces = spaces[:1]
    queries = [Q("term", **{FIELDS[ns]: term.token}) for ns in spaces]
    return queries[0] if len(queries) == 1 else Q("bool", should=queries, minimum_should_match=1)


def concept_match(concept: Concept) -> Q:
    alternatives = [Q("bool", filter=[term_query(t) for t in alt.terms]) for alt in concept.alternatives]
    return Q("bool", should=alternatives, minimum_should_match=1)


def concept_score(concept: Concept) -> Q:
    """The weight of the best alternative found in the title fields (the database's CASE)."""
    scored = []
    for alt in concept.alternatives:
        if all(any(ns in RANK_FIELDS for ns in t.namespaces) for t in alt.terms):
            scored.append(Q("constant_score", filter=Q("bool", filter=[term_query(t, rank_only=True) for t in alt.terms]),
                            boost=alt.weight))
    return Q("dis_max", queries=scored, tie_breaker=0) if scored else Q("match_none")


def filter_queries(request: SearchRequest) -> list[Q]:
    f = request.filters
    out = []
    if f.category:
        out.append(Q("prefix", category_paths=f.category))
    band = f.band()
    if band:
        bounds = {"gte": float(band[0])}
        if band[1] is not None:
            bounds["lt"] = float(band[1])
        out.append(Q("range", price=bounds))
    if f.catalogue:
        out.append(Q("term", catalogues=f.catalogue))
    if f.origin:
        out.append(Q("term", origin=f.origin))
    if f.merchant is not None:
        out.append(Q("term", merchant_id=f.merchant))
    if f.available:
        out.append(Q("term", can_buy=True))
    return out


def build_search(request: SearchRequest, *, index: str | None = None) -> Search:
    search = Search(index=index or alias_name())
    filters = filter_queries(request)
    if request.has_query:
        concepts = request.query.concepts
        matches = [concept_match(c) for c in concepts]
        if request.relaxed:
            filters.append(Q("bool", should=matches, minimum_should_match=1))
        else:
            filters.extend(matches)
        search = search.query(Q("bool", filter=filters, should=[concept_score(c) for c in concepts]))
        search = search.sort({"can_buy": {"order": "desc"}}, {"_score": {"order": "desc"}},
                             {"title_length": {"order": "asc"}}, {"product_id": {"order": "asc"}})
    else:
        search = search.query(Q("bool", filter=filters))
        search = search.sort({"can_buy": {"order": "desc"}}, {"created": {"order": "desc"}},
                             {"product_id": {"order": "desc"}})
    search = search.extra(track_total_hits=True, from_=request.offset, size=request.limit)
    search = search.source(["product_id"])
    if request.with_facets:
        search.aggs.bucket("available", "filter", Q("term", can_buy=True))
        if request.facet_categories:
            search.aggs.bucket("categories", "filters",
                               filters={path: Q("prefix", category_paths=path) for path in request.facet_categories})
        ranges = []
        for code, low, high in PRICE_BANDS:
            bucket = {"key": code, "from": float(low)}
            if high is not None:
                bucket["to"] = float(high)
            ranges.append(bucket)
        search.aggs.bucket("price", "range", field="price", ranges=ranges)
        search.aggs.bucket("catalogues", "terms", field="catalogues", size=len(CATALOGUE_CODES))
        search.aggs.bucket("origins", "terms", field="origin", size=50)
        search.aggs.bucket("merchants", "terms", field="merchant_id", size=100)
    return search


def parse_response(response, request: SearchRequest) -> SearchResult:
    ids = [int(hit.product_id) for hit in response]
    total = response.hits.total.value
    facets = None
    if request.with_facets:
        aggs = response.aggregations
        facets = Facets(available=aggs.available.doc_count)
        if request.facet_categories:
            buckets = aggs.categories.buckets
            facets.categories = {path: buckets[path].doc_count for path in request.facet_categories}
        facets.price = {b.key: b.doc_count for b in aggs.price.buckets}
        facets.catalogues = {code: 0 for code in CATALOGUE_CODES}
        facets.catalogues.update({b.key: b.doc_count for b in aggs.catalogues.buckets})
        facets.origins = {b.key: b.doc_count for b in aggs.origins.buckets if b.key}
        facets.merchants = {int(b.key): b.doc_count for b in aggs.merchants.buckets}
    return SearchResult(ids=ids, total=total, facets=facets, relaxed=request.relaxed, backend="elasticsearch")


class ElasticsearchBackend:
    name = "elasticsearch"

    def search(self, request: SearchRequest) -> SearchResult:
        response = build_search(request).using(client()).execute()
        return parse_response(response, request)

    def suggest(self, prefix: str, *, limit: int = 8) -> list[dict]:
        search = Search(index=alias_name()).using(client()).source(["title"])
        search = search.suggest("names", prefix, completion={"field": "suggest", "size": limit, "skip_duplicates": True})
        response = search.execute()
        options = response.suggest.names[0].options if response.suggest.names else []
        return [{"label": option.text, "kind": "product"} for option in options][:limit]


# --- Index management -------------------------------------------------------------------------

def _actions(docs, index: str, delete_ids=()):
    for doc in docs:
        yield {"_op_type": "index", "_index": index, "_id": doc.product_id, "_source": to_source(doc)}
    for pk in delete_ids:
        yield {"_op_type": "delete", "_index": index, "_id": pk}


def ensure_index() -> None:
    es = client()
    if not es.indices.exists_alias(name=alias_name()):
        create_and_switch([])


def index_documents(docs, *, delete_ids=()) -> None:
    if not docs and not delete_ids:
        return
    ensure_index()
    bulk(client(), _actions(docs, alias_name(), delete_ids), raise_on_error=False, refresh="wait_for")


def create_and_switch(doc_batches, *, on_batch=None) -> str:
    """Fill a new index from batches of documents and point the alias at it atomically."""
    es = client()
    alias = alias_name()
    name = f"{alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1000000}"
    document_class(name).init(using=es)
    for batch in doc_batches:
        bulk(es, _actions(batch, name), raise_on_error=True)
        if on_batch:
            on_batch(len(batch))
    es.indices.refresh(index=name)
    old = list(es.indices.get_alias(name=alias).keys()) if es.indices.exists_alias(name=alias) else []
    actions = [{"remove": {"index": index, "alias": alias}} for index in old] + [{"add": {"index": name, "alias": alias}}]
    es.indices.update_aliases(actions=actions)
    for index in old:
        es.indices.delete(index=index, ignore_unavailable=True)
    return name
