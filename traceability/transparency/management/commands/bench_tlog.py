"""Time the transparency log: appends per second, proof verification, whole-database check.

Run it on a database of its own (what it appends cannot be deleted):

    DATABASE_URL=postgres://…/silver_bench manage.py bench_tlog --appends 5000

``--appends`` times ``log.append`` alone, each in its own transaction (as a record's
transaction would call it), then ``chain.record_event`` end to end (event + leaf).
Proof verification is timed on the largest lot's bundle, offline, with public keys only.
``--verify`` also times ``verify_traceability`` (chains + log) over the whole database.
"""

import json
import time
from io import StringIO

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from traceability import chain
from traceability.models import Lot
from traceability.transparency import bundle, checkpoints, keys, log, proofs, records


class Command(BaseCommand):
    help = "测量透明日志的追加速度、证明验证用时和整库校验用时（仅用于性能测试库）。"

    def add_arguments(self, parser):
        parser.add_argument("--appends", type=int, default=5000, help="log.append calls to time (default 5000)")
        parser.add_argument("--events", type=int, default=1000, help="record_event calls to time (default 1000)")
        parser.add_argument("--proofs", type=int, default=200, help="bundle verifications to time")
        parser.add_argument("--verify", action="store_true", help="also time verify_traceability")

    def handle(self, *args, appends, events, verify, **options):
        proof_runs = options["proofs"]
        rows = []
        if appends:
            started = time.perf_counter()
            for n in range(appends):
                with transaction.atomic():
                    log.append(kind=records.EVENT, data=json.dumps({"bench": n}).encode(), record_key=f"bench-{n}")
            elapsed = time.perf_counter() - started
            rows.append(("log.append, one transaction each", f"{appends / elapsed:,.0f} appends/s"))
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
