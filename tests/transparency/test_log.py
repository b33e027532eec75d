"""The log in the database: dense leaves in the record's transaction, proofs, checkpoints, witness."""

import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests import factories
from traceability import chain, regulation
from traceability.models import AppendOnlyError, TraceEvent
from traceability.transparency import checkpoints, keys, log, merkle, note, records
from traceability.transparency.models import Cosignature, LogHead, LogLeaf, SignedCheckpoint


def _leaves():
    return list(LogLeaf.objects.order_by("index"))


def test_every_record_becomes_a_leaf_in_order(lot):
    leaves = _leaves()
    assert [leaf.index for leaf in leaves] == list(range(len(leaves)))
    kinds = [leaf.kind for leaf in leaves]
    assert kinds == [records.COMMITMENT, records.LOT] + [records.EVENT] * 4
    registration = records.decode(bytes(leaves[1].data))
    assert registration["lot"] == lot.code
    assert registration["record"]["gtin"] == lot.gtin
    assert registration["record"]["produced_on"] == lot.produced_on.isoformat()
    assert registration["record"]["quantity"] == 100
    assert registration["labels"]["product"] == "长白山林下参"
    events = list(lot.events.order_by("sequence"))
    for leaf, event in zip(leaves[2:], events, strict=True):
        document = records.decode(bytes(leaf.data))
        assert document == {"v": 1, "type": "trace_event", "lot": lot.code, "id": str(event.pk),
                            "sequence": event.sequence, "record_sha256": event.hash}
        assert bytes(leaf.hash) == merkle.leaf_hash(bytes(leaf.data))
    assert LogHead.objects.get().size == len(leaves)


def test_regulator_actions_and_commitment_versions_are_logged(lot, django_capture_on_commit_callbacks):
    regulator = factories.user(role="regulator")
    with django_capture_on_commit_callbacks(execute=True):
        regulation.suspend_lot(lot=lot, reason="抽检不合格", actor=regulator)
        regulation.reinstate_lot(lot=lot, reason="复检合格", actor=regulator)
        regulation.verify_lot(lot=lot, actor=regulator)  # a check changes nothing: not logged
        factories.commitment(partner=lot.merchant, quality_promise="第二版承诺")
    tail = [records.decode(bytes(leaf.data)) for leaf in _leaves()[-3:]]
    assert [d["type"] for d in tail] == ["regulator_action", "regulator_action", "commitment"]
    assert tail[0]["record"]["action"] == "suspend_lot" and tail[0]["lot"] == lot.code
    assert tail[0]["record"]["reason"] == "抽检不合格"
    assert tail[1]["record"]["action"] == "reinstate_lot"
    assert tail[2]["record"]["quality_promise"] == "第二版承诺"
    assert tail[2]["record"]["version"] == 2


def test_a_failed_record_leaves_no_leaf(lot):
    size = log.tree_size()
    with pytest.raises(RuntimeError), transaction.atomic():
        chain.record_event(lot=lot, kind="storing", event_time=timezone.now(), responsible_party="x")
        raise RuntimeError("rolled back")
    assert log.tree_size() == size == LogLeaf.objects.count()
    assert lot.events.count() == 4


def test_leaves_are_append_only_in_the_database(lot):
    with pytest.raises(AppendOnlyError):
        LogLeaf.objects.filter(index=0).delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE transparency_logleaf SET data = %s WHERE index = 0"
                       if connection.vendor == "postgresql" else
                       'UPDATE transparency_logleaf SET data = %s WHERE "index" = 0', [b"{}"])


def test_proofs_from_the_database_verify(lot):
    size = log.tree_size()
    root = merkle.root_from_leaf_hashes([bytes(leaf.hash) for leaf in _leaves()])
    assert log.root(size) == root
    for index in range(size):
        leaf = LogLeaf.objects.get(index=index)
        merkle.verify_inclusion(leaf=bytes(leaf.hash), index=index, size=size,
                                proof=log.inclusion_proof(index, size), root=root)
    for old in range(size + 1):
        merkle.verify_consistency(old_size=old, new_size=size, old_root=log.root(old), new_root=root,
                                  proof=log.consistency_proof(old, size))


def test_checkpoint_note_is_a_c2sp_signed_checkpoint(lot):
    signed = checkpoints.sign()
    body, signatures = note.split_note(signed.note)
    lines = body.split("\n")
    assert lines[0] == "shop.example.cn/tlog"
    assert lines[1] == str(log.tree_size())
    assert note.parse_checkpoint(body).root_hash == log.root(log.tree_size())
    assert signed.note.split("\n\n")[1].startswith("\u2014 shop.example.cn/tlog ")
    assert signatures[0].key_hash == keys.log_verifier().key_hash
    assert note.open_checkpoint(signed.note, keys.log_verifier()).size == signed.size
    vkey = keys.log_verifier().vkey()
    assert vkey.startswith("shop.example.cn/tlog+") and note.parse_verifier(vkey).key_hash == signatures[0].key_hash


def test_forged_checkpoint_signature_is_refused(lot, settings):
    signed = checkpoints.sign()
    body, _ = note.split_note(signed.note)
    forged = body.replace(f"\n{signed.size}\n", f"\n{signed.size + 1}\n") + signed.note[len(body):]
    with pytest.raises(note.NoteError):
        note.verify_note(forged, keys.log_verifier())
    real_key = settings.TLOG_SIGNING_KEY
    from tests.transparency.conftest import _seed

    settings.TLOG_SIGNING_KEY = _seed()  # someone else's key, same name
    impostor = note.sign_note(body, keys.log_key(), keys.origin())
    settings.TLOG_SIGNING_KEY = real_key
    with pytest.raises(note.NoteError):
        note.verify_note(impostor, keys.log_verifier())


def test_witness_cosigns_consistent_checkpoints(lot):
    first = checkpoints.sign()
    result = checkpoints.cosign()
    assert result.previous_size == 0
    timestamp = note.verify_cosignature(checkpoints.published_note(first), keys.witness_verifier())
    assert abs(timestamp - timezone.now().timestamp()) < 60
    chain.record_event(lot=lot, kind="shipping", event_time=timezone.now(), responsible_party="物流")
    second = checkpoints.sign()
    assert second.size == first.size + 1
    again = checkpoints.cosign()
    assert again.previous_size == first.size and again.checkpoint == second
    assert Cosignature.objects.count() == 2


def test_witness_refuses_an_inconsistent_checkpoint(lot):
    checkpoints.sign()
    checkpoints.cosign()
    last = SignedCheckpoint.objects.get()
    # The log's owner forks history: a checkpoint of a different tree, properly signed by the log key.
    fake_root = merkle.root_from_leaf_hashes([merkle.leaf_hash(b"rewritten")] * (last.size + 2))
    body = note.Checkpoint(keys.origin(), last.size + 2, fake_root).body()
    for _ in range(2):
        chain.record_event(lot=lot, kind="storing", event_time=timezone.now(), responsible_party="仓库")
    forked = SignedCheckpoint.objects.create(size=last.size + 2, root_hash=fake_root,
                                             note=note.sign_note(body, keys.log_key(), keys.origin()))
    with pytest.raises(checkpoints.WitnessRefused, match="不一致"):
        checkpoints.cosign(checkpoint=forked)
    assert not forked.cosignatures.exists()


def test_witness_refuses_a_note_the_log_did_not_sign(lot):
    checkpoints.sign()
    stored = SignedCheckpoint.objects.get()
    body, _ = note.split_note(stored.note)
    from tests.transparency.conftest import _seed

    other = note.load_private_key(_seed())
    with pytest.raises(checkpoints.WitnessRefused, match="日志签名无效"):
        checkpoints.cosign(checkpoint=stored, note_text=note.sign_note(body, other, keys.origin()))


def test_log_refuses_to_sign_when_its_nodes_were_tampered(lot, postgres):
    checkpoints.sign()
    chain.record_event(lot=lot, kind="storing", event_time=timezone.now(), responsible_party="仓库")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE transparency_logleaf DISABLE TRIGGER ALL")
        # Row 3 closes the subtree of leaves 0-3 (and 2-3); a rewrite of early history shows there.
        cursor.execute("UPDATE transparency_logleaf SET nodes = %s WHERE index = 3", [b"\x00" * 64])
        cursor.execute("ALTER TABLE transparency_logleaf ENABLE TRIGGER ALL")
    with pytest.raises(merkle.ProofError):
        checkpoints.sign()


def test_appends_in_two_transactions_are_dense(db, django_capture_on_commit_callbacks):
    start = log.tree_size()
    items = [(records.EVENT, json.dumps({"n": i}).encode(), None, str(i)) for i in range(50)]
    with django_capture_on_commit_callbacks(execute=True):
        log.append_many(items[:20])
    with django_capture_on_commit_callbacks(execute=True):
        log.append_many(items[20:])
    assert list(LogLeaf.objects.filter(index__gte=start).values_list("index", flat=True)) == \
        list(range(start, start + 50))
    assert log.root(start + 50) == merkle.root_from_leaf_hashes(
        [bytes(h) for h in LogLeaf.objects.order_by("index").values_list("hash", flat=True)])
    assert TraceEvent.objects.count() == 0
