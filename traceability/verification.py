"""Verify the chains of many lots at once, fast enough for the whole database.

``chain.verify_chain`` checks one lot with one query. A regulator's nightly check (and
``manage.py verify_traceability``) covers every lot: here all events stream in one
ordered query, are grouped by lot in Python and checked with ``chain.verify_rows``, so
both paths apply the same rule. On PostgreSQL the query formats times in SQL (the text
``chain.canonical_bytes`` would produce) and, for large tables, two processes each take
half of the lots. The results are written back with a few bulk updates.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator

from django.db import connection, connections, transaction
from django.utils import timezone

from traceability.chain import AWAITING_PROBLEM, HASHED_FIELDS, ChainReport, chain_status_for, verify_rows
from traceability.codes import parse_lot_code
from traceability.models import Lot, TraceEvent

COLUMNS = (*HASHED_FIELDS, "hash")
CHUNK_SIZE = 5000
# Below this many events one process is quicker than starting two.
PARALLEL_THRESHOLD = 200_000
UPDATE_BATCH = 5000

_DATA = COLUMNS.index("data")
_UTC_TEXT = """to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
_PG_SELECT = {
    "id": "id::text",
    "event_time": _UTC_TEXT.format(column="event_time"),
    "data": "data::text",
    "corrects_id": "corrects_id::text",
    "recorded_at": _UTC_TEXT.format(column="recorded_at"),
}


class UnknownLotError(LookupError):
    """Some of the lot codes asked for name no lot."""

    def __init__(self, codes: list[str]):
        self.codes = codes
        super().__init__("找不到以下批次：" + "、".join(codes))


def lots_for_codes(codes: Iterable[str]) -> list[Lot]:
    """The lots with these codes, or UnknownLotError naming the codes that match none."""
    codes = list(dict.fromkeys(codes))
    found: dict[str, Lot] = {}
    pairs = {code: parse_lot_code(code) for code in codes}
    gtins = {pair[0] for pair in pairs.values() if pair}
    by_parts = {}
    if gtins:
        for lot in Lot.objects.filter(gtin__in=gtins).order_by("pk"):
            by_parts.setdefault((lot.gtin, lot.lot_number.upper()), lot)
    for code, pair in pairs.items():
        if pair and pair in by_parts:
            found[code] = by_parts[pair]
    missing = [code for code in codes if code not in found]
    if missing:
        raise UnknownLotError(missing)
    return [found[code] for code in codes]


def problem_text(report: ChainReport) -> str:
    """What ``chain.record_verification`` stores on a broken lot."""
    return chain_status_for(report)[1]


def verify_all(lot_codes: Iterable[str] | None = None, *, record: bool = True,
               workers: int | None = None) -> list[ChainReport]:
    """Verify every lot (or those with ``lot_codes``), in lot id order, and record the results.

    Raises UnknownLotError if a code names no lot.
    """
    if lot_codes is None:
        lots = list(Lot.objects.order_by("pk").values_list("pk", "gtin", "lot_number"))
    else:
        lots = sorted((lot.pk, lot.gtin, lot.lot_number) for lot in lots_for_codes(lot_codes))
    if not lots:
        return []
    lot_ids = [lot[0] for lot in lots]
    workers = workers or min(2, os.cpu_count() or 1)
    counts = _can_fork(workers, whole_table=lot_codes is None)
    if counts is not None:
        reports = _verify_in_processes(lots, workers, counts)
    else:
        reports = _verify_lots(lots)
    if record:
        record_reports(dict(zip(lot_ids, reports, strict=True)))
    return reports


def record_reports(reports: dict[int, ChainReport]) -> None:
    """Store each lot's result as ``chain.record_verification`` would, in few queries.

    Only a changed result is written through the storefront-versioned manager (which
    invalidates cached pages); an unchanged one only moves ``chain_checked_at``, so a
    nightly run that finds everything intact throws no cached page away.
    """
    now = timezone.now()
    intact = [lot_id for lot_id, report in reports.items() if report.intact]
    broken = {lot_id: problem_text(report) for lot_id, report in reports.items() if report.broken}
    awaiting = [lot_id for lot_id, report in reports.items() if report.awaiting]
    current = dict(Lot.objects.filter(pk__in=list(reports)).values_list("pk", "chain_status"))
    unchanged = [lot_id for lot_id in intact if current.get(lot_id) == Lot.CHAIN_INTACT]
    changed = [lot_id for lot_id in intact if current.get(lot_id) != Lot.CHAIN_INTACT]
    with transaction.atomic():
        for start in range(0, len(unchanged), UPDATE_BATCH):
            Lot._base_manager.filter(pk__in=unchanged[start:start + UPDATE_BATCH]).update(chain_checked_at=now)
        for start in range(0, len(changed), UPDATE_BATCH):
            Lot.objects.filter(pk__in=changed[start:start + UPDATE_BATCH]).update(
                chain_status=Lot.CHAIN_INTACT, chain_checked_at=now, chain_problem=""
            )
        if awaiting:
            Lot._base_manager.filter(pk__in=awaiting).update(
                chain_status=Lot.CHAIN_AWAITING, chain_checked_at=now, chain_problem=AWAITING_PROBLEM)
        for lot_id, problem in broken.items():
            if current.get(lot_id) == Lot.CHAIN_BROKEN:
                Lot._base_manager.filter(pk=lot_id).update(chain_checked_at=now, chain_problem=problem)
            else:
                Lot.objects.filter(pk=lot_id).update(
                    chain_status=Lot.CHAIN_BROKEN, chain_checked_at=now, chain_problem=problem
                )


def _verify_lots(lots: list[tuple[int, str, str]]) -> list[ChainReport]:
    """Verify a run of lots, given as (id, gtin, lot_number) in id order, with one query."""
    by_id = {lot_id: (gtin, number) for lot_id, gtin, number in lots}
    reports: dict[int, ChainReport] = {}
    first, last = lots[0][0], lots[-1][0]
    with transaction.atomic():  # a server-side cursor on PostgreSQL streams only inside a transaction
        rows = _event_rows(first, last, by_id if len(by_id) < last - first + 1 else None)
        for lot_id, group in itertools.groupby(rows, key=_lot_id):
            if lot_id not in by_id:
                continue
            gtin, number = by_id[lot_id]
            reports[lot_id] = verify_rows(
                _as_dicts(group), lot_code=f"{gtin}-{number}", lot_gtin=gtin, lot_number=number
            )
    empty = verify_rows([], lot_code="", lot_gtin="", lot_number="")  # the verdict on a lot with no events
    return [reports.get(lot_id) or ChainReport(f"{gtin}-{number}", 0, empty.broken_sequence, None, empty.problem,
                                               awaiting=empty.awaiting)
            for lot_id, gtin, number in lots]


def _lot_id(row: tuple) -> int:
    return row[1]


def _as_dicts(rows: Iterable[tuple]) -> Iterator[dict]:
    for row in rows:
        yield dict(zip(COLUMNS, row, strict=True))


def _event_rows(first_lot_id: int, last_lot_id: int, only_ids: dict | None) -> Iterator[tuple]:
    """Events of lots first..last ordered by lot and sequence, as tuples in COLUMNS order."""
    if connection.vendor == "postgresql":
        return _postgres_rows(first_lot_id, last_lot_id, only_ids)
    events = TraceEvent.objects.filter(lot_id__gte=first_lot_id, lot_id__lte=last_lot_id)
    if only_ids is not None:
        events = events.filter(lot_id__in=list(only_ids))
    return events.order_by("lot_id", "sequence").values_list(*COLUMNS).iterator(chunk_size=CHUNK_SIZE)


def _postgres_rows(first_lot_id: int, last_lot_id: int, only_ids: dict | None) -> Iterator[tuple]:
    select = ", ".join(_PG_SELECT.get(column, column) for column in COLUMNS)
    sql = f"SELECT {select} FROM {TraceEvent._meta.db_table} WHERE lot_id BETWEEN %s AND %s"
    params: list = [first_lot_id, last_lot_id]
    if only_ids is not None:
        sql += " AND lot_id = ANY(%s)"
        params.append(list(only_ids))
    sql += " ORDER BY lot_id, sequence"
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        loads = json.loads
        while batch := cursor.fetchmany(CHUNK_SIZE):
            for row in batch:
                row = list(row)
                row[_DATA] = loads(row[_DATA])
                yield row


def _can_fork(workers: int, *, whole_table: bool) -> dict[int, int] | None:
    """Each lot's event count when the table is big enough to share out, else None."""
    if workers < 2 or not whole_table or connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT lot_id, count(*) FROM {TraceEvent._meta.db_table} GROUP BY lot_id")
        counts = dict(cursor.fetchall())
    return counts if sum(counts.values()) >= PARALLEL_THRESHOLD else None


def _verify_in_processes(lots: list[tuple[int, str, str]], workers: int, counts: dict[int, int]
                         ) -> list[ChainReport]:
    """Give each process a contiguous run of lots with about the same number of events."""
    total = sum(counts.values()) or 1
    runs, run, running = [], [], 0
    for lot in lots:
        run.append(lot)
        running += counts.get(lot[0], 0)
        if running >= total * (len(runs) + 1) / workers and len(runs) < workers - 1:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    # Forked children must open their own connections, not share the parent's socket.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(len(runs)) as pool:
        results = pool.map(_verify_lots_in_child, runs)
    return [report for result in results for report in result]


def _verify_lots_in_child(lots: list[tuple[int, str, str]]) -> list[ChainReport]:
    try:
        return _verify_lots(lots)
    finally:
        connections.close_all()
