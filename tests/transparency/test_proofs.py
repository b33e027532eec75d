"""Proof bundles for everyone: download from the trace page, verify offline with public keys only."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from tests import factories
from traceability import chain
from traceability.transparency import bundle, checkpoints, keys, log, note, proofs

ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture
def witnessed(lot):
    checkpoints.sign()
    checkpoints.cosign()
    return lot


def _download(client, lot) -> dict:
    response = client.get(f"/tlog/lots/{lot.code}/proof.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="proof-{lot.code}.json"'
    return json.loads(response.content)


def test_bundle_verifies_with_only_the_public_keys(client, witnessed):
    data = _download(client, witnessed)
    assert data["lot"] == witnessed.code
    result = bundle.verify_bundle(data, log_key=note.parse_verifier(keys.log_verifier().vkey()),
                                  witness_keys=(note.parse_verifier(keys.witness_verifier().vkey()),))
    assert [event["sequence"] for event in result.events] == [1, 2, 3, 4]
    assert {leaf["type"] for leaf in result.leaves} == {"commitment", "lot", "trace_event"}
    assert result.witnessed_at["samr.jl.example/witness"] > 0
    assert result.events[1]["data"]["tests"][0]["item"] == "外观"


@pytest.mark.parametrize("tamper", ["record", "leaf", "path", "checkpoint", "other_lot", "drop_registration"])
def test_tampered_bundles_are_refused(client, witnessed, tamper):
    data = _download(client, witnessed)
    event_entry = next(e for e in data["leaves"] if "record" in e)
    if tamper == "record":
        record = json.loads(bundle._b64(event_entry["record"], "x"))
        record["responsible_party"] = "别的公司"
        import base64
        event_entry["record"] = base64.b64encode(json.dumps(record).encode()).decode()
    elif tamper == "leaf":
        event_entry["index"] += 1
    elif tamper == "path":
        event_entry["inclusion_proof"] = event_entry["inclusion_proof"][1:]
    elif tamper == "checkpoint":
        data["checkpoint"] = data["checkpoint"].replace(f"\n{data['tree_size']}\n", f"\n{data['tree_size'] + 1}\n")
    elif tamper == "other_lot":
        data["lot"] = "06900000000013-OTHER"
    elif tamper == "drop_registration":
        data["leaves"] = [e for e in data["leaves"] if "record" in e]
    with pytest.raises(bundle.BundleError):
        bundle.verify_bundle(data, log_key=keys.log_verifier())


def test_a_wrong_witness_key_is_refused(client, witnessed):
    from tests.transparency.conftest import _seed

    data = _download(client, witnessed)
    stranger = note.verifier_for(note.load_private_key(_seed()), "samr.jl.example/witness",
                                 algorithm=note.ALG_COSIGNATURE_V1)
    with pytest.raises(bundle.BundleError, match="cosignature"):
        bundle.verify_bundle(data, log_key=keys.log_verifier(), witness_keys=(stranger,))


def _offline_env(tmp_path) -> dict:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DATABASE", "TLOG", "DJANGO_SETTINGS"))}
    env["VAR_DIR"] = str(tmp_path / "offline-var")  # an empty place: no database to find
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_verify_proof_command_runs_without_a_database(client, witnessed, tmp_path):
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(_download(client, witnessed)), encoding="utf-8")
    env = {**_offline_env(tmp_path), "SECRET_KEY": "offline-check"}
    command = [sys.executable, str(ROOT / "manage.py"), "verify_proof", str(path),
               "--key", keys.log_verifier().vkey(), "--witness-key", keys.witness_verifier().vkey()]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert f"证明有效：批次 {witnessed.code} 的 6 条记录（其中 4 个追溯事件）" in done.stdout
    assert "见证方 samr.jl.example/witness 已加签" in done.stdout
    assert not (tmp_path / "offline-var" / "db.sqlite3").exists()
    path.write_text(path.read_text().replace('"index": 2', '"index": 3'), encoding="utf-8")
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 1
    assert "证明无效" in done.stderr


def test_offline_module_imports_no_django(client, witnessed, tmp_path):
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(_download(client, witnessed)), encoding="utf-8")
    script = ("import sys, runpy; sys.argv = ['offline'] + sys.argv[1:]; "
              "code = runpy.run_module('traceability.transparency.offline', run_name='not_main')['main']()\n"
              "assert 'django' not in sys.modules, 'django was imported'\nsys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script, str(path), "--key", keys.log_verifier().vkey()],
                          env=_offline_env(tmp_path), capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "证明有效" in done.stdout


def test_trace_page_shows_the_checkpoint_in_plain_words(client, witnessed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        chain.record_event(lot=witnessed, kind="shipping", event_time=timezone.now(), responsible_party="物流")
    page = client.get(f"/trace/{witnessed.code}/").content.decode()
    summary = proofs.summary(witnessed)
    assert summary.records_proved == 6 and summary.records_pending == 1
    assert "公开核验" in page
    assert f"当时日志共有 {summary.size} 条记录" in page
    assert summary.short_root in page
    assert "另有 1 条新记录，下一个检查点签署后即可证明" in page
    assert "已于" in page and "核对并加签" in page
    assert f'href="/tlog/lots/{witnessed.code}/proof.json"' in page


def test_a_record_waiting_for_its_index_is_named_on_the_page_and_in_the_bundle(client, witnessed):
    """Between commit and integration (the merge delay) the page and bundle say so, and write nothing."""
    chain.record_event(lot=witnessed, kind="shipping", event_time=timezone.now(), responsible_party="物流")
    assert log.pending_count(lot=witnessed) == 1  # its after-commit integration has not run
    page = client.get(f"/trace/{witnessed.code}/").content.decode()
    assert "记录已收到，正在写入公开日志（通常几秒内完成）" in page
    data = client.get(f"/tlog/lots/{witnessed.code}/proof.json").json()
    assert data["pending"] == {"records": 1, "message": "记录已收到，正在写入公开日志（通常几秒内完成）"}
    assert log.pending_count(lot=witnessed) == 1  # reading integrated nothing
    log.integrate()
    assert "正在写入公开日志" not in client.get(f"/trace/{witnessed.code}/").content.decode()


def test_trace_page_before_any_checkpoint(client, lot):
    page = client.get(f"/trace/{lot.code}/").content.decode()
    assert "检查点签署后即可下载证明文件" in page
    assert "proof.json" not in page
    assert client.get(f"/tlog/lots/{lot.code}/proof.json").status_code == 404


def test_public_log_endpoints(client, witnessed):
    response = client.get("/tlog/checkpoint")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    text = response.content.decode()
    checkpoint = note.open_checkpoint(text, keys.log_verifier(), origin="shop.example.cn/tlog")
    assert note.verify_cosignature(text, keys.witness_verifier()) > 0
    proof = client.get(f"/tlog/proof/inclusion?index=2&size={checkpoint.size}").json()
    import base64

    from traceability.transparency import merkle
    merkle.verify_inclusion(leaf=base64.b64decode(proof["leaf_hash"]), index=2, size=checkpoint.size,
                            proof=[base64.b64decode(h) for h in proof["hashes"]], root=checkpoint.root_hash)
    consistency = client.get(f"/tlog/proof/consistency?old=3&new={checkpoint.size}").json()
    assert len(consistency["hashes"]) >= 1
    assert client.get("/tlog/keys").json()["log"] == keys.log_verifier().vkey()
    for bad, message in (("/tlog/proof/inclusion?index=x&size=3", "must be whole numbers"),
                         (f"/tlog/proof/inclusion?index=0&size={10**9}", "need 0 <= index < size"),
                         ("/tlog/proof/consistency?old=5&new=2", "need 0 <= old <= new"),
                         ("/tlog/proof/inclusion?index=%EF%BC%91&size=2", "must be whole numbers")):
        response = client.get(bad)
        assert response.status_code == 400, bad
        assert message in response.content.decode()


ROLES = [(None, 302), ("shopper", 403), ("family_member", 403), ("merchant_staff", 403), ("cms_editor", 403),
         ("regulator", 200), ("platform_admin", 200)]


@pytest.mark.parametrize(("role", "status"), ROLES)
def test_witness_console_permissions(client, lot, role, status):
    checkpoints.sign()
    if role:
        client.force_login(factories.user(role=role, is_staff=role == "platform_admin",
                                          is_superuser=role == "platform_admin"))
    assert client.get("/regulator/tlog/").status_code == status
    response = client.post("/regulator/tlog/")
    assert response.status_code == (302 if status == 200 else status)
    cosigned = checkpoints.latest().cosignatures.exists()
    assert cosigned == (status == 200)


def test_regulator_cosigns_from_the_console_and_it_is_audited(client, lot):
    from traceability.models import AuditEntry

    checkpoints.sign()
    client.force_login(factories.user(role="regulator"))
    response = client.post("/regulator/tlog/", follow=True)
    assert "已见证检查点" in response.content.decode()
    entry = AuditEntry.objects.get(action="witness_checkpoint")
    assert entry.details["size"] == checkpoints.latest().size


def test_console_refuses_an_inconsistent_checkpoint(client, lot):
    from traceability.transparency import merkle
    from traceability.transparency.models import SignedCheckpoint

    checkpoints.sign()
    checkpoints.cosign()
    size = checkpoints.latest().size + 1
    chain.record_event(lot=lot, kind="storing", event_time=timezone.now(), responsible_party="仓库")
    root = merkle.leaf_hash(b"another history")
    SignedCheckpoint.objects.create(size=size, root_hash=root, note=note.sign_note(
        note.Checkpoint(keys.origin(), size, root).body(), keys.log_key(), keys.origin()))
    client.force_login(factories.user(role="regulator"))
    response = client.post("/regulator/tlog/")
    assert response.status_code == 409
    assert "拒绝见证" in response.content.decode()
    assert "日志可能被改写" in response.content.decode()
