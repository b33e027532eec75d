"""Appending to the transparency log, and reading proofs from it.

``append`` is called inside the transaction that writes the record, so a record and
its leaf commit (or roll back) together. Every append locks the single ``LogHead`` row,
so leaves get dense, ordered indices even with many writers; callers take their own
locks (a lot, a merchant) first and the head last, which keeps the lock order fixed.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from traceability.transparency import merkle, records
from traceability.transparency.models import LogHead, LogLeaf

H = merkle.HASH_SIZE
# Regulator actions that change what may be sold; verification and exports are not logged.
LOGGED_ACTIONS = frozenset({"suspend_listing", "exit_listing", "reinstate_listing", "suspend_lot",
                            "reinstate_lot", "recall_lot"})


def _locked_head() -> LogHead:
    head = LogHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        LogHead.objects.get_or_create(pk=1)
        head = LogHead.objects.select_for_update().get(pk=1)
    return head


def _builder(head: LogHead) -> merkle.RootBuilder:
    builder = merkle.RootBuilder()
    frontier = bytes(head.frontier)
    builder.size = head.size
    builder.frontier = [frontier[i:i + H] for i in range(0, len(frontier), H)]
    return builder


def append(*, kind: str, data: bytes, lot_id: int | None = None, record_key: str = "") -> LogLeaf:
    """Append one serialised record (see ``records``); returns its leaf."""
    return append_many([(kind, data, lot_id, record_key)])[0]


def append_many(items: Iterable[tuple[str, bytes, int | None, str]]) -> list[LogLeaf]:
    """Append (kind, data, lot_id, record_key) records in order, under one lock."""
    with transaction.atomic():
        head = _locked_head()
        builder = _builder(head)
        leaves = []
        for kind, data, lot_id, record_key in items:
            hash_ = merkle.leaf_hash(data)
            closed = builder.add(hash_)
            leaves.append(LogLeaf(index=builder.size - 1, kind=kind, lot_id=lot_id, record_key=str(record_key),
                                  data=data, hash=hash_, nodes=b"".join(node for _, _, node in closed)))
        if len(leaves) == 1:
            leaves[0].save()
        else:
            LogLeaf.objects.bulk_create(leaves, batch_size=2000)
        LogHead.objects.filter(pk=1).update(size=builder.size, frontier=b"".join(builder.frontier))
    return leaves


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


def append_lot(lot) -> LogLeaf:
    """A lot's registration: product, merchant, commitment, GTIN, lot number, dates and quantity."""
    return append_many([lot_item(lot)])[0]


def append_lots(lots) -> list[LogLeaf]:
    return append_many(lot_item(lot) for lot in lots)


def event_item(*, event_id, lot_id: int, lot_code: str, sequence: int, record_sha256: str):
    data = records.event_leaf(lot=lot_code, event_id=event_id, sequence=sequence, record_sha256=record_sha256)
    return records.EVENT, data, lot_id, str(event_id)


def append_event(event, *, lot) -> LogLeaf:
    """One event of a lot's chain (``chain.record_event`` calls this after saving the event)."""
    return append_many([event_item(event_id=event.pk, lot_id=lot.pk, lot_code=lot.code,
                                   sequence=event.sequence, record_sha256=event.hash)])[0]


def commitment_values(commitment) -> dict:
    return {column: getattr(commitment, column) for column in records.COMMITMENT_COLUMNS}


def append_commitment(commitment) -> LogLeaf:
    data = records.commitment_leaf(commitment_values(commitment))
    return append(kind=records.COMMITMENT, data=data, record_key=str(commitment.pk))


def audit_values(entry) -> dict:
    return {column: getattr(entry, column) for column in records.AUDIT_COLUMNS}


def append_regulator_action(entry) -> LogLeaf | None:
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
    """Append many records at once (bulk loaders, benchmarks): COPY on PostgreSQL. Returns the count."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return len(append_many(items))
    from django.utils import timezone

    now = timezone.now()
    with transaction.atomic():
        head = _locked_head()
        builder = _builder(head)
        columns = "index, kind, lot_id, record_key, data, hash, nodes, appended_at"
        count = 0
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {LogLeaf._meta.db_table} ({columns}) FROM STDIN") as copy:
            for kind, data, lot_id, record_key in items:
                hash_ = merkle.leaf_hash(data)
                closed = builder.add(hash_)
                copy.write_row((builder.size - 1, kind, lot_id, str(record_key), data, hash_,
                                b"".join(node for _, _, node in closed), now))
                count += 1
        LogHead.objects.filter(pk=1).update(size=builder.size, frontier=b"".join(builder.frontier))
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
