"""Hashing, appending and verifying a lot's chain of trace events.

Every event stores the SHA-256 of its canonical serialisation; that serialisation
includes the hash of the lot's previous event, so the events form a chain per lot.
Changing any stored field of any event (or the lot's GTIN or lot number, which every
event names) changes a recomputed hash, and ``verify_chain`` names the first event
whose stored hash no longer matches.

The canonical serialisation is JSON with sorted keys, no insignificant white space and
UTF-8 text (in the spirit of RFC 8785), over every stored column but ``hash`` itself.
Times are written in UTC with microseconds so a database round trip reproduces them.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from traceability import vocabulary
from traceability.models import Lot, TraceEvent
from traceability.transparency import log as transparency_log

GENESIS_HASH = "0" * 64

# Our event kinds as (EPCIS event type, action, CBV 2.0 business step), from the vocabulary.
KIND_EPCIS = {kind.code: kind.epcis for kind in vocabulary.KINDS}

# The columns the hash covers, in the order they are read from the database.
HASHED_FIELDS = (
    "id",
    "lot_id",
    "sequence",
    "kind",
    "event_type",
    "action",
    "biz_step",
    "disposition",
    "event_time",
    "event_timezone_offset",
    "location_gln",
    "location_name",
    "county",
    "responsible_party",
    "data",
    "attachment",
    "attachment_sha256",
    "corrects_id",
    "correction_reason",
    "recorded_at",
    "recorded_by_id",
    "previous_hash",
)


def _canonical_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, uuid.UUID):
        return str(value)
    if value is None:
        return None
    if hasattr(value, "name") and not isinstance(value, str | int | float | dict | list):
        return value.name or ""  # a FieldFile
    return value


# Types ``_canonical_value`` returns unchanged; checking them first keeps whole-database
# verification fast (see traceability/verification.py). The output is the same.
_AS_IS = frozenset({str, int, float, bool, dict, list, type(None)})
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_bytes(values: dict, *, lot_gtin: str, lot_number: str) -> bytes:
    """The canonical serialisation of one event's stored values (a dict keyed by HASHED_FIELDS)."""
    document = {}
    for field in HASHED_FIELDS:
        value = values[field]
        document[field] = value if type(value) in _AS_IS else _canonical_value(value)
    document["lot_id"] = str(document["lot_id"])
    document["id"] = str(document["id"])
    document["lot"] = {"gtin": lot_gtin, "lot_number": lot_number}
    return _ENCODER.encode(document).encode()


def event_hash(values: dict, *, lot_gtin: str, lot_number: str) -> str:
    return hashlib.sha256(canonical_bytes(values, lot_gtin=lot_gtin, lot_number=lot_number)).hexdigest()


def file_sha256(django_file) -> str:
    digest = hashlib.sha256()
    django_file.seek(0)
    for chunk in django_file.chunks():
        digest.update(chunk)
    django_file.seek(0)
    return digest.hexdigest()


def record_event(
    *,
    lot: Lot,
    kind: str,
    event_time: datetime,
    responsible_party: str,
    data: dict | None = None,
    location_name: str = "",
    county: str = "",
    location_gln: str = "",
    disposition: str = "",
    attachment=None,
    corrects: TraceEvent | None = None,
    correction_reason: str = "",
    actor=None,
) -> TraceEvent:
    """Append an event to the lot's chain. The only way events are written."""
    if kind not in KIND_EPCIS:
        raise ValueError(f"未知的追溯环节：{kind}")
    if corrects is not None and corrects.lot_id != lot.pk:
        raise ValueError("只能更正同一批次中的事件。")
    if timezone.is_naive(event_time):
        event_time = timezone.make_aware(event_time)
    event_type, action, biz_step = KIND_EPCIS[kind]
    with transaction.atomic():
        # Lock the lot row so two writers cannot both append after the same event.
        status = Lot.objects.select_for_update().filter(pk=lot.pk).values_list("chain_status", flat=True).first()
        last = lot.events.order_by("-sequence").values("sequence", "hash").first()
        event = TraceEvent(
            lot=lot,
            sequence=(last["sequence"] + 1) if last else 1,
            kind=kind,
            event_type=event_type,
            action=action,
            biz_step=biz_step,
            disposition=disposition,
            event_time=event_time,
            event_timezone_offset=_offset(event_time),
            location_gln=location_gln,
            location_name=location_name,
            county=county,
            responsible_party=responsible_party,
            data=json.loads(json.dumps(data or {}, ensure_ascii=False)),
            corrects=corrects,
            correction_reason=correction_reason,
            recorded_at=timezone.now(),
            recorded_by=actor,
            previous_hash=last["hash"] if last else GENESIS_HASH,
        )
        if attachment is not None:
            event.attachment_sha256 = file_sha256(attachment)
            event.attachment.save(attachment.name, attachment, save=False)
        event.hash = event_hash(_stored_values(event), lot_gtin=lot.gtin, lot_number=lot.lot_number)
        event.save()
        transparency_log.append_event(event, lot=lot)  # queued with the event; indexed after commit
        if event.sequence == 1 or status == Lot.CHAIN_INTACT:
            # Appending to an intact chain keeps it intact; a break stays at its event. A chain
            # that was intact already changes only its check time, which the lot's own pages
            # show (the event bumps that product's version): no storefront-wide change, no
            # re-indexing. A chain becoming intact changes whether the lot sells: everyone hears.
            lots = Lot._base_manager if status == Lot.CHAIN_INTACT else Lot.objects
            lots.filter(pk=lot.pk).update(chain_status=Lot.CHAIN_INTACT, chain_checked_at=timezone.now())
            lot.chain_status = Lot.CHAIN_INTACT
    return event


def _offset(moment: datetime) -> str:
    local = timezone.localtime(moment)
    offset = local.strftime("%z") or "+0800"
    return f"{offset[:3]}:{offset[3:]}"


def _stored_values(event: TraceEvent) -> dict:
    values = {}
    for field in HASHED_FIELDS:
        values[field] = getattr(event, field)
    values["attachment"] = event.attachment.name or ""
    return values



AWAITING_PROBLEM = "该批次还没有录入追溯事件（待录入），录入之前不能销售。"

@dataclass(frozen=True)
class ChainReport:
    lot_code: str
    events_checked: int
    broken_sequence: int | None = None
    broken_event_id: str | None = None
    problem: str = ""
    # A new lot with no events yet is awaiting its records (待录入): not sellable, not tampered.
    awaiting: bool = False

    @property
    def intact(self) -> bool:
        return self.broken_sequence is None and not self.awaiting

    @property
    def broken(self) -> bool:
        return not self.intact and not self.awaiting


def verify_rows(rows, *, lot_code: str, lot_gtin: str, lot_number: str) -> ChainReport:
    """Verify one lot's events given as dicts (keyed by HASHED_FIELDS plus ``hash``), in sequence order."""
    expected_previous = GENESIS_HASH
    checked = 0
    for expected_sequence, row in enumerate(rows, start=1):
        checked += 1
        if row["sequence"] != expected_sequence:
            return ChainReport(
                lot_code, checked, row["sequence"], str(row["id"]),
                f"事件序号应为 {expected_sequence}，实际为 {row['sequence']}（有事件缺失或被插入）。",
            )
        if row["previous_hash"] != expected_previous:
            return ChainReport(
                lot_code, checked, row["sequence"], str(row["id"]),
                "与上一事件的链接不符：记录的上一事件哈希与实际不一致。",
            )
        recomputed = event_hash(row, lot_gtin=lot_gtin, lot_number=lot_number)
        if recomputed != row["hash"]:
            return ChainReport(
                lot_code, checked, row["sequence"], str(row["id"]),
                "事件内容与存储的哈希不一致：该事件在记录后被修改过。",
            )
        expected_previous = row["hash"]
    if checked == 0:
        # A lot is sold on the strength of its chain; a lot with no events has none.
        return ChainReport(lot_code, 0, None, None, AWAITING_PROBLEM, awaiting=True)
    return ChainReport(lot_code, checked)


def verify_chain(lot: Lot) -> ChainReport:
    """Recompute the lot's chain from the database and name the first broken link."""
    rows = TraceEvent.objects.filter(lot=lot).order_by("sequence").values(*HASHED_FIELDS, "hash")
    return verify_rows(rows.iterator(chunk_size=2000), lot_code=lot.code, lot_gtin=lot.gtin,
                       lot_number=lot.lot_number)


def verify_events(lot: Lot, events) -> ChainReport:
    """Verify a lot's chain from events already loaded (in sequence order), without querying again."""
    rows = ({**_stored_values(event), "hash": event.hash} for event in events)
    return verify_rows(rows, lot_code=lot.code, lot_gtin=lot.gtin, lot_number=lot.lot_number)


def chain_status_for(report: ChainReport) -> tuple[str, str]:
    """The (chain_status, chain_problem) a lot stores for this report."""
    if report.intact:
        return Lot.CHAIN_INTACT, ""
    if report.awaiting:
        return Lot.CHAIN_AWAITING, report.problem
    return Lot.CHAIN_BROKEN, f"第{report.broken_sequence}个事件：{report.problem}"


def record_verification(lot: Lot, report: ChainReport) -> None:
    """Store the result on the lot, which the storefront reads to decide what can be sold."""
    status, problem = chain_status_for(report)
    stored = Lot._base_manager.filter(pk=lot.pk).values_list("chain_status", flat=True).first()
    # An unchanged result only moves the check time; it must not invalidate cached pages.
    manager = Lot._base_manager if stored == status else Lot.objects
    manager.filter(pk=lot.pk).update(chain_status=status, chain_checked_at=timezone.now(), chain_problem=problem)
    lot.chain_status, lot.chain_problem = status, problem


def verify_and_record(lot: Lot) -> ChainReport:
    report = verify_chain(lot)
    record_verification(lot, report)
    return report
