"""Relevance order read tier by tier from the index (PostgreSQL) is exactly the order of
scoring every row: buyable first, then score, title length and id."""

from contextlib import nullcontext
from pathlib import Path

import pytest
import yaml
from django.db import DataError, transaction

from search.analysis import INITIALS, PINYIN, TEXT_NAMESPACES
from search.backends import database, tiers
from search.backends.base import Filters, SearchRequest
from search.bench_queries import Uncached
from search.query import Alternative, Concept, Term, parse

CASES = yaml.safe_load((Path(__file__).parent / "relevance.yaml").read_text(encoding="utf-8"))
# Beyond the relevance set: several words, words that never meet (relaxed to any word),
# words found only in descriptions or merchants' names, and noise.
QUERIES = [case["q"] for case in CASES] + [
    "人参 礼盒", "血压计 老人", "renshen lurong", "手杖 助行器 轮椅", "鹿茸 人参 蜂蜜 枸杞", "人参 血压计",
    "吉林", "抚松", "合作社", "质量", "规格", "老人 用品 推荐", "a", "1", "xyz 人参",
]
FILTERS = [Filters(), Filters(available=True), Filters(price="100-300"), Filters(catalogue="jizhi_jipin")]


def concept(*alternatives):
    return Concept("x", tuple(Alternative(tuple(Term(token, spaces) for token in tokens), weight)
                              for tokens, spaces, weight in alternatives))


def test_one_word_tiers_run_from_the_best_alternative_down():
    word = concept((["人参"], TEXT_NAMESPACES, 10), (["renshen"], (PINYIN,), 8), (["rs"], (INITIALS,), 6))
    walk = tiers.tiers([word], relaxed=False)
    assert [tier.score for tier in walk] == [10, 8, 6, 0]
    assert walk[0].condition == "'t:人参'"
    assert walk[1].condition == "('p:renshen') & !('t:人参')"
    assert walk[2].condition == "('i:rs') & !('t:人参' | 'p:renshen')"
    # Found in the title means the word matches; the last tier is what matched elsewhere.
    assert [tier.implies_match for tier in walk] == [True, True, True, False]
    assert walk[3].tsquery("MATCH") == "(MATCH) & (!('t:人参' | 'p:renshen' | 'i:rs'))"


def test_alternatives_with_one_weight_share_a_tier_and_description_words_do_not_score():
    word = concept((["老花镜"], TEXT_NAMESPACES, 10), (["老花眼镜"], TEXT_NAMESPACES, 8),
                   (["阅读眼镜"], TEXT_NAMESPACES, 8), (["只在描述"], ("d",), 9))
    walk = tiers.tiers([word], relaxed=False)
    assert [tier.score for tier in walk] == [10, 8, 0]
    assert walk[1].condition == "('t:老花眼镜' | 't:阅读眼镜') & !('t:老花镜')"


def test_two_words_sum_and_a_relaxed_query_needs_only_one_found():
    a = concept((["人参"], TEXT_NAMESPACES, 10))
    b = concept((["礼盒"], TEXT_NAMESPACES, 10), (["lihe"], (PINYIN,), 8))
    strict = tiers.tiers([a, b], relaxed=False)
    assert [tier.score for tier in strict] == [20, 18, 10, 8, 0]
    assert [tier.implies_match for tier in strict] == [True, True, False, False, False]
    relaxed = tiers.tiers([a, b], relaxed=True)
    assert [tier.implies_match for tier in relaxed] == [True, True, True, True, False]
    # 10 is "人参 found, 礼盒 not" or "礼盒 found, 人参 not": one tier, either way.
    assert strict[2].condition.count(" | ") >= 1


def test_too_many_combinations_are_scored_row_by_row():
    words = [concept(([f"词{i}"], TEXT_NAMESPACES, 10), ([f"ci{i}"], (PINYIN,), 8)) for i in range(4)]
    assert len(tiers.tiers(words[:3], relaxed=False)) == 10  # 27 combinations, 10 distinct scores
    assert tiers.tiers(words, relaxed=False) is None  # 81 > MAX_COMBINATIONS


def _pages(text, filters, *, limit=5, pages=4):
    from search import service

    out = []
    for page in range(pages):
        result = service.find_products(text=text, filters=filters, offset=page * limit, limit=limit,
                                       backend=Uncached(database.DatabaseBackend()))
        out.append((result.ids, result.total, result.relaxed))
    return out


def test_tier_order_is_row_order(postgres, demo_titles, monkeypatch):
    walked = []
    real = tiers.tiers

    def spy(concepts, *, relaxed):
        walk = real(concepts, relaxed=relaxed)
        walked.append(walk is not None)
        return walk

    monkeypatch.setattr(tiers, "tiers", spy)
    differences, compared = [], 0
    for text in QUERIES:
        for filters in FILTERS:
            monkeypatch.setattr(database, "ROW_SCORING_MAX_MATCHES", 10**9)
            by_rows = _pages(text, filters)
            monkeypatch.setattr(database, "ROW_SCORING_MAX_MATCHES", 0)
            by_tiers = _pages(text, filters)
            compared += sum(bool(ids) for ids, _, _ in by_rows)
            if by_tiers != by_rows:
                differences.append((text, filters, by_rows, by_tiers))
    assert not differences, differences[:3]
    assert compared > 300  # pages with results, across the queries
    assert sum(walked) > 200  # and the tiers were walked, not bypassed


def test_a_page_deeper_than_the_tiers_go_is_scored_row_by_row(postgres, demo_titles, monkeypatch):
    from search import service

    monkeypatch.setattr(database, "ROW_SCORING_MAX_MATCHES", 0)
    monkeypatch.setattr(database, "TIER_MAX_DEPTH", 4)
    deep = service.find_products(text="人参", offset=2, limit=3, backend=Uncached(database.DatabaseBackend()))
    monkeypatch.setattr(database, "TIER_MAX_DEPTH", 1200)
    walked = service.find_products(text="人参", offset=2, limit=3, backend=Uncached(database.DatabaseBackend()))
    assert deep.ids == walked.ids and len(deep.ids) == 3


def _seqscan(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("inside_callers_transaction", [False, True])
@pytest.mark.parametrize("fails", [False, True])
def test_the_index_only_setting_lasts_only_for_the_search(postgres, inside_callers_transaction, fails):
    """Sequential scans are off for the search's own statements and on again after it, in the
    caller's transaction or in none, whether the search succeeds or fails half way."""
    request = SearchRequest(query=parse("人参"))
    seen = []
    caller = transaction.atomic() if inside_callers_transaction else nullcontext()
    with caller:
        try:
            with postgres.cursor() as cursor, database._index_for_text_match(cursor, request, "postgresql"):
                seen.append(_seqscan(postgres))
                if fails:
                    cursor.execute("SELECT 1 / 0")
        except DataError:
            assert fails
        seen.append(_seqscan(postgres))
    seen.append(_seqscan(postgres))
    assert seen == ["off", "on", "on"]
