"""The public trace page a shopper reaches by scanning a label, and its GS1 Digital Link.

Anything unknown or malformed gets a friendly 404 page that says how to check the code;
nothing a visitor types into the address can make this page fail with a 500.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from traceability import qr, vocabulary
from traceability.availability import sale_status
from traceability.chain import verify_events
from traceability.forms import TEST_FIELD_LABELS, data_labels
from traceability.models import Lot
from traceability.regulation import lot_by_code
from traceability.summary import trace_summary
from traceability.transparency import proofs as transparency_proofs

CHINA = ZoneInfo("Asia/Shanghai")


def not_found(request, code: str = ""):
    return render(request, "traceability/trace_not_found.html", {"code": code[:80]}, status=404)


def _public_lots():
    return Lot.objects.select_related("product", "merchant", "commitment")


@require_safe
def trace(request, code: str):
    lot = lot_by_code(code=code, lots=_public_lots())
    if lot is None:
        return not_found(request, code)
    return _render_trace(request, lot)


@require_safe
def trace_qr(request, code: str):
    lot = lot_by_code(code=code, lots=_public_lots())
    if lot is None:
        return not_found(request, code)
    response = HttpResponse(qr.lot_qr_svg(lot, pixels=600, standalone=True), content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="trace-{lot.code}.svg"'
    return response


def _render_trace(request, lot: Lot):
    events = list(lot.events.select_related("corrects").order_by("sequence"))
    report = verify_events(lot, events)
    broken_event = next((e for e in events if e.sequence == report.broken_sequence), None)
    items = timeline(events)
    sale = sale_status(lot.product)
    context = {
        "lot": lot,
        "product": lot.product,
        "merchant": lot.merchant,
        "commitment": lot.commitment,
        "gi_marks": list(lot.product.gi_marks.all()),
        "timeline": items,
        "report": report,
        "broken_event": broken_event,
        "sale": sale,
        "summary": trace_summary(lot=lot, events=events, report=report, sale=sale),
        "qr_svg": qr.lot_qr_svg(lot),
        "digital_link": qr.digital_link_url(lot),
        "canonical_url": reverse("traceability:trace", kwargs={"code": lot.code}),
        "tlog": transparency_proofs.summary(lot),  # the signed checkpoint this lot is proved against
    }
    return render(request, "traceability/trace.html", context)


def timeline(events) -> list[dict]:
    """Events as plain words: kind, local time, place, party, key data, corrections both ways."""
    labels = data_labels()
    corrected_by: dict = {}
    for event in events:
        if event.corrects_id:
            corrected_by.setdefault(event.corrects_id, []).append(event)
    items = []
    for event in events:
        data = event.data or {}
        facts = [(labels.get(key, key), vocabulary.unit_label(value) if key in vocabulary.UNIT_KEYS else _words(value))
                 for key, value in data.items() if key != "tests"]
        tests = [
            {
                "item": test.get("item", ""),
                "value": _with_unit(test.get("value", ""), test.get("unit", "")),
                "limit": _with_unit(test.get("limit", ""), test.get("unit", "")) or "—",
                "passed": bool(test.get("passed")),
            }
            for test in data.get("tests", []) if isinstance(test, dict)
        ]
        items.append({
            "event": event,
            "kind": event.get_kind_display(),
            "time": event.event_time.astimezone(CHINA),
            "place": "，".join(part for part in (event.location_name, event.county) if part),
            "facts": facts,
            "tests": tests,
            "corrected_by": corrected_by.get(event.pk, []),
        })
    return items


def _with_unit(value, unit) -> str:
    value = str(value or "")
    return f"{value} {unit}".strip() if value and unit else value


def _words(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(_words(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{TEST_FIELD_LABELS.get(k, k)}：{_words(v)}" for k, v in value.items())
    return str(value)
