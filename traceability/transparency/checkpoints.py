"""Signing checkpoints (the log) and cosigning them (the regulator as witness).

The log signs only a tree it can prove consistent with its last signed checkpoint. The
witness verifies the log's signature, then checks an RFC 9162 consistency proof from
the last checkpoint it cosigned, and refuses anything else: a log that rewrote history
cannot get a cosignature for it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import transaction

from traceability.transparency import keys, log, merkle, note
from traceability.transparency.models import Cosignature, LogHead, SignedCheckpoint


class WitnessRefused(Exception):
    """The witness will not cosign this checkpoint; the message says why."""


def latest() -> SignedCheckpoint | None:
    return SignedCheckpoint.objects.order_by("-size", "-id").first()


def latest_witnessed() -> SignedCheckpoint | None:
    """The latest checkpoint with a cosignature (whose signature the reader still checks)."""
    return (SignedCheckpoint.objects.filter(cosignatures__isnull=False).distinct()
            .order_by("-size", "-id").first())


def published_note(checkpoint: SignedCheckpoint) -> str:
    """The checkpoint's note with every cosignature line appended."""
    lines = [c.line for c in checkpoint.cosignatures.order_by("id")]
    return note.add_signature_lines(checkpoint.note, lines)


def sign(*, size: int | None = None) -> SignedCheckpoint:
    """Sign a checkpoint of the current tree (or of ``size`` leaves), consistent with the last one.

    Pending records are integrated first, so the checkpoint covers everything committed so far.
    """
    log.integrate()
    with transaction.atomic():
        head = LogHead.objects.filter(pk=1).values_list("size", "frontier").first() or (0, b"")
        size = head[0] if size is None else size
        if not 0 <= size <= head[0]:
            raise merkle.ProofError(f"the log has {head[0]} leaves; cannot sign a tree of {size}")
        root = log.root(size)
        if size == head[0]:
            frontier = bytes(head[1])
            edge = merkle.frontier_root([frontier[i:i + 32] for i in range(0, len(frontier), 32)])
            if edge != root:
                raise merkle.ProofError("the log's stored right edge disagrees with its stored nodes")
        previous = latest()
        if previous is not None:
            checked = note.open_checkpoint(previous.note, keys.log_verifier(), origin=keys.origin())
            if size < checked.size:
                raise merkle.ProofError("the log cannot sign a smaller tree than its last checkpoint")
            merkle.verify_consistency(old_size=checked.size, new_size=size, old_root=checked.root_hash,
                                      new_root=root, proof=log.consistency_proof(checked.size, size))
            if size == checked.size:
                return previous
        body = note.Checkpoint(keys.origin(), size, root).body()
        signed = note.sign_note(body, keys.log_key(), keys.origin())
        return SignedCheckpoint.objects.create(size=size, root_hash=root, note=signed)


@dataclass(frozen=True)
class WitnessResult:
    checkpoint: SignedCheckpoint
    cosignature: Cosignature
    previous_size: int


def cosign(*, checkpoint: SignedCheckpoint | None = None, note_text: str | None = None,
           now: int | None = None) -> WitnessResult:
    """Cosign ``checkpoint`` (default: the latest) after checking it against the last one cosigned."""
    witness = keys.witness_verifier()
    checkpoint = checkpoint or latest()
    if checkpoint is None:
        raise WitnessRefused("日志还没有签名检查点，无法见证。")
    text = note_text or checkpoint.note
    try:
        new = note.open_checkpoint(text, keys.log_verifier(), origin=keys.origin())
    except note.NoteError as error:
        raise WitnessRefused(f"检查点的日志签名无效：{error}") from error
    if new.size != checkpoint.size or new.root_hash != bytes(checkpoint.root_hash):
        raise WitnessRefused("检查点内容与存储的记录不一致。")
    with transaction.atomic():
        last = latest_witnessed()
        previous_size = 0
        if last is not None:
            old = note.open_checkpoint(last.note, keys.log_verifier(), origin=keys.origin())
            note.verify_cosignature(published_note(last), witness)
            previous_size = old.size
            if new.size < old.size:
                raise WitnessRefused(f"新检查点（{new.size} 条）比已见证的（{old.size} 条）还小，拒绝见证。")
            try:
                proof = log.consistency_proof(old.size, new.size)
                merkle.verify_consistency(old_size=old.size, new_size=new.size, old_root=old.root_hash,
                                          new_root=new.root_hash, proof=proof)
            except merkle.ProofError as error:
                raise WitnessRefused(
                    f"新检查点与上次见证的检查点（{old.size} 条）不一致，日志可能被改写，拒绝见证：{error}"
                ) from error
        existing = checkpoint.cosignatures.filter(witness=witness.name).first()
        if existing is not None:
            return WitnessResult(checkpoint, existing, previous_size)
        timestamp = int(now if now is not None else time.time())
        line = note.cosign(note.split_note(text)[0], keys.witness_key(), witness.name, timestamp=timestamp)
        cosignature = Cosignature.objects.create(checkpoint=checkpoint, witness=witness.name, line=line,
                                                 signed_at=datetime.fromtimestamp(timestamp, UTC))
    return WitnessResult(checkpoint, cosignature, previous_size)
