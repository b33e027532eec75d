"""Verification that trusts nothing the database says about itself.

1. Every stored leaf is re-hashed from its serialised record and the tree is rebuilt from
   those hashes; its root must equal the root of the latest witnessed checkpoint, whose
   signatures are checked with keys from the environment. So the leaves are exactly
   what was published.
2. Every live record is serialised again and compared with its leaf: each lot's columns,
   each lot's events (id, sequence and hash, in order: a rewritten, inserted, reordered
   or deleted event — the chain's tail included — shows), every commitment version and
   every logged regulator action.

Leaves after the checkpoint are compared with the live rows too; the next checkpoint
covers them. So are records still waiting for their index (``PendingLeaf``, the log's
merge delay): a queued row rewritten, added or deleted by the database's owner disagrees
with its record and shows here, and ``verify_traceability`` integrates the queue first, so
such a row is then a leaf, compared like any other. On PostgreSQL the leaves, the queue and
the records are read in one snapshot (REPEATABLE READ), so a record committed or integrated
while the check runs is never seen in one place and missed in the other.

Speed: an event leaf (a million of them on a large log) in its canonical form is read with one
strict pattern instead of a JSON parser; anything else is parsed as JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction

from traceability.models import AuditEntry, Lot, QualityCommitment, TraceEvent
from traceability.transparency import checkpoints, keys, merkle, note, records
from traceability.transparency.models import LogLeaf, PendingLeaf

CHUNK = 10_000
_TEXT = rb'[!#-\[\]-~]+'  # printable ASCII without quote or backslash: no escapes to undo
# records.event_leaf's canonical bytes (sorted keys, no spaces); a leaf that differs at all is parsed as JSON.
EVENT_LEAF = re.compile(rb'\{"id":"(' + _TEXT + rb')","lot":"(' + _TEXT + rb')","record_sha256":"([0-9a-f]{64})",'
                        rb'"sequence":(0|[1-9][0-9]{0,17}),"type":"trace_event","v":1\}')


@dataclass
class LogReport:
    checkpoint_size: int | None = None
    witnessed: bool = False
    leaves: int = 0
    pending: int = 0  # records received, not yet given an index
    problems: list[str] = field(default_factory=list)  # about the log as a whole
    warnings: list[str] = field(default_factory=list)
    lot_problems: dict[int, str] = field(default_factory=dict)  # lot id → first problem

    @property
    def ok(self) -> bool:
        return not self.problems and not self.lot_problems


def trusted_checkpoint(report: LogReport, note_text: str | None = None) -> note.Checkpoint | None:
    """The checkpoint to verify against, once its signatures check out."""
    log_key = keys.log_verifier()
    if note_text is not None:
        checkpoint = note.open_checkpoint(note_text, log_key, origin=keys.origin())
        try:
            note.verify_cosignature(note_text, keys.witness_verifier())
            report.witnessed = True
        except note.NoteError:
            pass
        return checkpoint
    stored = checkpoints.latest_witnessed()
    witnessed = stored is not None
    stored = stored or checkpoints.latest()
    if stored is None:
        report.warnings.append("日志还没有签名检查点，只比对了记录与日志：请运行 manage.py tlog_checkpoint 和 tlog_witness。")
        return None
    text = checkpoints.published_note(stored)
    try:
        checkpoint = note.open_checkpoint(text, log_key, origin=keys.origin())
        if witnessed:
            note.verify_cosignature(text, keys.witness_verifier())
    except note.NoteError as error:
        report.problems.append(f"数据库中的检查点签名无效（被伪造或替换）：{error}")
        return None
    report.witnessed = witnessed
    return checkpoint


def verify_log(*, checkpoint_note: str | None = None) -> LogReport:
    report = LogReport()
    checkpoint = trusted_checkpoint(report, checkpoint_note)
    if checkpoint is not None:
        report.checkpoint_size = checkpoint.size
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        published = _read_leaves(report, checkpoint)
        _read_pending(report, published)
        _compare_lots(report, published)
        _compare_events(report, published)
        _compare_commitments(report, published)
        _compare_actions(report, published)
    return report


@dataclass
class Published:
    lots: dict[str, dict] = field(default_factory=dict)  # lot code → lot record
    events: dict[str, list[tuple]] = field(default_factory=lambda: defaultdict(list))  # code → [(seq, id, sha)]
    commitments: dict[str, dict] = field(default_factory=dict)
    actions: dict[str, dict] = field(default_factory=dict)


def _leaf_rows():
    if connection.vendor == "postgresql":
        with connection.chunked_cursor() as cursor:
            cursor.execute(f"SELECT index, data FROM {LogLeaf._meta.db_table} ORDER BY index")
            while batch := cursor.fetchmany(CHUNK):
                yield from batch
    else:
        yield from LogLeaf.objects.order_by("index").values_list("index", "data").iterator(chunk_size=CHUNK)


def _read_leaves(report: LogReport, checkpoint: note.Checkpoint | None) -> Published:
    published = Published()
    hashes = []
    sha = hashlib.sha256
    match = EVENT_LEAF.fullmatch
    events = published.events
    expected = 0
    for index, data in _leaf_rows():
        data = bytes(data)
        if index != expected:
            report.problems.append(f"日志第 {expected} 条叶子缺失或序号错乱（遇到第 {index} 条）。")
            return published
        expected += 1
        hashes.append(sha(b"\x00" + data).digest())
        event = match(data)
        if event is not None:
            event_id, lot, record_sha256, sequence = event.groups()
            events[lot.decode()].append((int(sequence), event_id.decode(), record_sha256.decode()))
            continue
        if not _publish(published, data):
            report.problems.append(f"日志第 {index} 条叶子无法解析。")
    report.leaves = len(hashes)
    if checkpoint is not None:
        if len(hashes) < checkpoint.size:
            report.problems.append(
                f"日志只剩 {len(hashes)} 条叶子，而已签名的检查点有 {checkpoint.size} 条：已发布的记录被删除。")
        elif merkle.root_from_leaf_hashes(hashes[:checkpoint.size]) != checkpoint.root_hash:
            report.problems.append(
                "由数据库中的叶子重新计算的默克尔树根与已签名检查点不符：已发布的记录被改写。")
    return published


def _publish(published: Published, data: bytes) -> bool:
    """File one serialised record under its kind; False if it is not a record."""
    try:
        document = json.loads(data)
    except ValueError:
        return False
    if not isinstance(document, dict):
        return False
    kind = document.get("type")
    if kind == records.EVENT:
        published.events[document["lot"]].append((document["sequence"], document["id"], document["record_sha256"]))
    elif kind == records.LOT:
        published.lots[document["lot"]] = document["record"]
    elif kind == records.COMMITMENT:
        published.commitments[str(document["record"]["id"])] = document["record"]
    elif kind == records.REGULATOR_ACTION:
        published.actions[str(document["record"]["id"])] = document["record"]
    return True


def _read_pending(report: LogReport, published: Published) -> None:
    """Records queued for the log count as published-but-unsigned: they must match their records too."""
    for row_id, data in PendingLeaf.objects.order_by("id").values_list("id", "data").iterator(chunk_size=CHUNK):
        report.pending += 1
        if not _publish(published, bytes(data)):
            report.problems.append(f"待写入日志的记录（编号 {row_id}）无法解析。")


def _first(report: LogReport, lot_id: int, problem: str) -> None:
    report.lot_problems.setdefault(lot_id, problem)


def _compare_lots(report: LogReport, published: Published) -> None:
    seen, live_ids = set(), set()
    for values in Lot.objects.order_by("pk").values(*records.LOT_COLUMNS).iterator(chunk_size=CHUNK):
        code = records.lot_code(values["gtin"], values["lot_number"])
        seen.add(code)
        live_ids.add(values["id"])
        leaf = published.lots.get(code)
        if leaf is None:
            _first(report, values["id"], "批次登记不在透明日志中（批次是事后插入的，或其批次码被改动）。")
            continue
        live = json.loads(records.lot_leaf(values))["record"]
        changed = [column for column in records.LOT_COLUMNS
                   if column != "quantity" and live[column] != leaf.get(column)]
        if live["quantity"] > leaf.get("quantity", 0):
            changed.append("quantity")  # units only go down (sales); more than registered is forged
        if changed:
            _first(report, values["id"], f"批次登记后被改动：{'、'.join(changed)} 与日志中登记的不一致。")
    for code in published.lots.keys() - seen:
        lot_id = published.lots[code].get("id")
        if lot_id in live_ids:  # the row is still there under another code: that lot's problem
            _first(report, lot_id, f"批次码登记后被改动：日志中登记的是 {code}。")
        else:
            report.problems.append(f"日志中登记的批次 {code} 在数据库中已不存在（被删除）。")


def _compare_events(report: LogReport, published: Published) -> None:
    lots = dict(Lot.objects.values_list("pk", "gtin"))
    numbers = dict(Lot.objects.values_list("pk", "lot_number"))
    live: dict[int, list[tuple]] = defaultdict(list)
    if connection.vendor == "postgresql":
        sql = (f"SELECT lot_id, sequence, id::text, hash FROM {TraceEvent._meta.db_table} "
               "ORDER BY lot_id, sequence")
        with connection.chunked_cursor() as cursor:
            cursor.execute(sql)
            while batch := cursor.fetchmany(CHUNK):
                for lot_id, sequence, event_id, hash_ in batch:
                    live[lot_id].append((sequence, event_id, hash_))
    else:
        rows = TraceEvent.objects.order_by("lot_id", "sequence").values_list("lot_id", "sequence", "id", "hash")
        for lot_id, sequence, event_id, hash_ in rows.iterator(chunk_size=CHUNK):
            live[lot_id].append((sequence, str(event_id), hash_))
    for lot_id in lots:
        code = records.lot_code(lots[lot_id], numbers[lot_id])
        problem = compare_event_lists(live.get(lot_id, []), published.events.get(code, []))
        if problem:
            _first(report, lot_id, problem)


def compare_event_lists(live: list[tuple], logged: list[tuple]) -> str:
    """The first difference between a lot's live events and its logged ones, in words ("" if none)."""
    for position, (row, leaf) in enumerate(zip(live, logged, strict=False), start=1):
        sequence, event_id, hash_ = row
        if event_id != leaf[1]:
            if any(event_id == other[1] for other in logged):
                return f"第{position}个事件：事件顺序与日志不符（被重新排序）。"
            return f"第{position}个事件：日志中没有这个事件（被插入或替换）。"
        if sequence != leaf[0]:
            return f"第{position}个事件：序号与日志不符（被重新排序）。"
        if hash_ != leaf[2]:
            return f"第{position}个事件：内容与日志中发布的不一致（被改写，哪怕重新计算了哈希）。"
    if len(live) < len(logged):
        return (f"第{len(live) + 1}个事件：日志中有 {len(logged)} 个事件，数据库中只剩 {len(live)} 个"
                "（事件被删除，包括链尾）。")
    if len(live) > len(logged):
        return f"第{len(logged) + 1}个事件：日志中没有这个事件（被插入）。"
    return ""


def _compare_commitments(report: LogReport, published: Published) -> None:
    for values in QualityCommitment.objects.values(*records.COMMITMENT_COLUMNS).iterator(chunk_size=CHUNK):
        leaf = published.commitments.get(str(values["id"]))
        live = json.loads(records.commitment_leaf(values))["record"]
        if leaf is None:
            report.problems.append(f"质量承诺（编号 {values['id']}）不在透明日志中。")
        elif leaf != live:
            report.problems.append(f"质量承诺（编号 {values['id']}，第{values['version']}版）发布后被改动。")
            for lot_id in Lot.objects.filter(commitment_id=values["id"]).values_list("pk", flat=True):
                _first(report, lot_id, "所适用的质量承诺发布后被改动。")


def _compare_actions(report: LogReport, published: Published) -> None:
    from traceability.transparency.log import LOGGED_ACTIONS

    live_ids = set()
    entries = AuditEntry.objects.filter(action__in=LOGGED_ACTIONS).values(*records.AUDIT_COLUMNS)
    for values in entries.iterator(chunk_size=CHUNK):
        live_ids.add(str(values["id"]))
        leaf = published.actions.get(str(values["id"]))
        live = json.loads(records.regulator_action_leaf(values, lot=None))["record"]
        if leaf is None:
            report.problems.append(f"监管操作记录（编号 {values['id']}）不在透明日志中。")
        elif leaf != live:
            report.problems.append(f"监管操作记录（编号 {values['id']}）发布后被改动。")
    for missing in published.actions.keys() - live_ids:
        report.problems.append(f"日志中的监管操作记录（编号 {missing}）在数据库中已被删除。")


def record_problems(report: LogReport) -> None:
    """Mark lots whose records differ from the log as broken, as ``chain.record_verification`` would."""
    from django.utils import timezone

    now = timezone.now()
    with transaction.atomic():
        for lot_id, problem in report.lot_problems.items():
            # A lot whose own chain is already broken keeps the chain's more precise message.
            Lot.objects.filter(pk=lot_id).exclude(chain_status=Lot.CHAIN_BROKEN).update(
                chain_status=Lot.CHAIN_BROKEN, chain_checked_at=now,
                                                 chain_problem=f"透明日志：{problem}")
