"""The whole benchmark: seed, measure in-process, serve with gunicorn, load, report.

``manage.py bench`` parses options into :class:`BenchOptions` and calls :func:`run`.
"""

from __future__ import annotations

import io
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command, get_commands
from django.db import connection
from django.utils.module_loading import autodiscover_modules

from marketplace.bench import load, queries, report, wrk
from marketplace.bench.pages import PageContext, ResolvedPage, resolve_pages

HOST = "127.0.0.1"


@dataclass
class BenchOptions:
    products: int = 100_000
    compare_products: int = 1_000  # 0: no comparison
    seed: bool = True
    concurrency: list[int] = field(default_factory=lambda: [1, 16])
    duration: float = 10.0
    max_requests: int | None = None
    server_requests: int = 50
    workers: int = 3  # the command passes its default, 2 × cores + 1
    port: int = 0
    gunicorn_args: list[str] = field(default_factory=list)
    pages: list[str] | None = None
    search_query: str | None = None
    basket_lines: int = 3
    trace_events: int = 0
    collectstatic: bool = True
    output_dir: Path | None = None
    fail_on_query_growth: bool = False
    checkout: bool = True  # time basket-add and each checkout step, and browsing while orders are placed
    mixed_orders_per_second: float = 2.0  # the paced browsing-while-selling run (see README, Benchmarks)


@dataclass
class BenchOutcome:
    markdown: str
    path: Path
    errors: int
    query_growth: list[str]


class Log:
    def __init__(self, write):
        self.write = write
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        self.write(f"[bench {time.perf_counter() - self.started:6.1f}s] {message}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env() -> dict[str, str]:
    """The environment for gunicorn: ours, with DEBUG off and loopback hosts only."""
    env = dict(os.environ)
    env["DEBUG"] = "false"
    env["ALLOWED_HOSTS"] = f"{HOST},localhost"
    env.pop("TESTING", None)
    if not env.get("SECRET_KEY"):
        env["SECRET_KEY"] = secrets.token_urlsafe(50)
    # Same database as this process, even when it came from defaults rather than the env.
    env.setdefault("DATABASE_URL", settings.DATABASE_URL)
    env.setdefault("VAR_DIR", str(settings.VAR_DIR))
    return env


def product_count() -> int:
    from oscar.core.loading import get_model

    return get_model("catalogue", "Product").objects.count()


# --- Seeding --------------------------------------------------------------------------------

def seed(products: int, log: Log) -> float:
    if "seed_bench" not in get_commands():
        raise RuntimeError("the seed_bench command is not available; run with --skip-seed on a seeded database")
    log(f"seed_bench --products {products}")
    started = time.perf_counter()
    call_command("seed_bench", products=products, stdout=sys.stderr)  # stdout is for the report
    if "search_index" in get_commands():  # bulk inserts send no signals: index what was seeded
        log("search_index update")
        call_command("search_index", "update", "--no-elasticsearch", stdout=sys.stderr)
    elapsed = time.perf_counter() - started
    log(f"seeded to {product_count():,} products in {elapsed:.1f} s")
    return elapsed


# --- In-process ---------------------------------------------------------------------------

def in_process(pages: list[ResolvedPage], ctx: PageContext, requests: int,
               results: dict[str, report.PageResult] | None = None) -> dict[str, queries.ServerTiming]:
    """Measure every page in-process; basket pages get a client with a primed basket."""
    timings = {}
    basket_client = None
    for page in pages:
        if page.path is None:
            continue
        client = None
        if page.page.basket:
            if basket_client is None:
                basket_client, problems = queries.basket_client(ctx.sellable_product_ids, ctx.basket_lines)
                lines = queries.basket_line_count(basket_client.cookies)
                if not lines:
                    problems.append(f"in-process basket has {lines or 0} lines after adding "
                                    f"{min(ctx.basket_lines, len(ctx.sellable_product_ids))} products")
                if results is not None and problems:
                    results[page.name].problems += problems
            client = basket_client
        timings[page.name] = queries.measure_page(page, requests=requests, client=client)
    return timings


# --- gunicorn ---------------------------------------------------------------------------

def collectstatic(env: dict[str, str], log: Log) -> None:
    log("collectstatic (manifest storage, as gunicorn runs with DEBUG off)")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR, env=env, check=True,
    )
    # This process may have read the (then missing or older) manifest already, during
    # the system checks; read it again.
    if hasattr(staticfiles_storage, "load_manifest"):
        staticfiles_storage.hashed_files, staticfiles_storage.manifest_hash = staticfiles_storage.load_manifest()


@contextmanager
def gunicorn(options: BenchOptions, env: dict[str, str], log_path: Path, log: Log):
    port = options.port or free_port()
    command = [
        sys.executable, "-m", "gunicorn", "marketplace.wsgi:application",
        "--workers", str(options.workers), "--bind", f"{HOST}:{port}",
        "--timeout", "60", "--graceful-timeout", "5", "--error-logfile", str(log_path),
    ]
    if gunicorn_version() >= (27,):
        command.append("--no-control-socket")  # concurrent runs would share ~/.gunicorn/gunicorn.ctl
    command += options.gunicorn_args
    log(f"gunicorn on {HOST}:{port} with {options.workers} workers (log: {log_path})")
    process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{tail(log_path)}")
            try:
                status, _, _ = load.fetch(HOST, port, "GET", "/healthz")
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz within 90 s:\n{tail(log_path)}")
            time.sleep(0.3)
        yield port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log("gunicorn stopped")


def gunicorn_version() -> tuple[int, ...]:
    import gunicorn as package

    return tuple(package.version_info)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def http_load(pages: list[ResolvedPage], ctx: PageContext, options: BenchOptions, port: int,
              results: dict[str, report.PageResult], log: Log) -> dict[str, str]:
    """Load each page at each concurrency; returns notes for the report header."""
    notes: dict[str, str] = {}
    basket_jar = None
    for page in pages:
        if page.path is None:
            continue
        result = results[page.name]
        headers = {}
        if page.page.basket:
            if basket_jar is None:
                paths = {pk: product_path(pk) for pk in ctx.sellable_product_ids}
                basket_jar, problems = load.prime_basket(HOST, port, paths, ctx.basket_lines)
                lines = queries.basket_line_count(basket_jar.cookies)
                if not lines:
                    problems.append(f"HTTP basket has {lines or 0} lines after priming")
                else:
                    log(f"basket primed over HTTP with {lines} lines")
                    notes["Basket"] = f"{lines} lines, added with POST /basket/add/<pk>/ (CSRF token from the product page)"
                result.problems += problems
            headers["Cookie"] = basket_jar.header()
        # Untimed warm-up across the workers (template loaders, per-process caches); a failing
        # page is logged here and counted as errors by the measured phases below.
        warm = load.run_load(HOST, port, page.path, concurrency=options.workers, duration=30,
                             max_requests=options.workers * 3, headers=headers, expect=page.page.expect)
        if warm.errors:
            log(f"warning: {page.name} {page.path} failing in warm-up: {warm.error_samples[:3]} (see gunicorn log)")
        for concurrency in options.concurrency:
            outcome = load.run_load(HOST, port, page.path, concurrency=concurrency, duration=options.duration,
                                    max_requests=options.max_requests, headers=headers, expect=page.page.expect)
            result.loads[concurrency] = outcome
            log(f"{page.name:10s} {concurrency:3d} clients: {outcome.requests:6d} req, {outcome.rps:7.1f} req/s, "
                f"p50 {report.fmt_ms(outcome.ms(50))} ms, p99 {report.fmt_ms(outcome.ms(99))} ms, "
                f"{outcome.errors} errors")
        result.wrk = wrk.get(f"http://{HOST}:{port}{page.path}", clients=WRK_CLIENTS, duration=options.duration,
                             cookie=headers.get("Cookie", ""))
        log(f"{page.name:10s} wrk {WRK_CLIENTS} clients: {result.wrk.summary()}")
    return notes


WRK_CLIENTS = 16


def basket_add_bench(ctx: PageContext, options: BenchOptions, port: int, log: Log) -> tuple[str, int]:
    """Basket-add POSTs with wrk: a new anonymous basket each time, and one existing basket."""
    if not ctx.sellable_product_ids:
        return "skipped: no sellable product", 0
    base = f"http://{HOST}:{port}"
    ids = ctx.sellable_product_ids
    page_path = product_path(ids[0])
    runs: dict[str, wrk.WrkResult] = {}
    for label, jar in (("new basket each time (anonymous)", load.CookieJar()),
                       ("existing basket", load.prime_basket(HOST, port, {pk: product_path(pk) for pk in ids},
                                                             ctx.basket_lines)[0])):
        status, body, _ = load.fetch(HOST, port, "GET", page_path, jar=jar)
        match = load._CSRF_INPUT.search(body)
        token = (match.group(1) or match.group(2)).decode() if match else jar.cookies.get("csrftoken", "")
        if status != 200 or not token:
            runs[label] = wrk.WrkResult(problem=f"no CSRF token from {page_path} (HTTP {status})")
            continue
        # The anonymous run sends only the CSRF cookie, so every POST starts a basket.
        cookie = f"csrftoken={jar.cookies['csrftoken']}" if label.startswith("new") else jar.header()
        runs[label] = wrk.basket_add(base, product_ids=ids, token=token, cookie=cookie, clients=WRK_CLIENTS,
                                     duration=options.duration)
        log(f"basket-add, {label}: {runs[label].summary()}")
    rows = [[label, f"{r.rps:.0f}", " / ".join(report.fmt_ms(r.percentiles_ms.get(p)) for p in (50, 90, 99)),
             str(r.requests), ", ".join(f"{s}: {n}" for s, n in sorted(r.statuses.items())) or r.problem,
             str(r.errors(BASKET_ADD_OK))] for label, r in runs.items()]
    text = report.table([f"POST /basket/add/<pk>/ ({len(ids)} products round-robin), wrk {WRK_CLIENTS} clients",
                         "req/s", "p50 / p90 / p99 ms", "Requests", "Statuses", "Errors"], rows)
    return text, sum(r.errors(BASKET_ADD_OK) for r in runs.values())


BASKET_ADD_OK = frozenset({302, 303})


def checkout_bench(ctx: PageContext, options: BenchOptions, port: int, results: dict[str, report.PageResult],
                   log: Log) -> tuple[str, int]:
    """Guest COD purchases at the highest concurrency, then product and category pages under
    the same browsing load (wrk) while 4 clients place orders: at ``mixed_orders_per_second``,
    then as fast as they can (marketplace/bench/checkout.py)."""
    from marketplace.bench import checkout

    if not ctx.sellable_product_ids:
        return "skipped: no sellable product", 0
    products = {pk: product_path(pk) for pk in ctx.sellable_product_ids}
    clients = max(options.concurrency)
    steps, placed = checkout.run_checkout(HOST, port, products, concurrency=clients, duration=options.duration)
    for name, result in steps.items():
        log(f"{name:24s} {clients:3d} clients: {result.requests:6d} req, p95 {report.fmt_ms(result.ms(95))} ms, "
            f"{result.errors} errors")
    browse = {name: results[name].path for name in ("product", "category")
              if name in results and results[name].path and results[name].loads.get(clients)}
    alone = {name: results[name].wrk for name in browse if results[name].wrk is not None}
    runs, errors = [], sum(r.errors for r in steps.values())
    for rate in (options.mixed_orders_per_second, None):
        label = (f"{BUYERS} clients place {rate:g} orders/s" if rate else
                 f"{BUYERS} clients place orders as fast as they can")
        run = checkout.run_mixed(HOST, port, products, {n: browse[n] for n in alone}, label=label,
                                 browsers=WRK_CLIENTS, buyers=BUYERS, duration=options.duration,
                                 orders_per_second=rate)
        runs.append(run)
        for name, result in run.pages.items():
            log(f"{name:10s} wrk {WRK_CLIENTS} clients while {label}: p95 "
                f"{report.fmt_ms(result.percentiles_ms.get(95))} ms (alone "
                f"{report.fmt_ms(run.alone[name].percentiles_ms.get(95))} ms just before), {result.rps:.0f} req/s")
        errors += sum(r.errors(frozenset({200})) for r in [*run.pages.values(), *run.alone.values()])
    return checkout.markdown(steps, placed, alone, runs, clients=WRK_CLIENTS), errors


BUYERS = 4  # clients placing orders in the browsing-while-selling runs
RUN_STOCK = 1_000  # units the current lot of each product the buyers buy holds when a run starts


def stock_for_the_run(product_ids: list[int], log: Log) -> str:
    """Fill the current lot of each product the buyers buy up to ``RUN_STOCK`` units.

    A run sells a few hundred units over these products. On a database used for many runs
    they would otherwise sell out one by one during the measurements, and a sell-out, unlike
    a sale, changes every listing (``marketplace.storefront_cache``): the browsing-while-selling
    figures would then measure sell-outs, at whatever rate earlier runs left behind.
    """
    from traceability.models import Lot
    from traceability.sale import check, sync_stock_records

    lots = [status.lot.pk for status in check(product_ids=product_ids).values() if status.lot is not None]
    filled = Lot.objects.filter(pk__in=lots, quantity__lt=RUN_STOCK).update(quantity=RUN_STOCK)
    sync_stock_records(product_ids)
    text = f"the current lots of the {len(product_ids)} products bought hold {RUN_STOCK:,} units ({filled} filled up)"
    log(text)
    return text


def product_path(pk: int) -> str:
    from oscar.core.loading import get_model

    return get_model("catalogue", "Product").objects.get(pk=pk).get_absolute_url()


# --- Traceability ---------------------------------------------------------------------------

def trace_bench(events: int, log: Log) -> str:
    if "bench_traceability" not in get_commands():
        return "bench_traceability is not available; skipped."
    from traceability.models import TraceEvent

    existing = TraceEvent.objects.count()
    kwargs = {"verify_only": True} if existing >= events else {"events": events - existing, "append": True}
    log(f"bench_traceability {kwargs} ({existing:,} events already stored)")
    out = io.StringIO()
    started = time.perf_counter()
    try:
        call_command("bench_traceability", stdout=out, **kwargs)
    except Exception as error:  # noqa: BLE001 - reported, not fatal for the page benchmark
        return f"bench_traceability failed: {error.__class__.__name__}: {error}\n\n{out.getvalue()}"
    elapsed = time.perf_counter() - started
    body = "\n".join(f"    {line}" for line in out.getvalue().strip().splitlines())
    what = (f"{existing:,} events already stored (asked for {events:,}): verified only" if existing >= events
            else f"generated {events - existing:,} events to reach {events:,}, then verified")
    return f"{what}; bench_traceability took {elapsed:.1f} s in all.\n\n{body}"


# --- The run --------------------------------------------------------------------------------

def run(options: BenchOptions, write=print) -> BenchOutcome:
    log = Log(write)
    autodiscover_modules("bench_pages")  # apps may register more pages in <app>/bench_pages.py
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    output_dir = options.output_dir or Path(settings.VAR_DIR) / "bench"
    output_dir.mkdir(parents=True, exist_ok=True)
    ctx = PageContext(search_term=options.search_query, basket_lines=options.basket_lines)
    meta: dict[str, str] = {}
    sections: list[tuple[str, str]] = []
    comparisons: list[report.QueryComparison] = []
    labels = ("small", "large")

    # Before any page renders here or in gunicorn: with DEBUG off, {% static %} needs the manifest.
    env = server_env()
    if options.collectstatic:
        collectstatic(env, log)

    small_counts: dict[str, int | None] = {}
    if options.seed:
        seed_seconds = 0.0
        existing = product_count()
        if options.compare_products and existing > options.compare_products:
            meta["Query comparison"] = (f"skipped: the database already had {existing:,} products "
                                        f"(compare on a fresh database)")
            log(meta["Query comparison"])
        elif options.compare_products and options.compare_products < options.products:
            seed_seconds += seed(options.compare_products, log)
            small = product_count()
            pages = resolve_pages(ctx, options.pages)
            log(f"query counts at {small:,} products")
            for name, timing in in_process(pages, ctx, 3).items():
                small_counts[name] = timing.cold_queries
            labels = (f"{small:,} products", "")
        seed_seconds += seed(options.products, log)
        meta["Seeding"] = f"{seed_seconds:.1f} s (seed_bench)"
    elif options.compare_products:
        meta["Query comparison"] = "skipped (--skip-seed)"

    if options.checkout and ctx.sellable_product_ids:
        meta["Stock"] = stock_for_the_run(ctx.sellable_product_ids, log)
    products = product_count()
    pages = resolve_pages(ctx, options.pages)
    results = {page.name: report.PageResult(page.name, page.path, page.skipped, expect=page.page.expect)
               for page in pages}
    for page in pages:
        if page.skipped:
            log(f"skip {page.name}: {page.skipped}")

    log(f"in-process: {options.server_requests} requests per page on {products:,} products")
    timings = in_process(pages, ctx, options.server_requests, results)
    for name, timing in timings.items():
        results[name].server = timing
        log(f"{name:10s} {timing.queries} queries, median {report.fmt_ms(timing.median_ms)} ms"
            + (f", errors: {timing.errors[:2]}" if timing.errors else ""))

    if small_counts:
        labels = (labels[0], f"{products:,} products")
        for page in pages:
            if page.path is not None:
                comparisons.append(report.QueryComparison(page.name, small_counts.get(page.name),
                                                          results[page.name].server.cold_queries))
    growth = [f"{c.name}: {c.small} -> {c.large}" for c in comparisons if c.differs]
    for line in growth:
        log(f"QUERY COUNT CHANGED with catalogue size: {line}")

    log_path = output_dir / f"gunicorn-{stamp}.log"
    checkout_errors = 0
    try:
        with gunicorn(options, env, log_path, log) as port:
            meta.update(http_load(pages, ctx, options, port, results, log))
            if options.checkout:
                text, checkout_errors = basket_add_bench(ctx, options, port, log)
                sections.append(("Basket-add (wrk)", text))
            if any(page.name == "search" for page in pages):
                from search import bench_queries

                sections.append(("Search, many different queries", bench_queries.bench(
                    f"http://{HOST}:{port}", clients=WRK_CLIENTS, duration=options.duration, log=log)))
            if options.checkout:
                text, errors = checkout_bench(ctx, options, port, results, log)
                checkout_errors += errors
                sections.append(("Checkout and browsing while selling", text))
    except RuntimeError as error:
        for result in results.values():
            if not result.skipped and not result.loads:
                result.problems.append(f"no HTTP load: {str(error).splitlines()[0]}")
        sections.append(("gunicorn", f"```\n{error}\n```"))
    if any(result.errors for result in results.values()):
        sections.append(("gunicorn log (tail)", f"```\n{tail(log_path)}\n```"))

    if options.trace_events:
        sections.append(("Traceability verification", trace_bench(options.trace_events, log)))

    meta = {
        "Date": datetime.now().isoformat(timespec="seconds"),
        "Database": f"{connection.vendor} ({connection.settings_dict.get('NAME')})",
        "Products": f"{products:,}",
        "Server": f"gunicorn, {options.workers} workers, DEBUG off"
                  + (f", {' '.join(options.gunicorn_args)}" if options.gunicorn_args else ""),
        "Load": f"{options.duration:g} s per page per concurrency"
                + (f", at most {options.max_requests} requests" if options.max_requests else "")
                + f"; clients: {', '.join(map(str, options.concurrency))}",
        "In-process": f"{options.server_requests} warm requests per page"
                      + (" (this process has DEBUG on)" if settings.DEBUG else ""),
        "Cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        **meta,
    }
    ordered = [results[page.name] for page in pages]
    markdown = report.render(
        title="Silver Market storefront benchmark", meta=meta, results=ordered,
        concurrencies=options.concurrency, comparisons=comparisons, comparison_labels=labels,
        sections=sections,
    )
    path = output_dir / f"bench-{stamp}.md"
    path.write_text(markdown, encoding="utf-8")
    return BenchOutcome(markdown=markdown, path=path, errors=report.total_errors(ordered) + checkout_errors,
                        query_growth=growth)
