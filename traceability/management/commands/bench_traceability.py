"""Time whole-database chain verification on a large, freshly generated set of events.

Writes N events across lots straight into PostgreSQL with COPY (the append-only
triggers allow inserts), with hashes computed by ``chain.event_hash`` as
``record_event`` would, then times ``verification.verify_all()``. Run it on a database
of its own: the events cannot be deleted afterwards.
"""

import itertools
import json
import time
import uuid
from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from oscar.core.loading import get_model

from traceability import chain, verification
from traceability.gtin import make_gtin14
from traceability.models import Lot, QualityCommitment, TraceEvent
from traceability.transparency import checkpoints as tlog_checkpoints
from traceability.transparency import log as tlog

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")

KINDS = list(chain.KIND_EPCIS)
COUNTIES = ["抚松县", "集安市", "长白朝鲜族自治县", "靖宇县", "双阳区", "东丰县"]


class Command(BaseCommand):
    help = "在 PostgreSQL 上生成大量追溯事件并测量整库校验用时（仅用于性能测试库）。"

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=1_000_000, help="生成的事件数（默认 1,000,000）")
        parser.add_argument("--per-lot", type=int, default=100, help="每个批次的事件数（默认 100）")
        parser.add_argument("--workers", type=int, default=None, help="校验进程数（默认按 CPU，最多 2）")
        parser.add_argument("--append", action="store_true", help="库中已有事件时仍然追加")
        parser.add_argument("--verify-only", action="store_true", help="不生成数据，只测量校验用时")

    def handle(self, *args, events, per_lot, workers, append, verify_only, **options):
        if connection.vendor != "postgresql":
            raise CommandError("性能测试只在 PostgreSQL 上运行，请设置 DATABASE_URL=postgres://...")
        if not verify_only:
            if TraceEvent.objects.exists() and not append:
                raise CommandError("数据库中已有追溯事件。请使用专门的性能测试库，或加 --append。")
            if events < 1 or per_lot < 1:
                raise CommandError("事件数和每批次事件数都必须大于 0。")
            started = time.perf_counter()
            self.generate(events, per_lot)
            self.stdout.write(f"generated {events:,} events in {time.perf_counter() - started:.1f} s")
        total = TraceEvent.objects.count()
        started = time.perf_counter()
        reports = verification.verify_all(workers=workers)
        elapsed = time.perf_counter() - started
        broken = sum(1 for report in reports if not report.intact)
        checked = sum(report.events_checked for report in reports)
        self.stdout.write(f"lots: {len(reports):,}, events checked: {checked:,}, broken lots: {broken}")
        self.stdout.write(f"verify_traceability: {total:,} events in {elapsed:.1f} s")

    def generate(self, events: int, per_lot: int) -> None:
        run = uuid.uuid4().hex[:4].upper()
        with transaction.atomic():
            merchant = Partner.objects.create(name=f"性能测试商家{run}", legal_name=f"吉林性能测试有限公司{run}")
            product_class, _ = ProductClass.objects.get_or_create(slug="bench", defaults={"name": "性能测试"})
            product = Product.objects.create(title=f"性能测试商品{run}", product_class=product_class,
                                             structure=Product.STANDALONE)
            commitment = QualityCommitment.objects.create(
                merchant=merchant, version=1, quality_promise="性能测试", returns_promise="性能测试",
                after_sales_promise="性能测试", contact_name="测试", contact_phone="0431-88880000",
            )
            lot_count = -(-events // per_lot)
            base = int(run, 16) * 10_000_000
            lots = Lot.objects.bulk_create(
                [
                    Lot(product=product, merchant=merchant, commitment=commitment,
                        gtin=make_gtin14(f"0{base + n:012d}"[-13:]), lot_number=f"B{run}-{n:07d}",
                        produced_on=datetime(2025, 9, 1).date(), quantity=100)
                    for n in range(lot_count)
                ],
                batch_size=5000,
            )
            columns = (*chain.HASHED_FIELDS, "hash")
            copy_sql = f"COPY {TraceEvent._meta.db_table} ({', '.join(columns)}) FROM STDIN"
            logged = []
            with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
                written = 0
                for lot in lots:
                    previous = chain.GENESIS_HASH
                    for sequence in range(1, min(per_lot, events - written) + 1):
                        values = _event_values(lot, sequence, previous)
                        values["hash"] = chain.event_hash(values, lot_gtin=lot.gtin, lot_number=lot.lot_number)
                        previous = values["hash"]
                        copy.write_row([_copy_value(values[column]) for column in columns])
                        logged.append(tlog.event_item(event_id=values["id"], lot_id=lot.pk, lot_code=lot.code,
                                                      sequence=sequence, record_sha256=values["hash"]))
                        written += 1
            Lot.objects.filter(pk__in=[lot.pk for lot in lots]).update(chain_status=Lot.CHAIN_INTACT)
            # The same records in the transparency log, then a signed, witnessed checkpoint over them.
            tlog.bulk_append(itertools.chain((tlog.lot_item(lot) for lot in lots), logged))
        tlog_checkpoints.sign()
        tlog_checkpoints.cosign()
        with connection.cursor() as cursor:  # as autovacuum would, so the planner knows the table
            cursor.execute(f"ANALYZE {TraceEvent._meta.db_table}")


def _event_values(lot: Lot, sequence: int, previous_hash: str) -> dict:
    kind = KINDS[sequence % len(KINDS)]
    event_type, action, biz_step = chain.KIND_EPCIS[kind]
    moment = datetime(2025, 9, 1, 1, 2, 3, 456789, tzinfo=UTC) + timedelta(hours=sequence, microseconds=lot.pk)
    return {
        "id": uuid.uuid4(),
        "lot_id": lot.pk,
        "sequence": sequence,
        "kind": kind,
        "event_type": event_type,
        "action": action,
        "biz_step": biz_step,
        "disposition": "conformant" if kind == "inspection" else "",
        "event_time": moment,
        "event_timezone_offset": "+08:00",
        "location_gln": "6901234000017" if sequence % 3 == 0 else "",
        "location_name": "抚松县万良镇人参市场",
        "county": COUNTIES[lot.pk % len(COUNTIES)],
        "responsible_party": "吉林性能测试有限公司",
        "data": {"note": f"第{sequence}步", "weight_kg": 12.5, "checked": True},
        "attachment": "",
        "attachment_sha256": "",
        "corrects_id": None,
        "correction_reason": "",
        "recorded_at": moment + timedelta(minutes=5),
        "recorded_by_id": None,
        "previous_hash": previous_hash,
    }


def _copy_value(value):
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value
