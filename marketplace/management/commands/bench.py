"""``manage.py bench``: storefront latency, throughput and SQL query counts (see marketplace/bench/)."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace.bench.pages import PAGES
from marketplace.bench.runner import BenchOptions, run


def int_list(value: str) -> list[int]:
    try:
        numbers = [int(item) for item in value.split(",") if item.strip()]
    except ValueError as error:
        raise CommandError(f"expected comma-separated numbers, got {value!r}") from error
    if not numbers or min(numbers) < 1:
        raise CommandError(f"expected positive numbers, got {value!r}")
    return numbers


def default_workers() -> int:
    """gunicorn's own advice, (2 × cores) + 1, which the README gives for production too."""
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = (
        "Seed a large catalogue, serve it with gunicorn on 127.0.0.1 and report per-page latency "
        "(1 and 16 clients), requests/s, errors, SQL queries and in-process server time as Markdown. "
        "Exits non-zero if any request failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=100_000, help="catalogue size to bench (default 100000)")
        parser.add_argument("--compare-products", type=int, default=1_000,
                            help="first seed this many and compare SQL query counts with the full size (0: off)")
        parser.add_argument("--skip-seed", action="store_true", help="bench the database as it is")
        parser.add_argument("--concurrency", default="1,16", help="client counts, comma-separated (default 1,16)")
        parser.add_argument("--duration", type=float, default=10.0, help="seconds per page per concurrency")
        parser.add_argument("--max-requests", type=int, default=None, help="also stop a phase after this many")
        parser.add_argument("--server-requests", type=int, default=50, help="in-process requests per page")
        parser.add_argument("--workers", type=int, default=default_workers(),
                            help="gunicorn workers (default 2 × cores + 1, as the README advises for production)")
        parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
        parser.add_argument("--gunicorn-arg", action="append", default=[], dest="gunicorn_args",
                            help="extra gunicorn argument, repeatable (e.g. --gunicorn-arg=--threads=4)")
        parser.add_argument("--pages", default="", help=f"only these pages, comma-separated ({', '.join(PAGES)})")
        parser.add_argument("--search-query", default=None, help="search term (default: from a product title)")
        parser.add_argument("--basket-lines", type=int, default=3, help="lines in the benched basket")
        parser.add_argument("--trace-events", type=int, default=0,
                            help="also time chain verification over this many events (bench_traceability)")
        parser.add_argument("--no-collectstatic", action="store_false", dest="collectstatic",
                            help="do not run collectstatic before starting gunicorn")
        parser.add_argument("--output-dir", type=Path, default=None, help="default: $VAR_DIR/bench")
        parser.add_argument("--no-checkout", action="store_false", dest="checkout",
                            help="skip the checkout steps and the browsing-while-selling run")
        parser.add_argument("--mixed-orders-per-second", type=float, default=2.0,
                            help="order rate of the paced browsing-while-selling run (default 2)")
        parser.add_argument("--fail-on-query-growth", action="store_true",
                            help="also exit non-zero if a page's query count changes with catalogue size")

    def handle(self, *args, **o):
        pages = [name.strip() for name in o["pages"].split(",") if name.strip()] or None
        unknown = [name for name in pages or [] if name not in PAGES]
        if unknown:
            raise CommandError(f"unknown page(s) {', '.join(unknown)}; known: {', '.join(PAGES)}")
        if (o["products"] < 1 or o["duration"] <= 0 or o["server_requests"] < 1 or o["workers"] < 1
                or o["mixed_orders_per_second"] <= 0):
            raise CommandError("--products, --duration, --server-requests, --workers and --mixed-orders-per-second "
                               "must be positive")
        options = BenchOptions(
            products=o["products"], compare_products=o["compare_products"], seed=not o["skip_seed"],
            concurrency=int_list(o["concurrency"]), duration=o["duration"], max_requests=o["max_requests"],
            server_requests=o["server_requests"], workers=o["workers"], port=o["port"],
            gunicorn_args=o["gunicorn_args"], pages=pages, search_query=o["search_query"],
            basket_lines=o["basket_lines"], trace_events=o["trace_events"], collectstatic=o["collectstatic"],
            output_dir=o["output_dir"], fail_on_query_growth=o["fail_on_query_growth"], checkout=o["checkout"],
            mixed_orders_per_second=o["mixed_orders_per_second"],
        )
        self.stderr.style_func = None  # progress lines are not errors
        try:
            outcome = run(options, write=lambda line: self.stderr.write(line))
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(outcome.markdown)
        self.stderr.write(f"report written to {outcome.path}")
        if outcome.errors:
            raise CommandError(f"{outcome.errors} request(s) failed; see the Errors section of {outcome.path}")
        if options.fail_on_query_growth and outcome.query_growth:
            raise CommandError("SQL query count changed with catalogue size: " + "; ".join(outcome.query_growth))
