"""A small, bounded HTTP load generator and the percentile maths.

Each phase sends requests to one path from ``concurrency`` threads, each with its own
keep-alive ``http.client`` connection, until a request budget or a time budget runs out,
whichever comes first. It only ever talks to a loopback address.
"""

from __future__ import annotations

import http.client
import math
import re
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
REQUEST_TIMEOUT = 30.0


def percentile(values: Sequence[float], pct: float) -> float | None:
    """The ``pct``-th percentile (0-100) with linear interpolation between closest ranks.

    Same definition as numpy's default and Python's ``statistics.quantiles(method="inclusive")``:
    rank ``(n - 1) * pct / 100`` in the sorted values. ``None`` for no values.
    """
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {pct}")
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class LoadResult:
    path: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)  # seconds, successful or not
    errors: int = 0
    statuses: Counter = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0

    def ms(self, pct: float) -> float | None:
        value = percentile(self.latencies, pct)
        return None if value is None else value * 1000


class CookieJar:
    """Just enough of a cookie jar for one host (the Secure flag is ignored: plain HTTP)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def update(self, response: http.client.HTTPResponse) -> None:
        for header in response.msg.get_all("Set-Cookie") or []:
            parsed = SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                if morsel["max-age"] == "0" or (morsel.value == "" and morsel["expires"]):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def _check_host(host: str) -> None:
    if host not in LOOPBACK:
        raise ValueError(f"the benchmark only loads loopback addresses, not {host!r}")


def fetch(host: str, port: int, method: str, path: str, *, body: str | None = None,
          headers: dict | None = None, jar: CookieJar | None = None) -> tuple[int, bytes, http.client.HTTPResponse]:
    """One request on a fresh connection (used for priming, not for load)."""
    _check_host(host)
    conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
    try:
        all_headers = {"Host": f"{host}:{port}", **(headers or {})}
        if jar is not None and jar.cookies:
            all_headers["Cookie"] = jar.header()
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        if jar is not None:
            jar.update(response)
        return response.status, data, response
    finally:
        conn.close()


_CSRF_INPUT = re.compile(rb'name=["\']csrfmiddlewaretoken["\'][^>]*value=["\']([^"\']+)["\']'
                         rb'|value=["\']([^"\']+)["\'][^>]*name=["\']csrfmiddlewaretoken["\']')


def prime_basket(host: str, port: int, product_paths: dict[int, str], lines: int = 3) -> tuple[CookieJar, list[str]]:
    """Add ``lines`` products to an anonymous basket over HTTP, as a shopper would.

    GETs each product page (for the CSRF cookie and form token) and POSTs
    ``/basket/add/<pk>/``. Returns the cookie jar and a list of problems (empty if fine).
    """
    from urllib.parse import urlencode

    jar = CookieJar()
    problems: list[str] = []
    for pk, path in list(product_paths.items())[:lines]:
        status, body, _ = fetch(host, port, "GET", path, jar=jar)
        if status != 200:
            problems.append(f"GET {path} -> {status}")
            continue
        match = _CSRF_INPUT.search(body)
        token = (match.group(1) or match.group(2)).decode() if match else jar.cookies.get("csrftoken", "")
        if not token:
            problems.append(f"no CSRF token on {path}")
            continue
        status, _, response = fetch(
            host, port, "POST", f"/basket/add/{pk}/",
            body=urlencode({"quantity": 1, "csrfmiddlewaretoken": token}),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Referer": f"http://{host}:{port}{path}", "X-CSRFToken": token},
            jar=jar,
        )
        if status not in (200, 302, 303):
            problems.append(f"POST /basket/add/{pk}/ -> {status}")
    return jar, problems


def run_load(host: str, port: int, path: str, *, concurrency: int, duration: float = 10.0,
             max_requests: int | None = None, headers: dict | None = None,
             expect: frozenset[int] = frozenset({200})) -> LoadResult:
    """Hit ``path`` from ``concurrency`` threads until ``duration`` seconds or ``max_requests``.

    A response whose status is not in ``expect``, or a failed connection, counts as an error.
    """
    _check_host(host)
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    result = LoadResult(path=path, concurrency=concurrency)
    lock = threading.Lock()
    budget = {"left": max_requests if max_requests is not None else math.inf}
    base_headers = {"Host": f"{host}:{port}", "Connection": "keep-alive", **(headers or {})}
    deadline = time.perf_counter() + duration

    def take() -> bool:
        with lock:
            if budget["left"] <= 0 or time.perf_counter() >= deadline:
                return False
            budget["left"] -= 1
            return True

    def worker() -> None:
        conn = None
        latencies: list[float] = []
        statuses: Counter = Counter()
        errors: list[str] = []
        while take():
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=base_headers)
                response = conn.getresponse()
                response.read()
                latencies.append(time.perf_counter() - started)
                statuses[response.status] += 1
                if response.status not in expect:
                    errors.append(f"HTTP {response.status}")
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException) as error:
                latencies.append(time.perf_counter() - started)
                statuses["exception"] += 1
                errors.append(f"{error.__class__.__name__}: {error}")
                conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.statuses.update(statuses)
            result.errors += len(errors)
            for message in errors:
                if len(result.error_samples) < 5 and message not in result.error_samples:
                    result.error_samples.append(message)

    threads = [threading.Thread(target=worker, name=f"bench-{i}", daemon=True) for i in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        # Every request has its own timeout, so this ends; the margin only guards a hang.
        thread.join(timeout=max(0.0, deadline - time.perf_counter()) + REQUEST_TIMEOUT + 5)
    result.elapsed = time.perf_counter() - started
    return result
