"""The database owner's attacks, each caught by ``manage.py verify_traceability``.

The attacker has the owner's rights: on PostgreSQL ``ALTER TABLE … DISABLE TRIGGER
ALL``, on SQLite dropping and recreating the append-only triggers. They rewrite rows
with raw SQL and recompute every chain hash after the change, so the chain alone
(``chain.verify_rows``) is satisfied; only the signed transparency log shows the change.
"""

import json
import uuid
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from traceability import chain
from traceability.models import Lot, TraceEvent
from traceability.transparency import checkpoints, log
from traceability.transparency.models import LogLeaf

EVENTS = "traceability_traceevent"
LEAVES = "transparency_logleaf"
VENDORS = ["sqlite", "postgresql"]


@pytest.fixture(params=VENDORS)
def vendor(request, db):
    """Each variant runs on its own database; tests/conftest.py deselects the other one."""
    assert connection.vendor == request.param
    return request.param


@contextmanager
def triggers_off(*tables):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks inside the test's transaction
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
            yield cursor
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
        else:
            for table in tables:
                for op in ("update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
            yield cursor
            for table in tables:
                for op in ("UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: {op} is not allowed'); END;")


def _pk(value):
    return TraceEvent._meta.pk.get_db_prep_value(value, connection)


def rechain(cursor, lot, rows):
    """Write ``rows`` (dicts, in their new order) back with sequences and hashes recomputed."""
    cursor.execute(f"UPDATE {EVENTS} SET sequence = sequence + 1000 WHERE lot_id = %s", [lot.pk])
    previous = chain.GENESIS_HASH
    for sequence, row in enumerate(rows, start=1):
        row = {**row, "sequence": sequence, "previous_hash": previous}
        row["hash"] = chain.event_hash(row, lot_gtin=lot.gtin, lot_number=lot.lot_number)
        previous = row["hash"]
        cursor.execute(
            f"UPDATE {EVENTS} SET sequence = %s, data = %s, previous_hash = %s, hash = %s WHERE id = %s",
            [sequence, json.dumps(row["data"], ensure_ascii=False), row["previous_hash"], row["hash"],
             _pk(row["id"])],
        )


def event_rows(lot):
    return list(TraceEvent.objects.filter(lot=lot).order_by("sequence").values(*chain.HASHED_FIELDS, "hash"))


@pytest.fixture
def witnessed(lot):
    checkpoints.sign()
    checkpoints.cosign()
    return lot


def run_verify():
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_traceability", stdout=out, stderr=err)
    except CommandError as error:
        return False, out.getvalue() + err.getvalue() + str(error)
    return True, out.getvalue() + err.getvalue()


def assert_caught(lot, *words):
    passed, output = run_verify()
    assert not passed, output
    assert lot.code in output
    for word in words:
        assert word in output
    lot.refresh_from_db()
    assert lot.chain_status == Lot.CHAIN_BROKEN
    assert lot.chain_problem.startswith("透明日志")


def test_untouched_records_pass(vendor, witnessed):
    passed, output = run_verify()
    assert passed, output
    assert "对照已见证的检查点" in output
    assert "0 个已损坏" in output


def test_rewrite_with_recomputed_hashes(vendor, witnessed):
    lot = witnessed
    rows = event_rows(lot)
    rows[1]["data"] = {**rows[1]["data"], "tests": [{"item": "农残", "value": "合格", "passed": True}]}
    with triggers_off(EVENTS) as cursor:
        rechain(cursor, lot, rows)
    assert chain.verify_chain(lot).intact  # the chain alone is fooled
    assert_caught(lot, "第2个事件", "被改写")


def test_tail_deletion(vendor, witnessed):
    lot = witnessed
    last = lot.events.order_by("-sequence").first()
    with triggers_off(EVENTS) as cursor:
        cursor.execute(f"DELETE FROM {EVENTS} WHERE id = %s", [_pk(last.pk)])
    assert chain.verify_chain(lot).intact
    assert_caught(lot, "第4个事件", "被删除")


def test_insertion(vendor, witnessed):
    lot = witnessed
    rows = event_rows(lot)
    forged = {**rows[0], "id": uuid.uuid4(), "sequence": 999, "kind": "inspection", "data": {"note": "补录的检验"}}
    with triggers_off(EVENTS) as cursor:
        columns = [c for c in chain.HASHED_FIELDS]
        cursor.execute(
            f"INSERT INTO {EVENTS} ({', '.join(columns)}, hash) VALUES ({', '.join(['%s'] * (len(columns) + 1))})",
            [_pk(forged["id"]) if c == "id" else (json.dumps(forged[c]) if c == "data" else forged[c])
             for c in columns] + ["0" * 64],
        )
        rows.insert(2, forged)
        rechain(cursor, lot, rows)
    assert chain.verify_chain(lot).intact
    assert_caught(lot, "第3个事件", "日志中没有这个事件")


def test_reordering(vendor, witnessed):
    lot = witnessed
    rows = event_rows(lot)
    rows[1], rows[2] = rows[2], rows[1]
    with triggers_off(EVENTS) as cursor:
        rechain(cursor, lot, rows)
    assert chain.verify_chain(lot).intact
    assert_caught(lot, "第2个事件", "被重新排序")


def test_changed_lot_column(vendor, witnessed):
    lot = witnessed
    with connection.cursor() as cursor:  # the lot table has no trigger: its columns change freely
        cursor.execute("UPDATE traceability_lot SET produced_on = '2020-01-01' WHERE id = %s", [lot.pk])
    assert_caught(lot, "produced_on")


def test_more_units_than_registered(vendor, witnessed):
    lot = witnessed
    Lot.objects.filter(pk=lot.pk).update(quantity=lot.quantity - 10)  # sold units: fine
    assert run_verify()[0]
    Lot.objects.filter(pk=lot.pk).update(quantity=lot.quantity + 500)
    assert_caught(lot, "quantity")


def test_rewriting_the_log_too_breaks_the_signed_root(vendor, witnessed):
    lot = witnessed
    rows = event_rows(lot)
    rows[0]["data"] = {"note": "改过的记录"}
    with triggers_off(EVENTS, LEAVES) as cursor:
        rechain(cursor, lot, rows)
        for leaf in LogLeaf.objects.filter(lot_id=lot.pk, kind="trace_event").order_by("index"):
            document = json.loads(bytes(leaf.data))
            fresh = TraceEvent.objects.get(pk=document["id"])
            _, data, _, _ = log.event_item(event_id=fresh.pk, lot_id=lot.pk, lot_code=lot.code,
                                           sequence=fresh.sequence, record_sha256=fresh.hash)
            from traceability.transparency import merkle

            column = '"index"' if connection.vendor == "sqlite" else "index"
            cursor.execute(f"UPDATE {LEAVES} SET data = %s, hash = %s WHERE {column} = %s",
                           [data, merkle.leaf_hash(data), leaf.index])
    passed, output = run_verify()
    assert not passed
    assert "默克尔树根与已签名检查点不符" in output


def test_deleting_the_tail_of_the_log_too(vendor, witnessed):
    lot = witnessed
    last = lot.events.order_by("-sequence").first()
    last_leaf = LogLeaf.objects.order_by("-index").first()
    with triggers_off(EVENTS, LEAVES) as cursor:
        cursor.execute(f"DELETE FROM {EVENTS} WHERE id = %s", [_pk(last.pk)])
        column = '"index"' if connection.vendor == "sqlite" else "index"
        cursor.execute(f"DELETE FROM {LEAVES} WHERE {column} = %s", [last_leaf.index])
    passed, output = run_verify()
    assert not passed
    assert "已发布的记录被删除" in output


def test_forged_checkpoint_in_the_database_is_refused(vendor, witnessed):
    from tests.transparency.conftest import _seed
    from traceability.transparency import note
    from traceability.transparency.models import SignedCheckpoint

    stored = SignedCheckpoint.objects.get()
    body, _ = note.split_note(stored.note)
    forged = note.sign_note(body, note.load_private_key(_seed()), "shop.example.cn/tlog")
    with triggers_off("transparency_signedcheckpoint", "transparency_cosignature") as cursor:
        cursor.execute("DELETE FROM transparency_cosignature")
        cursor.execute("UPDATE transparency_signedcheckpoint SET note = %s", [forged])
    passed, output = run_verify()
    assert not passed
    assert "检查点签名无效" in output


def _queued_event(lot):
    """A new event whose leaf is still queued (its after-commit integration has not run)."""
    from django.utils import timezone

    from traceability.transparency.models import PendingLeaf

    event = chain.record_event(lot=lot, kind="shipping", event_time=timezone.now(), responsible_party="物流")
    assert PendingLeaf.objects.filter(record_key=str(event.pk)).count() == 1
    return event


@pytest.mark.parametrize("integrated_first", [True, False], ids=["verify_traceability", "verify_log"])
def test_a_rewritten_queued_leaf(vendor, witnessed, integrated_first):
    """The owner rewrites a record's queued leaf before it gets its index: it no longer matches the record."""
    from traceability.transparency import audit
    from traceability.transparency.models import PendingLeaf

    lot = witnessed
    event = _queued_event(lot)
    queued = bytes(PendingLeaf.objects.get(record_key=str(event.pk)).data)
    forged = queued.replace(event.hash.encode(), b"0" * 64)
    assert forged != queued
    PendingLeaf.objects.filter(record_key=str(event.pk)).update(data=forged)
    if integrated_first:
        assert_caught(lot, "第5个事件", "被改写")
    else:
        report = audit.verify_log()
        assert "被改写" in report.lot_problems[lot.pk] and report.pending == 1


def test_a_deleted_queued_leaf(vendor, witnessed):
    from traceability.transparency.models import PendingLeaf

    lot = witnessed
    event = _queued_event(lot)
    PendingLeaf.objects.filter(record_key=str(event.pk)).delete()
    assert_caught(lot, "第5个事件", "日志中没有这个事件")
