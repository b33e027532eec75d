"""``manage.py search_bench``: the search backend's own latency, without HTTP.

Times ``backend.search`` (uncached: straight to the backend) for a mix of query kinds
with facets, and the autocomplete look-up, and prints p50/p95/p99. With ``--clone-to N``
it first copies the existing documents until the table holds N rows (PostgreSQL only;
for a throw-away benchmark database: the copies point at product ids that do not exist,
so foreign-key checks are switched off for that session).
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from marketplace.bench.load import percentile
from search import query as query_module
from search import service
from search.backends import get_backend
from search.backends.base import Filters, SearchRequest
from search.models import SearchDocument

QUERIES = ["人参", "renshen", "rs", "血压计", "xueyaji", "xyj", "老花镜", "拐杖", "尿不湿", "助听器", "耳背机",
           "抚松 林下参", "我想买个血压计", "renshne", "助听气", "wheelchair", "鹿茸片", "zzzzqq", "轮椅 折叠",
           "lurong"]
FILTERS = [Filters(), Filters(available=True), Filters(price="100-300"), Filters(origin="抚松")]


class Command(BaseCommand):
    help = "Time the search backend and autocomplete directly (p50/p95/p99 in ms)."

    def add_arguments(self, parser):
        parser.add_argument("--clone-to", type=int, default=0, help="copy documents until the table has N rows")
        parser.add_argument("--rounds", type=int, default=5)

    def handle(self, *args, clone_to, rounds, **options):
        if clone_to:
            self._clone(clone_to)
        backend = get_backend()
        rows = SearchDocument.objects.count()
        timings, counts = [], {}
        for round_ in range(rounds):
            for n, text in enumerate(QUERIES):
                filters = FILTERS[(n + round_) % len(FILTERS)]
                parsed = query_module.parse(text)
                request = SearchRequest(query=parsed, filters=filters, limit=24,
                                        facet_categories=service.facet_categories(""))
                started = time.perf_counter()
                result = backend.search(request)
                timings.append((time.perf_counter() - started) * 1000)
                counts[text] = result.total
        suggest = []
        for _ in range(rounds * 20):
            for prefix in ("x", "xy", "rens", "人", "lao", "zhut"):
                started = time.perf_counter()
                backend.suggest(prefix)
                suggest.append((time.perf_counter() - started) * 1000)
        self.stdout.write(f"{backend.name} backend, {connection.vendor}, {rows:,} documents, "
                          f"{len(timings)} searches with facets (parse excluded)")
        for label, values in (("search", timings), ("autocomplete", suggest)):
            self.stdout.write(f"  {label:12s} p50 {percentile(values, 50):7.2f} ms  p95 {percentile(values, 95):7.2f} ms  "
                              f"p99 {percentile(values, 99):7.2f} ms  mean {statistics.mean(values):7.2f} ms")
        self.stdout.write("  matches: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

    def _clone(self, target: int) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("--clone-to needs PostgreSQL")
        columns = [f.column for f in SearchDocument._meta.concrete_fields if f.column != "product_id"]
        cols = ", ".join(columns)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("SELECT COUNT(*), COALESCE(MAX(product_id), 0) FROM search_searchdocument")
            count, top = cursor.fetchone()
            if not count:
                raise CommandError("no documents to copy: run search_index rebuild first")
            offset = top
            while count < target:
                cursor.execute(
                    f"INSERT INTO search_searchdocument (product_id, {cols}) "
                    f"SELECT product_id + %s, {cols} FROM search_searchdocument WHERE product_id <= %s "
                    f"ORDER BY product_id LIMIT %s", [offset, top, target - count])
                count += cursor.rowcount
                offset += top
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
        self.stderr.write(f"search_searchdocument now holds {count:,} rows")
