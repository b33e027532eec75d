"""Appending to the transparency log (a sequencer with a merge delay), and reading proofs from it.

A record's transaction queues its leaf as a ``PendingLeaf`` row (``append``/``append_many``):
the queued row commits, or rolls back, with the record, and takes no log-wide lock, so
writers do not wait for one another. One integrator at a time (``integrate``) then gives
committed pending rows their dense indices, as Certificate Transparency logs do with their
merge delay: under the lock on the single ``LogHead`` row it reads the pending rows in id
order, appends them as ``LogLeaf`` rows with the subtree nodes they close, moves the head
and deletes exactly the rows it integrated, all in one transaction.

Who integrates (no daemon is needed):

* every queuing transaction, after it commits (``transaction.on_commit``), without waiting:
  if another integrator holds the head it skips, because that one or the next picks its rows up;
* ``checkpoints.sign`` and ``verify_traceability``, before they read the log, waiting for the head;
* ``manage.py tlog_integrate`` from cron, as a backstop;
* bulk loaders (``bulk_append``), which integrate what is pending before writing their own leaves.

No wakeup is lost for good: a pending row is deleted only by the transaction that wrote its
leaf. A row committed just after an integrator read the pending set (so that integrator
missed it, and the row's own after-commit attempt found the head locked and skipped) stays
pending and is integrated by the next append's after-commit attempt, the next ``sign``,
``verify_traceability`` or cron run. Until then the trace page and the proof bundle say the
record is received and on its way into the public log (``pending_count``); they never write.

Order: events of one lot are recorded under the lot's row lock (``chain.record_event``), so
the later event's pending row is inserted after the earlier one committed: it has a larger id
and can never be integrated first. Verification compares leaves with records by lot and key,
and relies on no other order.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from traceability.transparency import merkle, records
from traceability.transparency.models import LogHead, LogLeaf, PendingLeaf

H = merkle.HASH_SIZE
BATCH = 5000  # pending rows integrated per transaction
# Regulator actions that change what may be sold; verification and exports are not logged.
LOGGED_ACTIONS = frozenset({"suspend_listing", "exit_listing", "reinstate_listing", "suspend_lot",
                            "reinstate_lot", "recall_lot"})
PENDING_MESSAGE = "记录已收到，正在写入公开日志（通常几秒内完成）"

logger = logging.getLogger(__name__)


def _locked_head(*, skip_locked: bool = False, commit_without_waiting: bool = False) -> LogHead | None:
    """The head row, locked; None when ``skip_locked`` and another transaction holds it.

    ``commit_without_waiting`` (an integration in a transaction of its own, on PostgreSQL):
    the statement that takes the lock also lets this transaction's commit return before its
    WAL reaches the disk (``synchronous_commit`` off, for this transaction only). That is safe
    because integrating promises nothing to anyone. The records and their queued rows are
    already durable (their own transactions commit normally); an integration lost in a crash
    is lost whole (its leaves, the head and the deletion of its queued rows), so those rows are
    integrated again. The log's only promise is a signed checkpoint, and ``checkpoints.sign``
    commits normally, which flushes every integration before it to the disk first. Without it
    every integration waits for one more disk flush (about 4 ms here) holding the head. Never
    inside a caller's transaction: the setting would apply to the caller's commit.
    """
    if commit_without_waiting and connection.vendor == "postgresql":
        table = LogHead._meta.db_table
        rows = list(LogHead.objects.raw(
            f"SELECT id, size, frontier, set_config('synchronous_commit', 'off', true) FROM {table} "
            f"WHERE id = 1 FOR UPDATE{' SKIP LOCKED' if skip_locked else ''}"))
        head = rows[0] if rows else None
    else:
        head = LogHead.objects.select_for_update(skip_locked=skip_locked).filter(pk=1).first()
    if head is None and not skip_locked:  # a log without its head row yet (migration 0002 creates it)
        LogHead.objects.get_or_create(pk=1)
        head = LogHead.objects.select_for_update().get(pk=1)
    return head


def _builder(head: LogHead) -> merkle.RootBuilder:
    builder = merkle.RootBuilder()
    frontier = bytes(head.frontier)
    builder.size = head.size
    builder.frontier = [frontier[i:i + H] for i in range(0, len(frontier), H)]
    return builder


def _leaf(builder: merkle.RootBuilder, kind: str, data: bytes, lot_id, record_key, now) -> LogLeaf:
    hash_ = merkle.leaf_hash(data)
    closed = builder.add(hash_)
    return LogLeaf(index=builder.size - 1, kind=kind, lot_id=lot_id, record_key=str(record_key), data=data,
                   hash=hash_, nodes=b"".join(node for _, _, node in closed), appended_at=now)


def _save_head(builder: merkle.RootBuilder) -> None:
    LogHead.objects.filter(pk=1).update(size=builder.size, frontier=b"".join(builder.frontier))


# --- Queuing (the record's transaction) ------------------------------------------------------

def append(*, kind: str, data: bytes, lot_id: int | None = None, record_key: str = "") -> PendingLeaf:
    """Queue one serialised record (see ``records``) in the caller's transaction."""
    return append_many([(kind, data, lot_id, record_key)])[0]


def append_many(items: Iterable[tuple[str, bytes, int | None, str]]) -> list[PendingLeaf]:
    """Queue (kind, data, lot_id, record_key) records in order; they get indices after commit."""
    rows = [PendingLeaf(kind=kind, lot_id=lot_id, record_key=str(record_key), data=data)
            for kind, data, lot_id, record_key in items]
    if len(rows) == 1:
        rows[0].save()
    elif rows:
        PendingLeaf.objects.bulk_create(rows, batch_size=2000)
    transaction.on_commit(_integrate_after_commit, robust=True)
    return rows


def _integrate_after_commit() -> None:
    integrate(wait=False)


# --- The sequencer ---------------------------------------------------------------------------

def integrate(*, wait: bool = True, batch: int = BATCH) -> int:
    """Give every committed pending row its index, in batches; returns how many were integrated.

    With ``wait=False`` (after a record's commit) it gives up as soon as another integrator
    holds the head: that one, or the next, integrates what this one would have.
    """
    total = 0
    while True:
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            head = _locked_head(skip_locked=not wait, commit_without_waiting=outermost)
            if head is None:
                break
            count = _integrate_locked(head, limit=batch)[1]
        total += count
        if count < batch:  # the queue was emptied (rows committed since wait for the next call)
            break
    return total


def _integrate_locked(head: LogHead, *, limit: int | None = None) -> tuple[merkle.RootBuilder, int]:
    """Under the head lock: append pending rows (up to ``limit``) as leaves, move the head, delete them."""
    builder = _builder(head)
    rows = sorted(_take_pending(limit))
    if not rows:
        return builder, 0
    now = timezone.now()
    leaves = [_leaf(builder, kind, bytes(data), lot_id, key, now) for _, kind, lot_id, key, data in rows]
    LogLeaf.objects.bulk_create(leaves, batch_size=2000)
    _save_head(builder)
    return builder, len(rows)


def _take_pending(limit: int | None) -> list[tuple]:
    """Delete the oldest committed pending rows and return them (id, kind, lot_id, record_key, data).

    One statement, so exactly the rows read are the rows deleted; a row committed meanwhile stays.
    """
    table = connection.ops.quote_name(PendingLeaf._meta.db_table)
    sql = (f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id"
           f"{' LIMIT %s' if limit is not None else ''}) RETURNING id, kind, lot_id, record_key, data")
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit] if limit is not None else [])
        return cursor.fetchall()


def pending_count(*, lot=None) -> int:
    """Records received but not yet in the log (all, or ``lot``'s and its commitment's). Reads only."""
    rows = PendingLeaf.objects.all()
    if lot is not None:
        rows = rows.filter(Q(lot_id=lot.pk) | Q(kind=records.COMMITMENT, record_key=str(lot.commitment_id)))
    return rows.count()


# --- Records ---------------------------------------------------------------------------------

def lot_values(lot) -> dict:
    return {column: getattr(lot, column) for column in records.LOT_COLUMNS}


def lot_item(lot) -> tuple[str, bytes, int, str]:
    labels = {}
    product = lot._state.fields_cache.get("product")
    merchant = lot._state.fields_cache.get("merchant")
    if product is not None:
        labels["product"] = product.get_title()
    if merchant is not None:
        labels["merchant"] = merchant.name
    return records.LOT, records.lot_leaf(lot_values(lot), labels=labels), lot.pk, str(lot.pk)


def append_lot(lot) -> PendingLeaf:
    """A lot's registration: product, merchant, commitment, GTIN, lot number, dates and quantity."""
    return append_many([lot_item(lot)])[0]


def append_lots(lots) -> list[PendingLeaf]:
    return append_many(lot_item(lot) for lot in lots)


def event_item(*, event_id, lot_id: int, lot_code: str, sequence: int, record_sha256: str):
    data = records.event_leaf(lot=lot_code, event_id=event_id, sequence=sequence, record_sha256=record_sha256)
    return records.EVENT, data, lot_id, str(event_id)


def append_event(event, *, lot) -> PendingLeaf:
    """One event of a lot's chain (``chain.record_event`` calls this after saving the event)."""
    return append_many([event_item(event_id=event.pk, lot_id=lot.pk, lot_code=lot.code,
                                   sequence=event.sequence, record_sha256=event.hash)])[0]


def commitment_values(commitment) -> dict:
    return {column: getattr(commitment, column) for column in records.COMMITMENT_COLUMNS}


def append_commitment(commitment) -> PendingLeaf:
    data = records.commitment_leaf(commitment_values(commitment))
    return append(kind=records.COMMITMENT, data=data, record_key=str(commitment.pk))


def audit_values(entry) -> dict:
    return {column: getattr(entry, column) for column in records.AUDIT_COLUMNS}


def append_regulator_action(entry) -> PendingLeaf | None:
    """An audit entry that suspends, reinstates, recalls or exits; other entries are not logged."""
    if entry.action not in LOGGED_ACTIONS:
        return None
    lot_id, code = _audit_lot(entry)
    data = records.regulator_action_leaf(audit_values(entry), lot=code)
    return append(kind=records.REGULATOR_ACTION, data=data, lot_id=lot_id, record_key=str(entry.pk))


def _audit_lot(entry) -> tuple[int | None, str | None]:
    from traceability.models import Lot

    if entry.target_type != "lot" or not str(entry.target_id).isdigit():
        return None, None
    lot = Lot.objects.filter(pk=int(entry.target_id)).values("pk", "gtin", "lot_number").first()
    if lot is None:
        return None, None
    return lot["pk"], records.lot_code(lot["gtin"], lot["lot_number"])


# --- Reading ---------------------------------------------------------------------------------

def tree_size() -> int:
    head = LogHead.objects.filter(pk=1).values_list("size", flat=True).first()
    return head or 0


def node_getter(wanted: set[tuple[int, int]]) -> merkle.NodeGetter:
    """Fetch the stored nodes in ``wanted`` with one query."""
    rows = {(index + 1 << level) - 1 if level else index: level for level, index in wanted}
    stored = dict(
        (index, (bytes(hash_), bytes(nodes)))
        for index, hash_, nodes in LogLeaf.objects.filter(index__in=list(rows)).values_list("index", "hash", "nodes")
    )

    def get(level: int, index: int) -> bytes:
        row = stored.get((index + 1 << level) - 1 if level else index)
        if row is None:
            raise merkle.ProofError(f"the log has no node at level {level}, index {index}")
        if level == 0:
            return row[0]
        node = row[1][(level - 1) * H:level * H]
        if len(node) != H:
            raise merkle.ProofError(f"the log's node at level {level}, index {index} is missing")
        return node

    return get


def _with_nodes(compute):
    return compute(node_getter(merkle.nodes_needed(compute)))


def root(size: int) -> bytes:
    if size == 0:
        return merkle.EMPTY_ROOT
    return _with_nodes(lambda get: merkle.subtree_hash(0, size, get))


def inclusion_proof(index: int, size: int) -> list[bytes]:
    return _with_nodes(lambda get: merkle.inclusion_proof(index, size, get))


def consistency_proof(old_size: int, new_size: int) -> list[bytes]:
    return _with_nodes(lambda get: merkle.consistency_proof(old_size, new_size, get))


def inclusion_proofs(indices: list[int], size: int) -> dict[int, list[bytes]]:
    """Audit paths for several leaves of one tree, with one query for all their nodes."""
    def compute(get):
        return {index: merkle.inclusion_proof(index, size, get) for index in indices}
    return _with_nodes(compute)


def bulk_append(items: Iterable[tuple[str, bytes, int | None, str]]) -> int:
    """Append many records at once (bulk loaders, benchmarks), straight to the log under the head lock.

    What is pending is integrated first, in the same transaction, so the log's order stays
    the order in which records were committed. COPY on PostgreSQL. Returns the count.
    """
    now = timezone.now()
    with transaction.atomic():
        builder = _integrate_locked(_locked_head())[0]
        if connection.vendor != "postgresql":
            leaves = [_leaf(builder, kind, data, lot_id, key, now) for kind, data, lot_id, key in items]
            LogLeaf.objects.bulk_create(leaves, batch_size=2000)
            _save_head(builder)
            return len(leaves)
        columns = ("index", "kind", "lot_id", "record_key", "data", "hash", "nodes", "appended_at")
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {LogLeaf._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
            for kind, data, lot_id, record_key in items:
                leaf = _leaf(builder, kind, data, lot_id, record_key, now)
                copy.write_row([getattr(leaf, column) for column in columns])
                count += 1
        _save_head(builder)
    return count


def append_bulk_lots(lots, events) -> int:
    """Leaves for lots and their events written with ``bulk_create``/COPY (seeders): lots, then events.

    ``events`` are TraceEvent objects or row dicts (``lot_id``, ``id``, ``sequence``, ``hash``), each
    lot's in sequence order.
    """
    codes = {lot.pk: lot.code for lot in lots}

    def value(event, name):
        return event[name] if isinstance(event, dict) else getattr(event, name)

    items = [lot_item(lot) for lot in lots]
    items += [event_item(event_id=value(e, "id"), lot_id=value(e, "lot_id"), lot_code=codes[value(e, "lot_id")],
                         sequence=value(e, "sequence"), record_sha256=value(e, "hash")) for e in events]
    return bulk_append(items)
