"""The sequencer: records are queued in their own transaction and integrated with dense indices."""

import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from traceability import chain
from traceability.transparency import checkpoints, log, merkle, records
from traceability.transparency.models import LogLeaf


def _item(n):
    return records.EVENT, json.dumps({"n": n}).encode(), None, f"bench-{n}"


def _leaf_hashes():
    return [bytes(h) for h in LogLeaf.objects.order_by("index").values_list("hash", flat=True)]


def test_a_queued_record_gets_its_index_only_when_integrated(db):
    start = log.tree_size()
    with transaction.atomic():
        log.append_many([_item(n) for n in range(3)])
    assert log.tree_size() == start and log.pending_count() == 3  # the test never commits: not yet integrated
    assert log.integrate() == 3
    assert log.pending_count() == 0
    leaves = list(LogLeaf.objects.filter(index__gte=start).order_by("index").values_list("index", "record_key"))
    assert leaves == [(start + n, f"bench-{n}") for n in range(3)]
    assert log.root(log.tree_size()) == merkle.root_from_leaf_hashes(_leaf_hashes())


def test_integration_runs_in_batches_in_queue_order(db):
    start = log.tree_size()
    for n in range(12):
        log.append(kind=records.EVENT, data=json.dumps({"n": n}).encode(), record_key=f"bench-{n}")
    assert log.integrate(batch=5) == 12
    keys = list(LogLeaf.objects.filter(index__gte=start).order_by("index").values_list("record_key", flat=True))
    assert keys == [f"bench-{n}" for n in range(12)]
    assert log.tree_size() == start + 12 and log.pending_count() == 0


def test_the_record_is_integrated_after_its_commit(lot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        event = chain.record_event(lot=lot, kind="storing", event_time=timezone.now(), responsible_party="仓库")
        assert log.pending_count(lot=lot) == 1
    assert callbacks  # integration was scheduled for after the commit
    assert log.pending_count() == 0
    assert LogLeaf.objects.get(kind=records.EVENT, record_key=str(event.pk)).index == log.tree_size() - 1


def test_signing_and_the_cron_command_integrate_first(lot):
    chain.record_event(lot=lot, kind="storing", event_time=timezone.now(), responsible_party="仓库")
    assert log.pending_count() == 1
    signed = checkpoints.sign()
    assert log.pending_count() == 0 and signed.size == log.tree_size() == 7
    log.append(kind=records.EVENT, data=b'{"n":1}', record_key="bench-1")
    out = StringIO()
    call_command("tlog_integrate", stdout=out)
    assert "已写入 1 条记录" in out.getvalue() and log.pending_count() == 0


def test_a_bulk_loader_integrates_what_is_pending_first(db):
    log.append_many([_item(0), _item(1)])
    log.bulk_append([_item(2)])
    keys = list(LogLeaf.objects.order_by("index").values_list("record_key", flat=True))
    assert keys[-3:] == ["bench-0", "bench-1", "bench-2"] and log.pending_count() == 0


def test_reading_the_trace_page_and_bundle_writes_nothing(client, lot):
    checkpoints.sign()
    chain.record_event(lot=lot, kind="shipping", event_time=timezone.now(), responsible_party="物流")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/trace/{lot.code}/").status_code == 200
        assert client.get(f"/tlog/lots/{lot.code}/proof.json").status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
              and "transparency_" in q["sql"]]
    assert writes == []
    assert log.pending_count(lot=lot) == 1


def _in_thread(target, *args):
    """Run ``target`` on its own connection, as another request or process would."""
    errors = []

    def run():
        try:
            target(*args)
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@pytest.mark.django_db(transaction=True)
def test_a_row_committed_while_an_integrator_runs_is_not_lost(postgres):
    """The lost wakeup: B commits after the integrator read the queue, and B's own attempt skips."""
    log.append(kind=records.EVENT, data=b'{"n":"a"}', record_key="a")  # autocommit: integrated at once
    read, release = threading.Event(), threading.Event()

    def integrator():
        with transaction.atomic():
            log._integrate_locked(log._locked_head())  # reads the (empty) queue and keeps the head

            read.set()
            assert release.wait(10)

    thread, errors = _in_thread(integrator)
    assert read.wait(10)
    with transaction.atomic():
        log.append(kind=records.EVENT, data=b'{"n":"b"}', record_key="b")
    assert log.pending_count() == 1  # B's after-commit attempt found the head locked and skipped
    release.set()
    thread.join(10)
    assert not errors
    assert log.pending_count() == 1  # the integrator had read the queue before B committed
    with transaction.atomic():
        log.append(kind=records.EVENT, data=b'{"n":"c"}', record_key="c")
    assert log.pending_count() == 0  # the next append's integration picked B up, before C
    assert list(LogLeaf.objects.order_by("index").values_list("index", "record_key")) == [
        (0, "a"), (1, "b"), (2, "c")]


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_writers_get_dense_indices(postgres):
    item = factories.product(title="人参")
    factories.listing(product_=item)
    lots = [factories.lot(product_=item, events=0) for _ in range(8)]
    start = log.tree_size()
    barrier = threading.Barrier(len(lots))

    def writer(lot):
        barrier.wait(10)
        for n in range(50):
            with transaction.atomic():
                chain.record_event(lot=lot, kind="storing", event_time=timezone.now(), responsible_party=f"仓库{n}")

    threads = [_in_thread(writer, lot) for lot in lots]
    for thread, errors in threads:
        thread.join(60)
        assert not errors
    log.integrate()  # whatever the last after-commit attempts skipped
    assert log.pending_count() == 0
    leaves = list(LogLeaf.objects.filter(index__gte=start).order_by("index").values_list("index", "kind", "data"))
    assert [index for index, *_ in leaves] == list(range(start, start + 400))
    documents = [records.decode(bytes(data)) for _, kind, data in leaves]
    assert all(document["type"] == records.EVENT for document in documents)
    for lot in lots:
        logged = [d["id"] for d in documents if d["lot"] == lot.code]
        assert logged == [str(pk) for pk in lot.events.order_by("sequence").values_list("pk", flat=True)]
        assert len(logged) == 50
    builder = merkle.RootBuilder()
    for data in LogLeaf.objects.order_by("index").values_list("data", flat=True):
        builder.add(merkle.leaf_hash(bytes(data)))
    assert builder.size == log.tree_size()
    assert merkle.frontier_root(builder.frontier) == log.root(log.tree_size())


def _synchronous_commit(cursor) -> str:
    cursor.execute("SHOW synchronous_commit")
    return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_only_an_integration_of_its_own_commits_without_waiting_for_the_disk(postgres):
    """Its own transaction: synchronous_commit off for that transaction alone. Inside a caller's
    transaction (a record, a checkpoint) the caller's commit must keep waiting for the disk."""
    log.append(kind=records.EVENT, data=b'{"n":1}', record_key="own")  # autocommit: integrated on its own
    with CaptureQueriesContext(connection) as queries:
        log.append(kind=records.EVENT, data=b'{"n":2}', record_key="own-2")
    assert any("set_config('synchronous_commit', 'off', true)" in q["sql"] for q in queries.captured_queries)
    with connection.cursor() as cursor:
        assert _synchronous_commit(cursor) == "on"  # it ended with its transaction
        with transaction.atomic():
            log.append(kind=records.EVENT, data=b'{"n":3}', record_key="inside")
            assert log.integrate() == 1
            assert _synchronous_commit(cursor) == "on"
    assert log.pending_count() == 0 and log.tree_size() == 3
