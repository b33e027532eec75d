"""In-process measurement: server time and SQL query count per page, with Django's test client.

No network and no other process: ``time.perf_counter`` around ``Client.get`` and
``CaptureQueriesContext`` around it. The first request of each page warms caches and
template loaders and is not counted.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marketplace import storefront_cache
from marketplace.bench.load import percentile
from marketplace.bench.pages import ResolvedPage

HOST = "127.0.0.1"


@dataclass
class ServerTiming:
    name: str
    path: str
    times: list[float] = field(default_factory=list)  # seconds
    query_counts: list[int] = field(default_factory=list)
    cold_queries: int | None = None  # the first request after the storefront cache was invalidated
    sql_times: list[float] = field(default_factory=list)  # seconds of SQL per request (1 ms per query resolution)
    slowest_sql: tuple[float, str] = (0.0, "")  # (seconds, statement) of the slowest query seen
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    @property
    def queries(self) -> int | None:
        """The query count of a warm request (the most common one; see ``queries_vary``)."""
        if not self.query_counts:
            return None
        return Counter(self.query_counts).most_common(1)[0][0]

    @property
    def queries_vary(self) -> bool:
        return len(set(self.query_counts)) > 1

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.times) * 1000 if self.times else None

    @property
    def sql_median_ms(self) -> float | None:
        return statistics.median(self.sql_times) * 1000 if self.sql_times else None

    def ms(self, pct: float) -> float | None:
        value = percentile(self.times, pct)
        return None if value is None else value * 1000


def make_client() -> Client:
    return Client(SERVER_NAME=HOST, SERVER_PORT="80")


def basket_client(product_ids: list[int], lines: int = 3) -> tuple[Client, list[str]]:
    """A client whose (anonymous) basket holds ``lines`` products, added by POST."""
    client = make_client()
    problems = []
    for pk in product_ids[:lines]:
        response = client.post(f"/basket/add/{pk}/", {"quantity": 1})
        if response.status_code not in (200, 302, 303):
            problems.append(f"POST /basket/add/{pk}/ -> {response.status_code}")
    return client, problems


def basket_line_count(cookies) -> int | None:
    """Lines in the anonymous basket named by Oscar's signed basket cookie, or ``None``."""
    from django.conf import settings
    from django.core.signing import BadSignature, Signer
    from oscar.core.loading import get_model

    value = cookies.get(settings.OSCAR_BASKET_COOKIE_OPEN)
    value = getattr(value, "value", value)
    if not value:
        return None
    try:
        basket_id = Signer().unsign(value)
    except BadSignature:
        return None
    Line = get_model("basket", "Line")
    return Line.objects.filter(basket_id=basket_id).count()


def measure_page(page: ResolvedPage, *, requests: int = 50, client: Client | None = None) -> ServerTiming:
    """Time ``requests`` warm GETs of the page in-process and count their SQL queries."""
    timing = ServerTiming(name=page.name, path=page.path or "")
    client = client or make_client()
    expect = page.page.expect
    try:
        client.get(page.path)  # warm this process's own caches (templates, URLs), not counted
        storefront_cache.bump()  # then count a request that renders from the database
        with CaptureQueriesContext(connection) as cold:
            client.get(page.path)
        timing.cold_queries = len(cold.captured_queries)
    except Exception as error:  # noqa: BLE001 - report the page as failing, go on with the rest
        timing.errors.append(f"{error.__class__.__name__}: {error}")
        return timing
    for _ in range(requests):
        try:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(page.path)
                elapsed = time.perf_counter() - started
        except Exception as error:  # noqa: BLE001
            timing.errors.append(f"{error.__class__.__name__}: {error}")
            break
        timing.times.append(elapsed)
        timing.query_counts.append(len(captured.captured_queries))
        sql_time = 0.0
        for query in captured.captured_queries:
            seconds = float(query.get("time") or 0)
            sql_time += seconds
            if seconds > timing.slowest_sql[0] or not timing.slowest_sql[1]:
                timing.slowest_sql = (seconds, query.get("sql") or "")
        timing.sql_times.append(sql_time)
        timing.statuses[response.status_code] += 1
        if response.status_code not in expect:
            timing.errors.append(f"HTTP {response.status_code}")
    return timing


def count_queries(page: ResolvedPage, *, requests: int = 3, client: Client | None = None) -> ServerTiming:
    """A quick query count (a few requests), e.g. to compare catalogue sizes."""
    return measure_page(page, requests=requests, client=client)
