"""Offline verification of a lot's proof bundle: pure functions, no database, no Django.

A bundle (JSON, in the spirit of c2sp.org/tlog-proof) holds the signed checkpoint note
with its cosignatures and, for each of the lot's leaves, the serialised leaf (base64),
its index and its RFC 9162 audit path; event leaves come with the event's full
canonical record, whose SHA-256 the leaf names. Anyone with the log's public key (and,
to trust the regulator's countersignature, the witness's) can check that every record
is exactly the one the log published in that tree.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field

from traceability.transparency import merkle, note, records

FORMAT = "silver-market/tlog-proof/v1"


class BundleError(ValueError):
    """The bundle is malformed or does not verify; the message says what failed."""


@dataclass
class VerifiedBundle:
    lot: str
    checkpoint: note.Checkpoint
    leaves: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    witnessed_at: dict[str, int] = field(default_factory=dict)


def _b64(value, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, TypeError, ValueError) as error:
        raise BundleError(f"{what} is not base64") from error


def verify_bundle(bundle: dict | str | bytes, *, log_key: note.Verifier,
                  witness_keys: tuple[note.Verifier, ...] = ()) -> VerifiedBundle:
    """Check the checkpoint's signatures and every leaf's inclusion; raise BundleError otherwise."""
    if isinstance(bundle, str | bytes):
        try:
            bundle = json.loads(bundle)
        except ValueError as error:
            raise BundleError("the bundle is not JSON") from error
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise BundleError(f"not a {FORMAT} bundle")
    try:
        checkpoint = note.open_checkpoint(bundle["checkpoint"], log_key)
    except (note.NoteError, KeyError, TypeError) as error:
        raise BundleError(f"the checkpoint's signature does not verify: {error}") from error
    result = VerifiedBundle(lot=str(bundle.get("lot", "")), checkpoint=checkpoint)
    for witness in witness_keys:
        try:
            result.witnessed_at[witness.name] = note.verify_cosignature(bundle["checkpoint"], witness)
        except note.NoteError as error:
            raise BundleError(f"the witness cosignature does not verify: {error}") from error
    leaves = bundle.get("leaves")
    if not isinstance(leaves, list) or not leaves:
        raise BundleError("the bundle has no leaves")
    for entry in leaves:
        result.leaves.append(_verify_leaf(entry, checkpoint, result))
    _check_lot(result)
    return result


def _verify_leaf(entry: dict, checkpoint: note.Checkpoint, result: VerifiedBundle) -> dict:
    if not isinstance(entry, dict):
        raise BundleError("a leaf entry is not an object")
    data = _b64(entry.get("data"), "a leaf")
    index = entry.get("index")
    if not isinstance(index, int) or isinstance(index, bool):
        raise BundleError("a leaf index is not a number")
    proof = [_b64(h, "an audit-path hash") for h in entry.get("inclusion_proof") or []]
    try:
        merkle.verify_inclusion(leaf=merkle.leaf_hash(data), index=index, size=checkpoint.size, proof=proof,
                                root=checkpoint.root_hash)
    except merkle.ProofError as error:
        raise BundleError(f"leaf {index}: {error}") from error
    try:
        document = records.decode(data)
    except ValueError as error:
        raise BundleError(f"leaf {index}: {error}") from error
    if document["type"] != records.COMMITMENT and document.get("lot") != result.lot:
        raise BundleError(f"leaf {index} is about lot {document.get('lot')}, not {result.lot}")
    if document["type"] == records.EVENT:
        record = _b64(entry.get("record"), "an event record")
        if hashlib.sha256(record).hexdigest() != document["record_sha256"]:
            raise BundleError(f"leaf {index}: the event record is not the one the log published")
        event = json.loads(record)
        if str(event.get("id")) != document["id"] or event.get("sequence") != document["sequence"]:
            raise BundleError(f"leaf {index}: the event record names another event")
        result.events.append(event)
    return {"index": index, **document}


def _check_lot(result: VerifiedBundle) -> None:
    registrations = [leaf for leaf in result.leaves if leaf["type"] == records.LOT]
    if len(registrations) != 1:
        raise BundleError("the bundle must contain the lot's registration exactly once")
    sequences = [leaf["sequence"] for leaf in result.leaves if leaf["type"] == records.EVENT]
    if sequences != list(range(1, len(sequences) + 1)):
        raise BundleError("the lot's events are not numbered 1, 2, 3… in log order")
