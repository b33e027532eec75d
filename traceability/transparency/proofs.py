"""A lot's proof bundle and the plain-words summary the trace page shows.

Both only read (they serve GET requests): a record still waiting for its index in the log
(``log.pending_count``, the sequencer's merge delay) is counted and named as received and
on its way, never integrated from here.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from traceability import chain
from traceability.transparency import bundle as bundle_format
from traceability.transparency import checkpoints, log, records
from traceability.transparency.models import LogLeaf, SignedCheckpoint


@dataclass(frozen=True)
class ProofSummary:
    """What the trace page says about the checkpoint a lot is proved against."""

    size: int
    signed_at: datetime
    witnessed_at: datetime | None
    short_root: str
    records_proved: int
    records_pending: int  # in the log, after this checkpoint
    records_queued: int = 0  # received, not yet in the log (the merge delay)


def _b64(value: bytes) -> str:
    return base64.b64encode(bytes(value)).decode()


def proof_checkpoint() -> SignedCheckpoint | None:
    """The latest witnessed checkpoint, else the latest signed one."""
    return checkpoints.latest_witnessed() or checkpoints.latest()


def _lot_leaves(lot):
    return LogLeaf.objects.filter(Q(lot_id=lot.pk) | Q(kind=records.COMMITMENT, record_key=str(lot.commitment_id)))


def summary(lot) -> ProofSummary | None:
    checkpoint = proof_checkpoint()
    if checkpoint is None:
        return None
    witnessed = [c.signed_at for c in checkpoint.cosignatures.all()]
    indices = list(_lot_leaves(lot).values_list("index", flat=True))
    proved = sum(1 for index in indices if index < checkpoint.size)
    return ProofSummary(
        size=checkpoint.size, signed_at=checkpoint.signed_at, witnessed_at=min(witnessed) if witnessed else None,
        short_root=bytes(checkpoint.root_hash).hex()[:16], records_proved=proved,
        records_pending=len(indices) - proved, records_queued=log.pending_count(lot=lot),
    )


def lot_bundle(lot) -> dict | None:
    """The lot's leaves in the latest (witnessed) checkpoint, with audit paths and event records."""
    checkpoint = proof_checkpoint()
    if checkpoint is None:
        return None
    leaves = list(_lot_leaves(lot).filter(index__lt=checkpoint.size).order_by("index")
                  .values_list("index", "kind", "record_key", "data"))
    if not leaves:
        return None
    paths = log.inclusion_proofs([index for index, *_ in leaves], checkpoint.size)
    event_ids = [key for _, kind, key, _ in leaves if kind == records.EVENT]
    events = {str(event.pk): event for event in lot.events.filter(pk__in=event_ids)}
    entries = []
    for index, kind, key, data in leaves:
        entry = {"index": index, "data": _b64(data), "inclusion_proof": [_b64(h) for h in paths[index]]}
        if kind == records.EVENT and key in events:
            event = events[key]
            values = chain._stored_values(event)
            entry["record"] = _b64(chain.canonical_bytes(values, lot_gtin=lot.gtin, lot_number=lot.lot_number))
        entries.append(entry)
    bundle = {
        "format": bundle_format.FORMAT,
        "origin": checkpoint.note.split("\n", 1)[0],
        "lot": lot.code,
        "tree_size": checkpoint.size,
        "checkpoint": checkpoints.published_note(checkpoint),
        "leaves": entries,
    }
    queued = log.pending_count(lot=lot)
    if queued:
        bundle["pending"] = {"records": queued, "message": log.PENDING_MESSAGE}
    return bundle
