"""Buying under load: basket-add and each checkout step timed, and browsing while orders are placed.

Each simulated shopper walks the real path over HTTP, as a guest paying cash on delivery:
product page → basket-add → basket → guest → address → delivery → payment → confirm →
place order. Every step's latency is recorded under its own name. The mixed run loads the
product and category pages with ``browsers`` clients alone and then while ``buyers`` clients
place orders, so the report shows what selling does to browsing (it should cost little: a sale
invalidates only its own product's cached page unless the product sells out).
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from marketplace.bench import load, wrk
from marketplace.bench.load import CookieJar, LoadResult, fetch
from marketplace.bench.wrk import WrkResult

STEPS = ("basket-add", "basket", "checkout: guest", "checkout: address", "checkout: delivery",
         "checkout: payment", "checkout: confirm page", "checkout: place order")
ADDRESS = {"name": "压测用户", "mobile": "13800000000", "province": "吉林省", "city": "长春市", "district": "南关区",
           "city_text": "", "district_text": "", "street": "人民大街 1 号", "postcode": ""}
OK = {200, 302, 303}


def walk(pk: int, product_path: str) -> list[tuple[str, str, str, dict | None]]:
    """One purchase of one unit, request by request: (step, method, path, form data). The
    HTTP shoppers time the steps in ``STEPS``; ``in_process`` times them all."""
    return [
        ("product page", "GET", product_path, None),
        ("basket-add", "POST", f"/basket/add/{pk}/", {"quantity": 1}),
        ("basket", "GET", "/basket/", None),
        ("checkout: guest", "POST", "/checkout/", {}),
        ("checkout: address page", "GET", "/checkout/shipping-address/", None),
        ("checkout: address", "POST", "/checkout/shipping-address/", ADDRESS),
        ("checkout: delivery", "POST", "/checkout/shipping-method/", {"method_code": "courier"}),
        ("checkout: payment", "POST", "/checkout/payment-method/", {"payment_method": "cod"}),
        ("checkout: confirm page", "GET", "/checkout/preview/", None),
        ("checkout: place order", "POST", "/checkout/preview/", {"accept_exclusions": "on"}),
    ]


def in_process(products: dict[int, str], *, orders: int) -> dict[str, tuple[list[float], list[int]]]:
    """Each request of ``orders`` purchases (round the products) with Django's test client, as
    a new guest each time: (milliseconds, SQL statements) per step, after one purchase that
    warms the caches. No network and no other process: what one order costs the server."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT_ENCODING="identity")  # one client: its handler loads the middleware once
    cycle = itertools.cycle(list(products.items()))
    timings: dict[str, tuple[list[float], list[int]]] = {}
    for order in range(orders + 1):
        client.cookies.clear()
        pk, product_path = next(cycle)
        for step, method, path, data in walk(pk, product_path):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path) if method == "GET" else client.post(path, data)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code not in OK:
                raise RuntimeError(f"{step}: HTTP {response.status_code}")
            if order:
                times, counts = timings.setdefault(step, ([], []))
                times.append(elapsed)
                counts.append(len(queries))
    return timings


class _Shopper:
    def __init__(self, host: str, port: int, results: dict[str, LoadResult], lock: threading.Lock):
        self.host, self.port, self.results, self.lock = host, port, results, lock
        self.jar = CookieJar()
        self.token = ""

    def _record(self, step: str, started: float, status: int, problem: str = "") -> bool:
        elapsed = time.perf_counter() - started
        ok = status in OK and not problem
        with self.lock:
            result = self.results[step]
            result.latencies.append(elapsed)
            result.statuses[status] += 1
            if not ok:
                result.errors += 1
                message = problem or f"HTTP {status}"
                if len(result.error_samples) < 5 and message not in result.error_samples:
                    result.error_samples.append(message)
        return ok

    def _token(self, body: bytes) -> None:
        match = load._CSRF_INPUT.search(body)
        if match:
            self.token = (match.group(1) or match.group(2)).decode()
        self.token = self.token or self.jar.cookies.get("csrftoken", "")

    def get(self, step: str | None, path: str) -> bytes | None:
        started = time.perf_counter()
        try:
            status, body, _ = fetch(self.host, self.port, "GET", path, jar=self.jar)
        except OSError as error:
            return None if step is None else (self._record(step, started, 0, repr(error)) and None)
        self._token(body)
        if step is not None and not self._record(step, started, status):
            return None
        return body

    def post(self, step: str, path: str, data: dict, *, expect_redirect: bool = True) -> bool:
        started = time.perf_counter()
        body = urlencode({**data, "csrfmiddlewaretoken": self.token})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.token,
                   "Referer": f"http://{self.host}:{self.port}{path}"}
        try:
            status, content, _ = fetch(self.host, self.port, "POST", path, body=body, headers=headers, jar=self.jar)
        except OSError as error:
            return self._record(step, started, 0, repr(error))
        problem = ""
        if expect_redirect and status == 200:
            problem = "stayed on the page: " + ("sold out" if "卖完" in content.decode(errors="ignore") else "form error")
        return self._record(step, started, status, problem)

    def buy(self, pk: int, product_path: str) -> bool:
        for step, method, path, data in walk(pk, product_path):
            timed = step if step in STEPS else None
            ok = self.get(timed, path) is not None if method == "GET" else self.post(timed, path, data)
            if not ok:
                return False
        return True


def _new_results(concurrency: int) -> dict[str, LoadResult]:
    return {step: LoadResult(path=step, concurrency=concurrency) for step in STEPS}


def run_checkout(host: str, port: int, products: dict[int, str], *, concurrency: int, duration: float,
                 stop: threading.Event | None = None,
                 orders_per_second: float | None = None) -> tuple[dict[str, LoadResult], int]:
    """Shoppers buy one unit each, round-robin over ``products``, until ``duration`` is up.

    With ``orders_per_second`` the shoppers start orders on that schedule (an open-loop
    arrival rate, as real shoppers arrive whatever the server is doing); without it each
    starts the next order as soon as the last is placed. Returns each step's timings and
    the number of orders placed.
    """
    load._check_host(host)
    results, lock = _new_results(concurrency), threading.Lock()
    cycle, placed = itertools.cycle(list(products.items())), [0]
    started = time.perf_counter()
    deadline = started + duration
    schedule = {"next": started}

    def wait_for_turn() -> bool:
        if not orders_per_second:
            return True
        with lock:
            turn = schedule["next"]
            schedule["next"] = turn + 1 / orders_per_second
        pause = turn - time.perf_counter()
        if pause > 0 and (stop.wait(pause) if stop else time.sleep(pause)):
            return False
        return time.perf_counter() < deadline

    def shopper() -> None:
        while time.perf_counter() < deadline and not (stop and stop.is_set()) and wait_for_turn():
            with lock:
                pk, path = next(cycle)
            if _Shopper(host, port, results, lock).buy(pk, path):
                with lock:
                    placed[0] += 1

    threads = [threading.Thread(target=shopper, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + load.REQUEST_TIMEOUT * len(STEPS))
    elapsed = time.perf_counter() - started
    for result in results.values():
        result.elapsed = elapsed
    return results, placed[0]


def run_mixed(host: str, port: int, products: dict[int, str], browse_paths: dict[str, str], *,
              label: str, browsers: int, buyers: int, duration: float,
              orders_per_second: float | None = None) -> MixedRun:
    """For each browse path, wrk (``browsers`` clients) alone and then at once again while
    ``buyers`` clients place orders (at ``orders_per_second``, or as fast as they can; see
    ``run_checkout``).

    The two are measured back to back so that both see the same machine: this one's CPU speed
    drifts over minutes, and the database carries what the runs before left behind (the
    checkout run's dead rows, for one), so the page table's figures, taken earlier, are not a
    fair baseline. Browsing is timed with wrk, not with this process's threads: the buyers run
    here, and Python threads sharing the GIL with them would time their own waits. Returns
    wrk's figures per page (alone and mixed), the orders placed, the seconds the buying ran and
    the CPU the buyers' own client took (it shares the machine's cores with the server, as wrk does).
    """
    alone: dict[str, WrkResult] = {}
    outcome: dict[str, WrkResult] = {}
    placed, seconds, cpu = 0, 0.0, 0.0
    for name, path in browse_paths.items():
        url = f"http://{host}:{port}{path}"
        alone[name] = wrk.get(url, clients=browsers, duration=duration)
        stop, count = threading.Event(), [0]

        def buy(stop=stop, count=count) -> None:
            count[0] = run_checkout(host, port, products, concurrency=buyers, duration=duration + 5,
                                    stop=stop, orders_per_second=orders_per_second)[1]

        started, cpu_started = time.perf_counter(), time.process_time()
        buying = threading.Thread(target=buy, daemon=True)
        buying.start()
        try:
            time.sleep(1)  # the buyers are mid-checkout before the browsing is timed
            outcome[name] = wrk.get(url, clients=browsers, duration=duration)
        finally:
            stop.set()
            buying.join(timeout=load.REQUEST_TIMEOUT * len(STEPS) + 5)
        placed += count[0]
        seconds += time.perf_counter() - started
        cpu += time.process_time() - cpu_started
    return MixedRun(label, outcome, placed, seconds, client_cpu=cpu / seconds if seconds else 0.0, alone=alone)


@dataclass
class MixedRun:
    """Browsing timed while orders were placed: how they were placed, and wrk's figures per page."""

    label: str  # e.g. "4 clients place 2 orders/s"
    pages: dict[str, WrkResult]
    placed: int
    seconds: float
    client_cpu: float = 0.0  # CPU-seconds per second the buyers' HTTP client used on this machine
    alone: dict[str, WrkResult] = field(default_factory=dict)  # each page just before, without buyers


def markdown(steps: dict[str, LoadResult], placed: int, alone: dict[str, WrkResult], mixed_runs: list[MixedRun],
             *, clients: int) -> str:
    def ms(result, pct):
        value = result.ms(pct)
        return "–" if value is None else f"{value:.0f}"

    lines = [f"Checkout, guest with cash on delivery, {placed} orders placed:", "",
             "| Step | Requests | p50 ms | p95 ms | p99 ms | Errors |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, result in steps.items():
        lines.append(f"| {name} | {result.requests} | {ms(result, 50)} | {ms(result, 95)} | {ms(result, 99)} "
                     f"| {result.errors} |")
    samples = [f"- {name}: {', '.join(r.error_samples)}" for name, r in steps.items() if r.error_samples]
    for run in mixed_runs:
        rate = f", {run.placed / run.seconds:.1f} orders/s" if run.seconds else ""
        rate += f", the buyers' client using {run.client_cpu:.2f} of the cores" if run.client_cpu else ""
        lines += ["", f"Browsing (wrk, p95 from its latency histogram) alone, then at once again while {run.label} "
                      f"({run.placed} orders placed meanwhile{rate}):", "",
                  "| Page | Clients | req/s alone | req/s mixed | p95 alone ms | p95 mixed ms | Ratio | Errors |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name, result in run.pages.items():
            before = run.alone.get(name) or alone.get(name)
            base = before.percentiles_ms.get(95) if before else None
            now = result.percentiles_ms.get(95)
            ratio = f"{now / base:.2f}×" if base and now else "–"
            lines.append(f"| {name} | {clients} | {before.rps if before else 0:.0f} | {result.rps:.0f} | "
                         f"{'–' if base is None else f'{base:.0f}'} | {'–' if now is None else f'{now:.0f}'} | {ratio} "
                         f"| {result.errors(frozenset({200}))} |")
        samples += [f"- {name} while {run.label}: {r.problem or r.statuses}" for name, r in run.pages.items()
                    if r.errors(frozenset({200}))]
    if samples:
        lines += ["", "Error samples:", *samples]
    return "\n".join(lines)
