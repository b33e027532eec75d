"""The bench's many-queries search section: queries read off the catalogue, timed uncached."""

import pytest

from search import bench_queries, indexing

pytestmark = pytest.mark.django_db


def test_queries_are_pieces_of_titles_their_pinyin_and_category_names(catalogue):
    indexing.flush()
    queries = bench_queries.catalogue_queries()
    assert "血压" in queries or any("血压" in q for q in queries)
    assert any(q.isascii() and q.isalpha() for q in queries)  # pinyin of two-character pieces
    assert len(queries) == len(set(queries))
    assert set(bench_queries.prefixes(["xueya", "血压计"])) == {"xu", "血"}


def test_the_backend_is_timed_once_per_query_without_the_result_cache(catalogue):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    indexing.flush()
    bench_queries.backend_times(["血压计"])  # a result cache, if it were used, would answer the next two
    with CaptureQueriesContext(connection) as captured:
        times = bench_queries.backend_times(["血压计", "血压计"])
    assert len(times) == 2 and all(t > 0 for t in times)
    assert sum(q["sql"].startswith("SELECT d.product_id") for q in captured.captured_queries) == 2
