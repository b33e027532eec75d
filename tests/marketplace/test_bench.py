"""The benchmark's own maths, rendering, load generator and in-process query counter."""

import statistics
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from marketplace.bench import load, pages, queries, report, wrk

# --- Percentiles ----------------------------------------------------------------------------


def test_percentile_interpolates_between_ranks():
    values = [10, 20, 30, 40]
    assert load.percentile(values, 0) == 10
    assert load.percentile(values, 100) == 40
    assert load.percentile(values, 50) == pytest.approx(25)
    assert load.percentile(values, 95) == pytest.approx(38.5)  # rank 2.85: 30 + 0.85 * 10


def test_percentile_ignores_input_order_and_matches_statistics():
    values = [7.0, 1.0, 3.0, 9.0, 2.0, 8.0, 4.0, 6.0, 5.0, 10.0, 11.5]
    cuts = statistics.quantiles(values, n=100, method="inclusive")  # cuts[k-1] is the k-th percentile
    for pct in (1, 25, 50, 95, 99):
        assert load.percentile(values, pct) == pytest.approx(cuts[pct - 1])


def test_percentile_edge_cases():
    assert load.percentile([], 50) is None
    assert load.percentile([0.25], 99) == 0.25
    with pytest.raises(ValueError):
        load.percentile([1, 2], 101)


def test_load_result_rates_and_milliseconds():
    result = load.LoadResult(path="/", concurrency=2, latencies=[0.010, 0.020, 0.030], elapsed=1.5)
    assert result.requests == 3
    assert result.rps == pytest.approx(2.0)
    assert result.ms(50) == pytest.approx(20.0)
    assert load.LoadResult(path="/", concurrency=1).rps == 0.0


# --- Markdown -------------------------------------------------------------------------------


def _results():
    timing = queries.ServerTiming(name="product", path="/catalogue/p_1/", times=[0.010, 0.012, 0.014],
                                  query_counts=[2, 2, 2], cold_queries=9, sql_times=[0.003, 0.004, 0.005],
                                  slowest_sql=(0.002, "SELECT COUNT(*) FROM catalogue_product"))
    fast = load.LoadResult(path="/catalogue/p_1/", concurrency=1, latencies=[0.020] * 99 + [0.100], elapsed=2.0)
    busy = load.LoadResult(path="/catalogue/p_1/", concurrency=16, latencies=[0.200] * 10, elapsed=1.0,
                           errors=2, error_samples=["HTTP 500"])
    return [
        report.PageResult("product", "/catalogue/p_1/", server=timing, loads={1: fast, 16: busy},
                          wrk=wrk.WrkResult(rps=251.4, requests=1257, percentiles_ms={50: 58.1, 99: 96.0},
                                            statuses={200: 1256, 500: 1})),
        report.PageResult("trace", None, skipped="no traceability lots in the database"),
    ]


def test_markdown_table_has_a_row_per_page_with_latencies_and_errors():
    text = report.render(title="Bench", meta={"Products": "100,000"}, results=_results(), concurrencies=[1, 16])
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("| Page"))
    assert header == ("| Page | URL | SQL queries | SQL queries (cold cache) | Server median ms | SQL median ms "
                      "| 1c p50/p95/p99 ms "
                      "| 1c req/s | 16c p50/p95/p99 ms | 16c req/s | wrk 16c req/s | wrk 16c p50/p99 ms | Errors |")
    assert lines[lines.index(header) + 1] == "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    product_row = next(line for line in lines if line.startswith("| product"))
    cells = [cell.strip() for cell in product_row.strip("|").split("|")]
    assert cells == ["product", "`/catalogue/p_1/`", "2", "9", "12.0", "4.0", "20.0 / 20.0 / 20.8", "50.0",
                     "200 / 200 / 200", "10.0", "251", "58.1 / 96.0", "3"]
    assert "| trace | – |" in text and "skipped: no traceability lots" in text
    assert "- **Products:** 100,000" in text
    assert "## Errors" in text and "16 clients: HTTP 500" in text
    assert "wrk: {200: 1256, 500: 1}" in text
    assert report.total_errors(_results()) == 3


def test_markdown_flags_query_counts_that_grow_with_the_catalogue():
    comparisons = [report.QueryComparison("product", 9, 9), report.QueryComparison("category", 12, 14)]
    text = report.render(title="Bench", meta={}, results=_results(), concurrencies=[1, 16],
                         comparisons=comparisons, comparison_labels=("1,000 products", "100,000 products"))
    assert "| Page | SQL queries @ 1,000 products | SQL queries @ 100,000 products | Result |" in text
    assert "| product | 9 | 9 | same |" in text
    assert "| category | 12 | 14 | **DIFFERENT** |" in text


def test_markdown_lists_the_slowest_query_of_slow_pages_only():
    assert "Slowest SQL" not in report.render(title="B", meta={}, results=_results(), concurrencies=[1])
    text = report.render(title="B", meta={}, results=_results(), concurrencies=[1], slow_ms=10)
    assert "## Slowest SQL on pages over 10 ms" in text
    assert "- **product** (2 ms): `SELECT COUNT(*) FROM catalogue_product`" in text


def test_markdown_escapes_pipes_and_marks_varying_query_counts():
    timing = queries.ServerTiming(name="a|b", path="/x", times=[0.001], query_counts=[3, 4, 3])
    text = report.results_table([report.PageResult("a|b", "/x", server=timing)], [1])
    assert "| a\\|b |" in text
    assert "3 (varies 3–4)" in text


# --- Registry -------------------------------------------------------------------------------


def test_registry_can_be_extended_and_skips_pages_without_data():
    try:
        pages.register("extra", lambda ctx: "/extra/")

        @pages.register("empty")
        def empty(ctx):
            raise pages.SkipPage("nothing here")

        with pytest.raises(ValueError):
            pages.register("extra", lambda ctx: "/again/")
        resolved = {page.name: page for page in pages.resolve_pages(pages.PageContext(), ["extra", "empty"])}
        assert resolved["extra"].path == "/extra/"
        assert resolved["empty"].path is None and resolved["empty"].skipped == "nothing here"
    finally:
        pages.unregister("extra")
        pages.unregister("empty")
    assert {"home", "category", "product", "search", "basket", "trace"} <= set(pages.PAGES)


# --- Load generator -------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def do_GET(self):  # noqa: N802 - http.server's naming
        self.server.gets.append(self.path)
        status = 500 if self.path == "/broken" else 200
        body = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", "sessionid=abc; Path=/; HttpOnly")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.server.posts.append((self.path, self.rfile.read(length).decode(), self.headers.get("Cookie", "")))
        self.send_response(302)
        self.send_header("Location", "/basket/")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


_SERVERS: dict = {}


def http_server_posts(port):
    return _SERVERS[port].posts


@pytest.fixture
def http_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.posts, server.gets = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _SERVERS[server.server_address[1]] = server
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_run_load_stops_at_its_request_budget_and_counts_errors(http_server):
    ok = load.run_load("127.0.0.1", http_server, "/", concurrency=4, duration=30, max_requests=40)
    assert ok.requests == 40 and ok.errors == 0 and ok.statuses[200] == 40
    assert ok.elapsed < 30
    broken = load.run_load("127.0.0.1", http_server, "/broken", concurrency=2, duration=30, max_requests=6)
    assert broken.errors == 6 and broken.error_samples == ["HTTP 500"]


def test_run_load_stops_at_its_duration(http_server):
    result = load.run_load("127.0.0.1", http_server, "/", concurrency=2, duration=0.3)
    assert result.requests > 0
    assert result.elapsed < 5


def test_load_refuses_hosts_other_than_loopback():
    with pytest.raises(ValueError):
        load.run_load("example.com", 80, "/", concurrency=1, duration=0.1)


def test_cookie_jar_keeps_set_cookie(http_server):
    jar = load.CookieJar()
    status, body, _ = load.fetch("127.0.0.1", http_server, "GET", "/", jar=jar)
    assert (status, body) == (200, b"ok")
    assert jar.cookies == {"sessionid": "abc"} and jar.header() == "sessionid=abc"


# --- In-process query counting (test database) ------------------------------------------------


@pytest.fixture
def plain_static(settings):
    # Templates use {% static %}; without collectstatic the manifest storage cannot name files.
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.mark.django_db
def test_in_process_counter_measures_the_product_page(plain_static):
    from tests.factories import sellable_product

    item = sellable_product()
    ctx = pages.PageContext()
    assert ctx.sellable_product_ids == [item.pk]
    (page,) = pages.resolve_pages(ctx, ["product"])
    assert page.path == item.get_absolute_url()

    timing = queries.measure_page(page, requests=3)

    assert timing.errors == []
    assert timing.statuses == {200: 3}
    assert len(timing.times) == 3 and timing.median_ms > 0
    assert timing.cold_queries > 0  # rendered after the storefront cache was invalidated…
    assert timing.queries == 0  # …and then served whole from it (catalog/product_page.py)
    assert len(timing.sql_times) == 3


@pytest.mark.django_db
def test_the_products_bought_are_stocked_for_the_run_so_none_sells_out_mid_measurement():
    from marketplace.bench import runner
    from tests.factories import sellable_product
    from traceability.models import Lot

    low, full, other = sellable_product(), sellable_product(), sellable_product()
    low.lots.update(quantity=3)
    full.lots.update(quantity=runner.RUN_STOCK + 5)
    other.lots.update(quantity=3)
    text = runner.stock_for_the_run([low.pk, full.pk], log=lambda line: None)
    assert Lot.objects.get(product=low).quantity == runner.RUN_STOCK
    assert Lot.objects.get(product=full).quantity == runner.RUN_STOCK + 5  # never lowered
    assert Lot.objects.get(product=other).quantity == 3  # products not bought are left alone
    assert low.stockrecords.get().num_in_stock == runner.RUN_STOCK  # stock records follow the lots
    assert "1 filled up" in text


@pytest.mark.django_db
def test_basket_client_holds_the_lines_it_added(plain_static):
    from tests.factories import sellable_product

    ids = [sellable_product().pk for _ in range(2)]
    client, problems = queries.basket_client(ids, lines=3)
    assert problems == []
    assert queries.basket_line_count(client.cookies) == 2


# --- wrk ------------------------------------------------------------------------------------

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8000/p/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    61.20ms   20.11ms 301.00ms   80.00%
    Req/Sec   131.00     20.00   180.00     70.00%
  Latency Distribution
     50%   58.10ms
     75%   70.00ms
     90%  850.00us
     99%    1.20s
  1312 requests in 5.01s, 30.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:    261.87
Transfer/sec:      5.99MB
status 200 1305
status 500 7
"""


def test_wrk_output_is_read_in_milliseconds_with_every_status_counted():
    result = wrk.parse(WRK_OUTPUT)
    assert result.rps == pytest.approx(261.87) and result.requests == 1312
    assert result.percentiles_ms == {50: pytest.approx(58.1), 75: pytest.approx(70.0), 90: pytest.approx(0.85),
                                     99: pytest.approx(1200.0)}
    assert result.statuses == {200: 1305, 500: 7} and result.socket_errors == 3
    assert result.errors(frozenset({200})) == 10
    assert result.errors(frozenset({200, 500})) == 3


def test_the_lua_percentiles_are_exact_and_add_the_95th():
    result = wrk.parse(WRK_OUTPUT + "percentile 50 58123\npercentile 90 91000\npercentile 95 123456\n"
                                    "percentile 99 1200000\n")
    assert result.percentiles_ms == {50: pytest.approx(58.123), 75: pytest.approx(70.0), 90: pytest.approx(91.0),
                                     95: pytest.approx(123.456), 99: pytest.approx(1200.0)}


@pytest.fixture
def with_wrk():
    from tests.conftest import need

    need(wrk.available(), "wrk is not installed (make test installs Debian's package)")


def test_wrk_loads_a_page_and_counts_statuses(http_server, with_wrk):
    ok = wrk.get(f"http://127.0.0.1:{http_server}/", clients=4, duration=1)
    assert not ok.problem and ok.requests > 0 and ok.rps > 0
    p = ok.percentiles_ms
    assert set(p) >= {50, 90, 95, 99} and 0 < p[50] <= p[90] <= p[95] <= p[99]
    assert set(ok.statuses) == {200} and ok.errors(frozenset({200})) == 0
    broken = wrk.get(f"http://127.0.0.1:{http_server}/broken", clients=2, duration=1)
    assert broken.statuses.get(500) == broken.requests > 0
    assert broken.errors(frozenset({200})) == broken.requests


def test_wrk_basket_add_posts_the_token_and_cookie_round_the_products(http_server, with_wrk):
    result = wrk.basket_add(f"http://127.0.0.1:{http_server}", product_ids=[7, 8, 9], token="tok123",
                            cookie="csrftoken=abc", clients=2, duration=1)
    assert not result.problem and result.statuses.get(302) == result.requests > 0
    posts = http_server_posts(http_server)
    assert {path for path, _, _ in posts} == {"/basket/add/7/", "/basket/add/8/", "/basket/add/9/"}
    assert all(body == "quantity=1&csrfmiddlewaretoken=tok123" and cookie == "csrftoken=abc"
               for _, body, cookie in posts)


def test_wrk_rotate_gives_each_thread_its_own_share_of_the_paths(http_server, with_wrk):
    paths = [f"/q/{i}" for i in range(1000)]
    result = wrk.rotate(f"http://127.0.0.1:{http_server}", paths=paths, clients=2, duration=1)
    assert not result.problem and result.statuses.get(200) == result.requests > 0
    gets = _SERVERS[http_server].gets
    first = [int(path.rsplit("/", 1)[1]) for path in gets[:20]]
    # Two threads: one walks from the start, the other from the middle, so no query is asked
    # for twice before the list comes round (unless the run outlasts it).
    assert any(n < 500 for n in first) and any(n >= 500 for n in first)
    if result.requests < len(paths):
        assert len(set(gets)) == len(gets)


def test_wrk_rotate_once_asks_for_each_path_at_most_once_however_long_the_run(http_server, with_wrk):
    paths = [f"/once/{i}" for i in range(200)]
    result = wrk.rotate(f"http://127.0.0.1:{http_server}", paths=paths, clients=4, duration=3, once=True)
    assert not result.problem
    gets = [path for path in _SERVERS[http_server].gets if path.startswith("/once/")]
    # Each thread stops after its share; only the requests its other connections had already
    # started may run past it, into the other thread's share (a handful at most).
    assert len(paths) - 10 <= len(gets) <= len(paths) + 2 * 4
    assert len(gets) - len(set(gets)) <= 2 * 4
    # Answered requests over the threads' own span, not over the whole -d (most of it idle).
    assert 0 < result.requests <= len(gets)
    assert result.rps > result.requests / 3 * 1.2
