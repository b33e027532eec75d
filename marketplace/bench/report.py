"""Markdown rendering of benchmark results."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from marketplace.bench.load import LoadResult
from marketplace.bench.queries import ServerTiming
from marketplace.bench.wrk import WrkResult

DASH = "–"


@dataclass
class PageResult:
    name: str
    path: str | None
    skipped: str = ""
    server: ServerTiming | None = None
    loads: dict[int, LoadResult] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # e.g. basket priming failed
    wrk: WrkResult | None = None
    expect: frozenset[int] = frozenset({200})  # statuses that count as served

    @property
    def errors(self) -> int:
        count = len(self.problems)
        if self.server is not None:
            count += len(self.server.errors)
        count += self.wrk.errors(self.expect) if self.wrk is not None else 0
        return count + sum(load.errors for load in self.loads.values())

    def error_samples(self) -> list[str]:
        samples = list(self.problems)
        if self.server is not None:
            samples += [f"in-process: {message}" for message in dict.fromkeys(self.server.errors)]
        for concurrency, load in sorted(self.loads.items()):
            samples += [f"{concurrency} clients: {message}" for message in load.error_samples]
        if self.wrk is not None and self.wrk.errors(self.expect):
            samples.append(f"wrk: {self.wrk.problem or self.wrk.statuses}")
        return samples


@dataclass
class QueryComparison:
    name: str
    small: int | None
    large: int | None

    @property
    def differs(self) -> bool:
        return self.small != self.large


def fmt_ms(value: float | None) -> str:
    if value is None:
        return DASH
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def fmt_rps(value: float) -> str:
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(escape(str(cell)) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def results_table(results: Sequence[PageResult], concurrencies: Sequence[int]) -> str:
    header = ["Page", "URL", "SQL queries", "SQL queries (cold cache)", "Server median ms", "SQL median ms"]
    for concurrency in concurrencies:
        header += [f"{concurrency}c p50/p95/p99 ms", f"{concurrency}c req/s"]
    header += ["wrk 16c req/s", "wrk 16c p50/p99 ms", "Errors"]
    rows = []
    for result in results:
        if result.skipped:
            rows.append([result.name, DASH, DASH, DASH, DASH, DASH] + [DASH, DASH] * len(concurrencies)
                        + [DASH, DASH, f"skipped: {result.skipped}"])
            continue
        server = result.server
        queries = DASH
        if server is not None and server.queries is not None:
            queries = str(server.queries)
            if server.queries_vary:
                queries += f" (varies {min(server.query_counts)}–{max(server.query_counts)})"
        cold = DASH if server is None or server.cold_queries is None else str(server.cold_queries)
        row = [result.name, f"`{result.path}`", queries, cold, fmt_ms(server.median_ms if server else None),
               fmt_ms(server.sql_median_ms if server else None)]
        for concurrency in concurrencies:
            load = result.loads.get(concurrency)
            if load is None or not load.requests:
                row += [DASH, DASH]
            else:
                row += [" / ".join(fmt_ms(load.ms(p)) for p in (50, 95, 99)), fmt_rps(load.rps)]
        measured = result.wrk is not None and not result.wrk.problem
        row += [fmt_rps(result.wrk.rps) if measured else DASH,
                " / ".join(fmt_ms(result.wrk.percentiles_ms.get(p)) for p in (50, 99)) if measured else DASH,
                str(result.errors)]
        rows.append(row)
    return table(header, rows)


def comparison_table(comparisons: Sequence[QueryComparison], small_label: str, large_label: str) -> str:
    rows = []
    for item in comparisons:
        verdict = "**DIFFERENT**" if item.differs else "same"
        rows.append([item.name, DASH if item.small is None else str(item.small),
                     DASH if item.large is None else str(item.large), verdict])
    return table(["Page", f"SQL queries @ {small_label}", f"SQL queries @ {large_label}", "Result"], rows)


def render(*, title: str, meta: dict[str, str], results: Sequence[PageResult], concurrencies: Sequence[int],
           comparisons: Sequence[QueryComparison] = (), comparison_labels: tuple[str, str] = ("small", "large"),
           sections: Sequence[tuple[str, str]] = (), slow_ms: float = 200) -> str:
    parts = [f"# {title}", ""]
    parts += [f"- **{key}:** {value}" for key, value in meta.items()]
    parts += ["", results_table(results, concurrencies), ""]
    parts.append("Latencies are client-side over HTTP against gunicorn; *SQL queries*, *Server median ms* "
                 "and *SQL median ms* (time inside the database per request) are measured in-process "
                 "with Django's test client (warm requests); *cold cache* counts the first request after "
                 "the storefront cache was invalidated.")
    if comparisons:
        parts += ["", "## Query counts by catalogue size", "",
                  comparison_table(comparisons, *comparison_labels)]
    slow = [result for result in results if result.server and (result.server.median_ms or 0) >= slow_ms
            and result.server.slowest_sql[1]]
    if slow:
        parts += ["", f"## Slowest SQL on pages over {slow_ms:g} ms (in-process)", ""]
        for result in slow:
            seconds, sql = result.server.slowest_sql
            parts.append(f"- **{result.name}** ({seconds * 1000:.0f} ms): `{escape(sql[:400])}`"
                         + ("…" if len(sql) > 400 else ""))
    failing = [result for result in results if result.errors]
    if failing:
        parts += ["", "## Errors", ""]
        for result in failing:
            parts.append(f"- **{result.name}** ({result.errors}): " + "; ".join(result.error_samples()[:8]))
    for heading, body in sections:
        parts += ["", f"## {heading}", "", body.rstrip()]
    return "\n".join(parts).rstrip() + "\n"


def total_errors(results: Iterable[PageResult]) -> int:
    return sum(result.errors for result in results)
