"""Trace events as CSV, one row per event, for regulators who work in a spreadsheet.

Each row says whether its event passed the integrity check, so a printed sheet shows
where a chain breaks without the reader knowing anything about hashes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from marketplace import csv_safe
from traceability import verification
from traceability.chain import ChainReport
from traceability.epcis import zone_for
from traceability.models import Lot, TraceEvent

HEADER = [
    "批次码", "商品", "商家", "序号", "环节", "发生时间", "地点", "责任方", "处置状态", "事件哈希", "完整性",
]
PASSED, MISMATCH, AFTER_BREAK = "通过", "不一致（记录后被改动）", "断点之后，无法确认"


def write_lots_csv(lots: Iterable[Lot], fileobj, *, excel_bom: bool = True) -> int:
    """Write every event of these lots to ``fileobj`` (a text file); return the number of rows."""
    lots = list(lots)
    reports = verification.verify_all([lot.code for lot in lots], record=False) if lots else []
    breaks = {report.lot_code: report for report in reports}
    if excel_bom:
        fileobj.write("\ufeff")  # lets spreadsheet programs read the Chinese text as UTF-8
    writer = csv_safe.writer(fileobj)
    writer.writerow(HEADER)
    events = (
        TraceEvent.objects.filter(lot__in=[lot.pk for lot in lots])
        .select_related("lot__product", "lot__merchant")
        .order_by("lot_id", "sequence")
    )
    rows = 0
    for event in events.iterator(chunk_size=2000):
        lot = event.lot
        writer.writerow([
            lot.code,
            lot.product.get_title(),
            lot.merchant.name,
            event.sequence,
            event.get_kind_display(),
            timezone.localtime(event.event_time, zone_for(event.event_timezone_offset)).strftime("%Y-%m-%d %H:%M"),
            " ".join(part for part in (event.county, event.location_name, event.location_gln) if part),
            event.responsible_party,
            event.disposition,
            event.hash,
            integrity(event.sequence, breaks.get(lot.code)),
        ])
        rows += 1
    return rows


def integrity(sequence: int, report: ChainReport | None) -> str:
    if report is None or report.broken_sequence is None or sequence < report.broken_sequence:
        return PASSED
    return MISMATCH if sequence == report.broken_sequence else AFTER_BREAK
