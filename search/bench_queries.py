"""Search under many different queries, for ``make bench``.

The search pages in the page table repeat one query, so after the first request they come
from the storefront cache. Shoppers type many different things, so this also times:

- the backend itself, in-process, for each of a few hundred queries taken from the
  catalogue (pieces of product titles, their pinyin, category names), with no result cache;
- the search page over HTTP with wrk, each of those queries asked once (each is new to the
  storefront cache: the bench's in-process timing before it has bumped the storefront
  version), and the autocomplete round their prefixes.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.bench import report, wrk
from search import analysis, service
from search.backends import get_backend

SAMPLE_PRODUCTS = 200
MAX_QUERIES = 400
# The page gets more queries than the backend timing, to be timed over more requests.
PAGE_SAMPLE_PRODUCTS = 1000
PAGE_MAX_QUERIES = 2000


class Uncached:
    """The configured backend, asked directly: ``service.find_products`` skips its result cache."""

    uncached = True

    def __init__(self, backend):
        self.backend, self.name = backend, backend.name

    def search(self, request):
        return self.backend.search(request)


def catalogue_queries(*, sample: int = SAMPLE_PRODUCTS, limit: int = MAX_QUERIES) -> list[str]:
    """Distinct queries a shopper might type, read off the catalogue: title pieces of two to
    four characters, the pinyin of some, and category names."""
    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    stride = max(1, Product.objects.count() // sample)
    titles = (Product.objects.annotate(slot=F("id") % stride).filter(slot=0)
              .order_by("id").values_list("title", flat=True)[:sample])
    found: dict[str, None] = {}
    for n, title in enumerate(titles):
        for run in (run for run in analysis.runs(title) if analysis.is_cjk(run)):
            for size in (2, 3, 4):
                if len(run) >= size:
                    piece = run[n % (len(run) - size + 1):][:size]
                    found[piece] = None
                    if size == 2:
                        found["".join(analysis.syllables(piece))] = None
    for name in Category.objects.values_list("name", flat=True)[:100]:
        found[name] = None
    return list(found)[:limit]


def prefixes(queries: list[str]) -> list[str]:
    return list(dict.fromkeys(query[:2] if query.isascii() else query[:1] for query in queries))


def backend_times(queries: list[str]) -> list[float]:
    backend = Uncached(get_backend())
    service.find_products(text="预热", backend=backend)  # a server process has its dictionaries loaded
    times = []
    for text in queries:
        started = time.perf_counter()
        service.find_products(text=text, backend=backend)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _pct(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def bench(base_url: str, *, clients: int, duration: float, log) -> str:
    """The section's Markdown: backend times, then the search page and autocomplete under wrk."""
    queries = catalogue_queries()
    if not queries:
        return "skipped: no products to take queries from"
    times = backend_times(queries)
    log(f"search backend over {len(queries)} queries: p95 {_pct(times, 95):.1f} ms")
    rows = [[f"backend query, in-process, no result cache ({get_backend().name})", str(len(queries)),
             " / ".join(f"{_pct(times, p):.1f}" for p in (50, 95, 99)), "–"]]
    page_queries = catalogue_queries(sample=PAGE_SAMPLE_PRODUCTS, limit=PAGE_MAX_QUERIES)
    pages = [("search page, each query once", [f"{reverse('search:search')}?{urlencode({'q': q})}" for q in page_queries],
              True),
             ("autocomplete", [f"{reverse('search:suggest')}?{urlencode({'q': q})}" for q in prefixes(queries)], False)]
    for label, paths, once in pages:
        result = wrk.rotate(base_url, paths=paths, clients=clients, duration=duration, once=once)
        log(f"{label} round {len(paths)} queries: {result.summary()}")
        p = result.percentiles_ms
        rows.append([f"{label}, wrk {clients} clients", f"{len(paths)} ({result.requests} requests)",
                     " / ".join(report.fmt_ms(p.get(pct)) for pct in (50, 95, 99)),
                     result.problem or f"{result.rps:.0f}"])
    return report.table(["Search, many different queries", "Queries", "p50 / p95 / p99 ms", "req/s"], rows)
