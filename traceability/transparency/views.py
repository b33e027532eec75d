"""The log's public endpoints and the regulator's witness action.

Public, cacheable, no language prefix: ``/tlog/checkpoint`` (the latest checkpoint note,
witnessed if it can be), ``/tlog/keys`` (verifier keys), ``/tlog/proof/inclusion`` and
``/tlog/proof/consistency`` (RFC 9162 proofs, base64 hashes), ``/tlog/leaf/<index>``
and a lot's proof bundle. Bad parameters get 400 with a plain message, never a 500.
"""

from __future__ import annotations

import base64
import json

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from traceability.regulation import lot_by_code
from traceability.transparency import checkpoints, keys, log, merkle, proofs
from traceability.transparency.models import LogLeaf
from traceability.views.access import regulator_required


def _b64(value: bytes) -> str:
    return base64.b64encode(bytes(value)).decode()


def _int(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


def _bad(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")


def _public(response: HttpResponse, *, max_age: int = 60) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


@require_safe
def checkpoint(request):
    latest = checkpoints.latest()
    if latest is None:
        raise Http404("no checkpoint yet")
    body = checkpoints.published_note(latest)
    return _public(HttpResponse(body, content_type="text/plain; charset=utf-8"), max_age=10)


@require_safe
def verifier_keys(request):
    return _public(JsonResponse({
        "origin": keys.origin(),
        "log": keys.log_verifier().vkey(),
        "witnesses": [keys.witness_verifier().vkey()],
    }), max_age=3600)


@require_safe
def inclusion(request):
    index, size = _int(request, "index"), _int(request, "size")
    if index is None or size is None:
        return _bad("index and size must be whole numbers: /tlog/proof/inclusion?index=N&size=M")
    if not 0 <= index < size <= log.tree_size():
        return _bad(f"need 0 <= index < size <= {log.tree_size()} (the log's size)")
    proof = log.inclusion_proof(index, size)
    leaf = LogLeaf.objects.filter(index=index).values_list("hash", flat=True).first()
    return _public(JsonResponse({"index": index, "size": size, "leaf_hash": _b64(leaf),
                                 "hashes": [_b64(h) for h in proof]}), max_age=3600)


@require_safe
def consistency(request):
    old, new = _int(request, "old"), _int(request, "new")
    if old is None or new is None:
        return _bad("old and new must be whole numbers: /tlog/proof/consistency?old=N&new=M")
    if not 0 <= old <= new <= log.tree_size():
        return _bad(f"need 0 <= old <= new <= {log.tree_size()} (the log's size)")
    proof = log.consistency_proof(old, new)
    return _public(JsonResponse({"old": old, "new": new, "hashes": [_b64(h) for h in proof]}), max_age=3600)


@require_safe
def leaf(request, index: int):
    row = LogLeaf.objects.filter(index=index).values_list("data", flat=True).first()
    if row is None:
        raise Http404("no such leaf")
    return _public(HttpResponse(bytes(row), content_type="application/json; charset=utf-8"), max_age=3600)


@require_safe
def lot_bundle(request, code: str):
    lot = lot_by_code(code=code)
    if lot is None:
        raise Http404("no such lot")
    bundle = proofs.lot_bundle(lot)
    if bundle is None:
        raise Http404("this lot is not yet in a signed checkpoint")
    response = HttpResponse(json.dumps(bundle, ensure_ascii=False, indent=1),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="proof-{lot.code}.json"'
    return _public(response)


@regulator_required()
def witness(request):
    """The regulator's view of the log: latest checkpoint, last one cosigned, and the cosign action."""
    if request.method == "POST":
        return _cosign(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    return render(request, "transparency/witness.html", _witness_context())


def _witness_context(**extra) -> dict:
    return {"latest": checkpoints.latest(), "witnessed": checkpoints.latest_witnessed(),
            "tree_size": log.tree_size(), "witness_name": keys.witness_verifier().name, **extra}


@require_POST
def _cosign(request):
    from traceability import regulation

    try:
        result = checkpoints.cosign()
    except (checkpoints.WitnessRefused, merkle.ProofError) as error:
        messages.error(request, _("拒绝见证：%(reason)s") % {"reason": error})
        return render(request, "transparency/witness.html", _witness_context(refused=str(error)), status=409)
    regulation.record_audit(
        actor=request.user, action="witness_checkpoint", target_type="checkpoint",
        target_id=result.checkpoint.pk, target_label=f"{result.checkpoint.size} 条记录",
        details={"size": result.checkpoint.size, "previous_size": result.previous_size},
    )
    messages.success(request, _("已见证检查点：日志共 %(size)s 条记录，与上次见证的 %(old)s 条一致。")
                     % {"size": result.checkpoint.size, "old": result.previous_size})
    return redirect("transparency:witness")
