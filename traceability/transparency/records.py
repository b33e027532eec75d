"""The canonical, versioned serialisation of every record the log publishes.

A leaf is UTF-8 JSON with sorted keys and no insignificant white space (as in
``traceability.chain``), with ``"v"`` (the format version) and ``"type"``:

* ``lot`` — a lot's registration: its own columns under ``record`` (what verification
  compares with the live row) and, under ``labels``, the product's and merchant's names
  at registration so a reader of a proof knows what they are.
* ``trace_event`` — one event of a lot's chain: its id, sequence and ``record_sha256``,
  the SHA-256 of the event's canonical serialisation (``chain.canonical_bytes``, which
  itself covers the previous event's hash). Proof bundles carry that serialisation too.
* ``commitment`` — every column of one version of a merchant's quality commitment.
* ``regulator_action`` — an audit entry that changes what may be sold: suspension,
  reinstatement, recall, exit from a catalogue.

Pure functions over plain values; the model-facing helpers live in ``log.py``.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

VERSION = 1
LOT, EVENT, COMMITMENT, REGULATOR_ACTION = "lot", "trace_event", "commitment", "regulator_action"
KINDS = (LOT, EVENT, COMMITMENT, REGULATOR_ACTION)
LOT_COLUMNS = ("id", "gtin", "lot_number", "product_id", "merchant_id", "commitment_id", "produced_on",
               "expires_on", "quantity", "created_at")
COMMITMENT_COLUMNS = ("id", "merchant_id", "version", "standards", "quality_promise", "returns_promise",
                      "after_sales_promise", "contact_name", "contact_phone", "contact_hours",
                      "effective_from", "created_at", "created_by_id")
AUDIT_COLUMNS = ("id", "at", "actor_id", "action", "target_type", "target_id", "target_label", "reason",
                 "details")

_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def plain(value):
    """A JSON value for a column value, the same after a database round trip."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def encode(document: dict) -> bytes:
    return _ENCODER.encode({"v": VERSION, **document}).encode()


def decode(data: bytes) -> dict:
    document = json.loads(data)
    if not isinstance(document, dict) or document.get("v") != VERSION or document.get("type") not in KINDS:
        raise ValueError("not a Silver Market transparency-log leaf (format v1)")
    return document


def lot_code(gtin: str, lot_number: str) -> str:
    return f"{gtin}-{lot_number}"


def lot_leaf(values: dict, *, labels: dict | None = None) -> bytes:
    record = {column: plain(values[column]) for column in LOT_COLUMNS}
    return encode({"type": LOT, "lot": lot_code(values["gtin"], values["lot_number"]), "record": record,
                   "labels": labels or {}})


def event_leaf(*, lot: str, event_id, sequence: int, record_sha256: str) -> bytes:
    return encode({"type": EVENT, "lot": lot, "id": str(event_id), "sequence": sequence,
                   "record_sha256": record_sha256})


def commitment_leaf(values: dict) -> bytes:
    return encode({"type": COMMITMENT, "record": {column: plain(values[column]) for column in COMMITMENT_COLUMNS}})


def regulator_action_leaf(values: dict, *, lot: str | None) -> bytes:
    document = {"type": REGULATOR_ACTION, "record": {column: plain(values[column]) for column in AUDIT_COLUMNS}}
    if lot:
        document["lot"] = lot
    return encode(document)
