"""Time the transparency log: appends per second, proof verification, whole-database check.

Run it on a database of its own (what it appends cannot be deleted):

    DATABASE_URL=postgres://…/silver_bench manage.py bench_tlog --appends 5000

``--appends`` times ``log.append`` the way a busy marketplace produces records: ``--writers``
processes (each with its own connection), each record in its own transaction, all at once.
It reports records accepted per second (queued and committed), the integrator's rate, and
the merge delay (commit to index, p50/p99) from the after-commit integrations, then whether
anything is still pending after a final ``log.integrate``. One writer alone is timed too.
Then ``chain.record_event`` end to end (event + queued leaf), one writer.
Proof verification is timed on the largest lot's bundle, offline, with public keys only.
``--verify`` also times ``verify_traceability`` (chains + log) over the whole database.
"""

import base64
import json
import multiprocessing
import statistics
import time
import uuid
from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from django.db.models import Count
from django.utils import timezone

from traceability import chain
from traceability.models import Lot
from traceability.transparency import bundle, checkpoints, keys, log, proofs, records
from traceability.transparency.models import LogLeaf


class Command(BaseCommand):
    help = "测量透明日志的追加速度、证明验证用时和整库校验用时（仅用于性能测试库）。"

    def add_arguments(self, parser):
        parser.add_argument("--appends", type=int, default=5000, help="log.append calls to time (default 5000)")
        parser.add_argument("--events", type=int, default=1000, help="record_event calls to time (default 1000)")
        parser.add_argument("--proofs", type=int, default=200, help="bundle verifications to time")
        parser.add_argument("--writers", type=int, default=8, help="concurrent writer processes (default 8)")
        parser.add_argument("--verify", action="store_true", help="also time verify_traceability")

    def handle(self, *args, appends, events, verify, writers, **options):
        proof_runs = options["proofs"]
        rows = []
        if appends:
            rows += time_appends(appends, writers=1)
            rows += time_appends(appends, writers=writers)
        lot = Lot.objects.annotate(n=Count("events")).order_by("-n").first()
        if lot is None:
            raise CommandError("数据库中没有批次：先运行 bench_traceability 或 seed_demo。")
        if events:
            started = time.perf_counter()
            for _ in range(events):
                chain.record_event(lot=lot, kind="storing", event_time=timezone.now(), responsible_party="bench")
            elapsed = time.perf_counter() - started
            rows.append(("chain.record_event with its leaf", f"{events / elapsed:,.0f} events/s"))
        checkpoints.sign()
        checkpoints.cosign()
        started = time.perf_counter()
        data = proofs.lot_bundle(lot)
        rows.append(("build a lot's proof bundle", f"{(time.perf_counter() - started) * 1000:.1f} ms "
                     f"({len(data['leaves'])} leaves, tree of {data['tree_size']:,})"))
        text = json.dumps(data)
        log_key, witness = keys.log_verifier(), keys.witness_verifier()
        started = time.perf_counter()
        for _ in range(proof_runs):
            bundle.verify_bundle(text, log_key=log_key, witness_keys=(witness,))
        per_bundle = (time.perf_counter() - started) / proof_runs
        rows.append(("verify a bundle offline (signatures + all leaves)", f"{per_bundle * 1000:.2f} ms"))
        rows.append(("… per leaf (inclusion proof + record hash)",
                     f"{per_bundle * 1000 / len(data['leaves']):.3f} ms"))
        registration = [entry for entry in data["leaves"]
                        if records.decode(base64.b64decode(entry["data"]))["type"] == records.LOT]
        single = json.dumps({**data, "leaves": registration})  # the lot's registration alone
        started = time.perf_counter()
        for _ in range(proof_runs):
            bundle.verify_bundle(single, log_key=log_key, witness_keys=(witness,))
        rows.append(("verify one record's proof offline (signature, cosignature, inclusion proof)",
                     f"{(time.perf_counter() - started) * 1000 / proof_runs:.2f} ms"))
        if verify:
            out, err = StringIO(), StringIO()
            started = time.perf_counter()
            call_command("verify_traceability", stdout=out, stderr=err)
            rows.append(("verify_traceability (chains + log)", f"{time.perf_counter() - started:.1f} s"))
            self.stdout.write(out.getvalue())
        self.stdout.write(f"tree size: {log.tree_size():,}\n")
        self.stdout.write("| measure | result |\n| --- | --- |\n")
        for name, value in rows:
            self.stdout.write(f"| {name} | {value} |\n")


def _write(run: str, writer: int, count: int, queue) -> None:
    """One writer process: ``count`` records, each in its own transaction; sends back commit times."""
    committed = {}
    for n in range(count):
        key = f"{run}-{writer}-{n}"
        with transaction.atomic():
            # Registered first, so it runs right after the commit, before the append's own integration.
            transaction.on_commit(lambda key=key: committed.__setitem__(key, time.time()))
            log.append(kind=records.EVENT, data=json.dumps({"bench": key}).encode(), record_key=key)
    connections.close_all()
    queue.put(committed)


def time_appends(appends: int, *, writers: int) -> list[tuple[str, str]]:
    """Records accepted per second by ``writers`` processes, the integration rate and the merge delay."""
    run = uuid.uuid4().hex[:8]
    per_writer = -(-appends // writers)
    size_before = log.tree_size()
    connections.close_all()  # children open their own connections: none may be inherited
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [context.Process(target=_write, args=(run, w, per_writer, queue)) for w in range(writers)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    committed = {}
    for _ in processes:
        committed.update(queue.get())
    for process in processes:
        process.join()
    accepted = time.perf_counter() - started
    left = log.pending_count()
    log.integrate()
    integrated = time.perf_counter() - started
    leaves = LogLeaf.objects.filter(index__gte=size_before, record_key__startswith=f"{run}-")
    delays = sorted(max(0.0, at.timestamp() - committed[key]) for key, at in leaves.values_list("record_key", "appended_at"))
    total = len(committed)
    percentile = statistics.quantiles(delays, n=100) if len(delays) > 1 else delays * 99
    label = "one writer" if writers == 1 else f"{writers} writer processes"
    return [
        (f"log.append, {label}, one transaction each: accepted", f"{total / accepted:,.0f} records/s"),
        (f"… integrated ({label}, final integrate included)", f"{total / integrated:,.0f} records/s; "
         f"{left} pending when the writers stopped, {log.pending_count()} after"),
        (f"… merge delay, commit to index ({label})", f"p50 {percentile[49] * 1000:.1f} ms, "
         f"p99 {percentile[98] * 1000:.1f} ms"),
    ]
