"""The merchant workspace: own lots, their events, the quality commitment and QR labels.

Every lookup starts from ``request.merchant``; another merchant's lot code is a 404.
Bad input re-renders the bound form with plain-Chinese errors, so nothing typed is lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from traceability import merchant_work, qr
from traceability.forms import CommitmentForm, EventForm, LabelSheetForm, LotForm
from traceability.models import TraceEvent
from traceability.views.access import merchant_required
from traceability.views.public import timeline


def _own_lot_or_404(request, code: str):
    lot = merchant_work.lot_for_merchant(merchant=request.merchant, code=code)
    if lot is None:
        raise Http404("没有找到这个批次。")
    return lot


@require_GET
@merchant_required("traceability.view_lot")
def lots(request):
    return render(request, "traceability/merchant_lots.html", {
        "lots": merchant_work.lots_for_merchant(merchant=request.merchant),
        "commitment": merchant_work.commitment_in_force(merchant=request.merchant),
    })


@merchant_required("traceability.add_lot")
def lot_create(request):
    merchant = request.merchant
    products = merchant_work.products_for_merchant(merchant=merchant)
    commitment = merchant_work.commitment_in_force(merchant=merchant)
    form = LotForm(request.POST or None, products=products)
    if request.method == "POST" and form.is_valid():
        try:
            lot = merchant_work.create_lot(merchant=merchant, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"批次 {lot.code} 已建立。请接着记录它的生产、检验等环节。")
            return redirect("traceability:merchant-lot", code=lot.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "traceability/merchant_lot_form.html",
                  {"form": form, "commitment": commitment}, status=status)


@require_GET
@merchant_required("traceability.view_lot")
def lot_detail(request, code: str):
    lot = _own_lot_or_404(request, code)
    events = list(lot.events.select_related("corrects").order_by("sequence"))
    return render(request, "traceability/merchant_lot.html", {
        "lot": lot, "timeline": timeline(events), "kinds": TraceEvent.KINDS,
    })


def _event_form_page(request, *, lot, kind, correcting=None):
    initial = EventForm.initial_from_event(correcting) if correcting else {
        "responsible_party": request.merchant.legal_name}
    form = EventForm(request.POST or None, request.FILES or None, kind=kind, initial=initial,
                     correcting=correcting is not None)
    if request.method == "POST" and form.is_valid():
        try:
            merchant_work.add_event(merchant=request.merchant, lot=lot, corrects=correcting,
                                    correction_reason=form.cleaned_data.get("correction_reason", ""),
                                    actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "更正已记录，原记录保留并标为已更正。" if correcting else "已记录这一环节。")
            return redirect("traceability:merchant-lot", code=lot.code)
    return render(request, "traceability/merchant_event_form.html", {
        "lot": lot, "form": form, "kind": kind, "kind_name": dict(TraceEvent.KINDS)[kind],
        "correcting": correcting,
    }, status=400 if request.method == "POST" else 200)


@merchant_required("traceability.add_traceevent")
def event_add(request, code: str):
    lot = _own_lot_or_404(request, code)
    kind = request.POST.get("kind") or request.GET.get("kind")
    if kind not in dict(TraceEvent.KINDS):
        return render(request, "traceability/merchant_event_kind.html", {"lot": lot, "kinds": TraceEvent.KINDS})
    return _event_form_page(request, lot=lot, kind=kind)


@merchant_required("traceability.add_traceevent")
def event_correct(request, code: str, event_id):
    lot = _own_lot_or_404(request, code)
    event = merchant_work.event_for_merchant(merchant=request.merchant, lot=lot, event_id=event_id)
    if event is None:
        raise Http404("没有找到这个事件。")
    return _event_form_page(request, lot=lot, kind=event.kind, correcting=event)


@merchant_required("traceability.add_qualitycommitment")
def commitments(request):
    merchant = request.merchant
    history = list(merchant_work.commitments_for_merchant(merchant=merchant))
    form = CommitmentForm(request.POST or None, initial=CommitmentForm.initial_from(history[0] if history else None))
    if request.method == "POST" and form.is_valid():
        commitment = merchant_work.publish_commitment(merchant=merchant, actor=request.user, **form.cleaned_data)
        messages.success(request, f"质量承诺第{commitment.version}版已发布。已建立的批次仍显示当时的承诺。")
        return redirect("traceability:merchant-commitments")
    return render(request, "traceability/merchant_commitments.html", {
        "form": form, "history": history,
        "in_force": merchant_work.commitment_in_force(merchant=merchant),
    }, status=400 if request.method == "POST" else 200)


@require_GET
@merchant_required("traceability.view_lot")
def labels(request, code: str):
    lot = _own_lot_or_404(request, code)
    form = LabelSheetForm(request.GET or None)
    count = (form.cleaned_data.get("count") if form.is_bound and form.is_valid() else None) or qr.MAX_LABELS
    return render(request, "traceability/merchant_labels.html", {
        "lot": lot, "form": form, "count": count, "qr_svg": qr.lot_qr_svg(lot, pixels=200),
        "digital_link": qr.digital_link_url(lot),
    })


@require_GET
@merchant_required("traceability.view_lot")
def labels_svg(request, code: str):
    lot = _own_lot_or_404(request, code)
    form = LabelSheetForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponse("；".join(form.errors["count"]), status=400, content_type="text/plain; charset=utf-8")
    count = (form.cleaned_data.get("count") if form.is_bound else None) or qr.MAX_LABELS
    response = HttpResponse(qr.label_sheet_svg(lot, count=count), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="labels-{lot.code}.svg"'
    return response
