"""Write trace events as an EPCIS 2.0 JSON-LD document to standard output."""

import json
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from oscar.core.loading import get_model

from traceability import epcis, verification
from traceability.models import TraceEvent

Partner = get_model("partner", "Partner")


class Command(BaseCommand):
    help = "导出 EPCIS 2.0（JSON-LD）格式的追溯数据：按批次、商家或起始日期筛选，可组合使用。"

    def add_arguments(self, parser):
        parser.add_argument("--lot", action="append", dest="lots", metavar="CODE",
                            help="批次码“GTIN-批号”，可重复")
        parser.add_argument("--merchant", metavar="CODE_OR_ID", help="商家代码或编号")
        parser.add_argument("--since", metavar="YYYY-MM-DD", help="只导出这一天（北京时间）及以后发生的事件")

    def handle(self, *args, lots=None, merchant=None, since=None, **options):
        if not (lots or merchant or since):
            raise CommandError("请至少指定一个条件：--lot 批次码、--merchant 商家 或 --since 日期。")
        events = TraceEvent.objects.all()
        if lots:
            try:
                found = verification.lots_for_codes(lots)
            except verification.UnknownLotError as error:
                raise CommandError(f"{error}。批次码应为“14位GTIN-批号”。") from error
            events = events.filter(lot__in=found)
        if merchant:
            events = events.filter(lot__merchant=self.merchant(merchant))
        if since:
            events = events.filter(event_time__gte=self.start_of(since))
        document = epcis.document_for_events(events)
        if not document["epcisBody"]["eventList"]:
            self.stderr.write("没有符合条件的追溯事件，导出的文件不含事件。")
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def merchant(self, value: str):
        value = value.strip()
        partner = Partner.objects.filter(code=value).first()
        if partner is None and value.isdigit():
            partner = Partner.objects.filter(pk=int(value)).first()
        if partner is None:
            raise CommandError(f"找不到商家“{value}”。请填写商家代码或编号。")
        return partner

    def start_of(self, value: str) -> datetime:
        try:
            day = datetime.strptime(value.strip(), "%Y-%m-%d").date()
        except ValueError as error:
            raise CommandError(f"日期“{value}”格式不对，请写成 年-月-日，例如 2025-09-01。") from error
        return timezone.make_aware(datetime.combine(day, time.min))
