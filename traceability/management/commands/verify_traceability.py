"""Check every lot's chain of trace events and record the result on the lot.

Then compare every record with the signed transparency log (traceability/transparency/
audit.py): the log's leaves must rebuild the root of the latest witnessed checkpoint, and
each lot's live columns and events must match their leaves, so even a rewrite by the
database's owner (triggers disabled, hashes recomputed) or a deleted chain tail shows.

Exit status: 0 when every chain is intact and matches the log, 1 when any is broken (each
broken lot is named with the event where its chain breaks), 2 when a lot code names no lot.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from traceability import verification
from traceability.models import Lot
from traceability.transparency import audit as tlog_audit
from traceability.transparency import log as tlog


class Command(BaseCommand):
    help = "校验追溯链是否完整（全部批次，或用 --lot 指定批次），并把结果记录到批次上。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--lot", action="append", dest="lots", metavar="CODE",
            help="只校验这个批次，批次码为“GTIN-批号”，如 06901234567892-L2025001；可重复",
        )
        parser.add_argument(
            "--checkpoint", metavar="FILE",
            help="对照这个签名检查点（如监管部门自己保存的）校验透明日志；默认用数据库中最新的已见证检查点",
        )

    def handle(self, *args, lots=None, checkpoint=None, **options):
        started = time.perf_counter()
        tlog.integrate()  # records still queued for the log are compared as leaves, like the rest
        try:
            reports = verification.verify_all(lots)
        except verification.UnknownLotError as error:
            raise CommandError(
                f"{error}。批次码应为“14位GTIN-批号”，例如 06901234567892-L2025001。", returncode=2
            ) from error
        log_broken = self.check_log(reports, checkpoint)
        elapsed = time.perf_counter() - started
        broken = [report for report in reports if report.broken]
        awaiting = [report for report in reports if report.awaiting]
        events = sum(report.events_checked for report in reports)
        for report in broken:
            self.stderr.write(
                f"批次 {report.lot_code}：第{report.broken_sequence}个事件（编号 {report.broken_event_id}）"
                f"——{report.problem}"
            )
        self.stdout.write(
            f"已校验 {len(reports)} 个批次、{events} 个事件：{len(reports) - len(broken) - len(awaiting)} 个完整，"
            f"{len(broken)} 个已损坏，{len(awaiting)} 个待录入。用时 {elapsed:.1f} 秒。"
        )
        if awaiting:
            # New lots without events are not an alarm: they are listed, and the exit status stays 0.
            self.stdout.write("待录入（尚无追溯事件，不能销售）：" + "、".join(r.lot_code for r in awaiting[:50])
                              + (" 等" if len(awaiting) > 50 else ""))
        if log_broken and not broken:
            raise CommandError(f"透明日志校验未通过：{log_broken} 处记录与已签名发布的不一致。")
        if broken:
            raise CommandError(f"追溯链校验未通过：{len(broken)} 个批次的记录在登记后被改动，已标记为“已损坏”。")

    def check_log(self, reports, checkpoint_file) -> int:
        """Compare the records with the signed transparency log; returns how many problems it found."""
        note_text = None
        if checkpoint_file:
            try:
                with open(checkpoint_file, encoding="utf-8") as handle:
                    note_text = handle.read()
            except OSError as error:
                raise CommandError(f"无法读取检查点文件：{error}", returncode=2) from error
        try:
            log_report = tlog_audit.verify_log(checkpoint_note=note_text)
        except tlog_audit.note.NoteError as error:
            raise CommandError(f"检查点签名无效：{error}") from error
        tlog_audit.record_problems(log_report)
        asked = {report.lot_code for report in reports}
        codes = dict(Lot.objects.filter(pk__in=list(log_report.lot_problems)).values_list("pk", "gtin"))
        numbers = dict(Lot.objects.filter(pk__in=list(log_report.lot_problems)).values_list("pk", "lot_number"))
        count = 0
        for warning in log_report.warnings:
            self.stdout.write(f"透明日志（提示）：{warning}")
        for problem in log_report.problems:
            self.stderr.write(f"透明日志：{problem}")
            count += 1
        for lot_id, problem in log_report.lot_problems.items():
            code = f"{codes.get(lot_id)}-{numbers.get(lot_id)}"
            if code in asked:
                self.stderr.write(f"批次 {code}：{problem}")
                count += 1
        size = log_report.checkpoint_size
        witnessed = "已见证" if log_report.witnessed else "未见证"
        self.stdout.write(
            f"透明日志：{log_report.leaves} 条记录，对照{witnessed}的检查点（{size if size is not None else '无'} 条）。"
        )
        return count
