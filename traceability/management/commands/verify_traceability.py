"""Check every lot's chain of trace events and record the result on the lot.

Exit status: 0 when every chain is intact, 1 when any is broken (each broken lot is
named with the event where its chain breaks), 2 when a lot code names no lot.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from traceability import verification


class Command(BaseCommand):
    help = "校验追溯链是否完整（全部批次，或用 --lot 指定批次），并把结果记录到批次上。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--lot", action="append", dest="lots", metavar="CODE",
            help="只校验这个批次，批次码为“GTIN-批号”，如 06901234567892-L2025001；可重复",
        )

    def handle(self, *args, lots=None, **options):
        started = time.perf_counter()
        try:
            reports = verification.verify_all(lots)
        except verification.UnknownLotError as error:
            raise CommandError(
                f"{error}。批次码应为“14位GTIN-批号”，例如 06901234567892-L2025001。", returncode=2
            ) from error
        elapsed = time.perf_counter() - started
        broken = [report for report in reports if not report.intact]
        events = sum(report.events_checked for report in reports)
        for report in broken:
            self.stderr.write(
                f"批次 {report.lot_code}：第{report.broken_sequence}个事件（编号 {report.broken_event_id}）"
                f"——{report.problem}"
            )
        self.stdout.write(
            f"已校验 {len(reports)} 个批次、{events} 个事件：{len(reports) - len(broken)} 个完整，"
            f"{len(broken)} 个已损坏。用时 {elapsed:.1f} 秒。"
        )
        if broken:
            raise CommandError(f"追溯链校验未通过：{len(broken)} 个批次的记录在登记后被改动，已标记为“已损坏”。")
