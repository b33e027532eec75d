"""The Elasticsearch index, mapping and query bodies (no cluster needed), and the fallback
to the database when Elasticsearch is down."""

import logging
import socket

import pytest

from search.backends import elastic, get_backend, reset
from search.backends.base import Filters, SearchRequest
from search.query import Alternative, Concept, ParsedQuery, Term


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_index_settings_and_mapping_default_to_the_cjk_analyzer(settings):
    settings.SEARCH_ES_INDEX = "silver-products"
    body = elastic.document_class("silver-products-1")._index.to_dict()
    assert body["settings"] == {"number_of_shards": 1, "number_of_replicas": 0, "max_result_window": 10000}
    properties = body["mappings"]["properties"]
    assert properties["title"] == {"type": "text", "analyzer": "cjk", "fields": {"raw": {"type": "keyword"}}}
    assert properties["description"] == {"type": "text", "analyzer": "cjk"}
    for field in ("title_tokens", "meta_tokens", "body_tokens", "pinyin", "initials", "category_paths",
                  "catalogues", "origin"):
        assert properties[field] == {"type": "keyword"}, field
    assert properties["price"] == {"type": "scaled_float", "scaling_factor": 100}
    assert properties["can_buy"] == {"type": "boolean"}
    assert properties["suggest"]["type"] == "completion"


@pytest.mark.parametrize(("choice", "analyzer"), [("smartcn", "smartcn"), ("icu", "icu_analyzer")])
def test_plugin_analyzers_by_setting(settings, choice, analyzer):
    settings.SEARCH_ES_ANALYZER = choice
    properties = elastic.document_class("x")._index.to_dict()["mappings"]["properties"]
    assert properties["title"]["analyzer"] == analyzer


def test_unknown_analyzer_is_refused(settings):
    settings.SEARCH_ES_ANALYZER = "ik"
    with pytest.raises(ValueError, match="SEARCH_ES_ANALYZER"):
        elastic.document_class("x")


def test_query_body_matches_every_concept_and_scores_title_matches(settings):
    settings.SEARCH_ES_INDEX = "silver-products"
    concept = Concept("rs", (
        Alternative((Term("rs", ("t", "m", "d")),), 10),
        Alternative((Term("rs", ("i",)),), 6),
    ))
    request = SearchRequest(query=ParsedQuery("rs", [concept]), filters=Filters(origin="抚松", available=True),
                            offset=24, limit=24, with_facets=False)
    body = elastic.build_search(request).to_dict()
    assert body["from"] == 24 and body["size"] == 24 and body["track_total_hits"] is True
    assert body["sort"] == [{"can_buy": {"order": "desc"}}, {"_score": {"order": "desc"}},
                            {"title_length": {"order": "asc"}}, {"product_id": {"order": "asc"}}]
    query = body["query"]["bool"]
    assert {"term": {"origin": "抚松"}} in query["filter"]
    assert {"term": {"can_buy": True}} in query["filter"]
    match = query["filter"][-1]["bool"]
    assert match["minimum_should_match"] == 1
    assert match["should"][0] == {"bool": {"filter": [{"bool": {"should": [
        {"term": {"title_tokens": "rs"}}, {"term": {"meta_tokens": "rs"}}, {"term": {"body_tokens": "rs"}}],
        "minimum_should_match": 1}}]}}
    assert match["should"][1] == {"bool": {"filter": [{"term": {"initials": "rs"}}]}}
    assert query["should"] == [{"dis_max": {"queries": [
        {"constant_score": {"filter": {"bool": {"filter": [{"term": {"title_tokens": "rs"}}]}}, "boost": 10}},
        {"constant_score": {"filter": {"bool": {"filter": [{"term": {"initials": "rs"}}]}}, "boost": 6}},
    ], "tie_breaker": 0}}]


def test_aggregations_for_facets(settings):
    request = SearchRequest(facet_categories=["0001", "0002"])
    aggs = elastic.build_search(request).to_dict()["aggs"]
    assert aggs["available"] == {"filter": {"term": {"can_buy": True}}}
    assert aggs["categories"] == {"filters": {"filters": {"0001": {"prefix": {"category_paths": "0001"}},
                                                          "0002": {"prefix": {"category_paths": "0002"}}}}}
    assert aggs["price"]["range"]["ranges"][0] == {"key": "0-100", "from": 0.0, "to": 100.0}
    assert aggs["price"]["range"]["ranges"][-1] == {"key": "3000-", "from": 3000.0}
    assert aggs["origins"] == {"terms": {"field": "origin", "size": 50}}
    assert aggs["merchants"] == {"terms": {"field": "merchant_id", "size": 100}}


def test_browse_sorts_buyable_then_newest(settings):
    body = elastic.build_search(SearchRequest(with_facets=False)).to_dict()
    assert body["sort"] == [{"can_buy": {"order": "desc"}}, {"created": {"order": "desc"}},
                            {"product_id": {"order": "desc"}}]
    assert body["query"] == {"bool": {}} or body["query"] == {"match_all": {}}


@pytest.mark.django_db
def test_search_answers_from_the_database_when_elasticsearch_is_down(settings, catalogue, caplog):
    from search import indexing, service

    indexing.flush()
    reset()
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{_closed_port()}"
    settings.SEARCH_ES_TIMEOUT = 0.5
    backend = get_backend()
    assert backend.name == "elasticsearch"
    with caplog.at_level(logging.WARNING, logger="search"):
        result = service.find_products(text="血压计", backend=backend)
    assert result.ids == [catalogue["products"]["bp"].pk]
    assert result.backend == "database"
    assert "Elasticsearch unavailable" in caplog.text
    assert [s["label"] for s in backend.suggest("xueya")]  # suggestions fall back too
    reset()
