"""The relevance set (relevance.yaml) over the demo catalogue, on every backend.

Every query's top three results must be relevant; hit@3 and recall@10 are printed
(``pytest -s``) per kind of query.
"""

import uuid
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from tests.search.conftest import ES_URL

CASES = yaml.safe_load((Path(__file__).parent / "relevance.yaml").read_text(encoding="utf-8"))


def test_the_set_is_large_and_varied():
    assert len(CASES) >= 60
    kinds = {case["kind"] for case in CASES}
    assert {"hanzi", "pinyin", "initials", "everyday", "typo", "mixed"} <= kinds


@pytest.mark.parametrize("backend_name", ["database", "elasticsearch"])
def test_relevance(db, demo_titles, backend_name, settings):
    from search import service
    from search.backends import reset
    from search.backends.database import DatabaseBackend

    reset()
    if backend_name == "elasticsearch":
        if not ES_URL:
            pytest.skip("ELASTICSEARCH_URL is not set: no Elasticsearch to test against")
        from search.backends import elastic
        from search.documents import build_documents

        settings.ELASTICSEARCH_URL = ES_URL
        settings.SEARCH_ES_INDEX = f"test-silver-{uuid.uuid4().hex[:8]}"
        elastic.create_and_switch([build_documents(list(demo_titles))])
        backend = elastic.ElasticsearchBackend()
    else:
        backend = DatabaseBackend()
    failures, hits, recalls = [], defaultdict(list), defaultdict(list)
    for case in CASES:
        result = service.find_products(text=case["q"], limit=10, with_facets=False, backend=backend)

        def relevant(pk, case=case):
            return any(part in demo_titles[pk] for part in case["relevant"])

        top = result.ids[:3]
        hit = bool(top) and all(relevant(pk) for pk in top)
        every = [pk for pk in demo_titles if relevant(pk)]
        recall = sum(relevant(pk) for pk in result.ids[:10]) / min(10, len(every)) if every else 0.0
        hits[case["kind"]].append(hit)
        recalls[case["kind"]].append(recall)
        if not hit:
            failures.append((case["q"], [demo_titles[pk] for pk in top]))
    all_hits = [h for values in hits.values() for h in values]
    all_recalls = [r for values in recalls.values() for r in values]
    print(f"\n{backend_name}: hit@3 {sum(all_hits) / len(all_hits):.3f}, "
          f"recall@10 {sum(all_recalls) / len(all_recalls):.3f} over {len(all_hits)} queries")
    for kind in hits:
        print(f"  {kind:9s} hit@3 {sum(hits[kind]) / len(hits[kind]):.2f}  "
              f"recall@10 {sum(recalls[kind]) / len(recalls[kind]):.2f}  ({len(hits[kind])} queries)")
    assert failures == []
