"""The regulator console: find lots, check them, act on them, export them.

Read-only except the listed actions; each action is a POST handled by a function in
``traceability.regulation``, which writes the audit entry.
"""

from __future__ import annotations

import io
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from traceability import regulation
from traceability.forms import ListingStatusForm, LotSearchForm, LotStatusForm, ReasonForm
from traceability.models import AuditEntry, Lot
from traceability.views.access import regulator_required
from traceability.views.public import timeline

PAGE_SIZE = 50


def _lot_or_404(code: str) -> Lot:
    lot = regulation.lot_by_code(code=code, lots=Lot.objects.select_related("product", "merchant", "commitment"))
    if lot is None:
        raise Http404("没有找到这个批次。")
    return lot


def _search(request):
    form = LotSearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, regulation.find_lots(**form.filters())
    if form.is_bound:
        return form, None
    return form, regulation.find_lots()


@require_GET
@regulator_required("traceability.view_lot")
def lots(request):
    form, found = _search(request)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")) if found is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "traceability/regulator_lots.html", {
        "form": form, "page": page, "query": query.urlencode(),
    })


def _lot_context(lot: Lot, **extra) -> dict:
    context = {
        "lot": lot,
        "timeline": timeline(lot.events.select_related("corrects").order_by("sequence")),
        "can_recall": lot.status != Lot.RECALLED,
        "listings": list(lot.product.catalogue_listings.all()),
        "status_form": LotStatusForm(),
        "listing_form": ListingStatusForm(product=lot.product),
        "recall_form": ReasonForm(),
        "order_line_count": regulation.affected_order_lines(lot=lot).count(),
    }
    context.update(extra)
    return context


@require_GET
@regulator_required("traceability.view_lot")
def lot_detail(request, code: str):
    lot = _lot_or_404(code)
    return render(request, "traceability/regulator_lot.html", _lot_context(lot))


@require_POST
@regulator_required()
def verify(request, code: str):
    lot = _lot_or_404(code)
    report = regulation.verify_lot(lot=lot, actor=request.user)
    if report.intact:
        messages.success(request, f"校验完成：{report.events_checked} 个事件，记录完整，未被修改。")
    else:
        messages.error(request, f"校验发现问题：第{report.broken_sequence}个事件，{report.problem}")
    return render(request, "traceability/regulator_lot.html", _lot_context(lot, report=report))


@require_POST
@regulator_required("traceability.suspend_lot")
def lot_status(request, code: str):
    lot = _lot_or_404(code)
    form = LotStatusForm(request.POST)
    if form.is_valid():
        action = regulation.suspend_lot if form.cleaned_data["action"] == LotStatusForm.SUSPEND \
            else regulation.reinstate_lot
        try:
            action(lot=lot, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"批次 {lot.code} 现在为「{lot.get_status_display()}」，商城即刻生效。")
            return redirect("traceability:regulator-lot", code=lot.code)
    return render(request, "traceability/regulator_lot.html", _lot_context(lot, status_form=form), status=400)


@require_POST
@regulator_required("catalogue.change_cataloguelisting")
def listing_status(request, code: str):
    lot = _lot_or_404(code)
    form = ListingStatusForm(request.POST, product=lot.product)
    if form.is_valid():
        listing, action = form.cleaned_data["listing"], form.cleaned_data["action"]
        reason = form.cleaned_data["reason"]
        if action == ListingStatusForm.REINSTATE:
            regulation.reinstate_listing(listing=listing, reason=reason, actor=request.user)
        else:
            regulation.suspend_listing(listing=listing, reason=reason, actor=request.user,
                                       exit_catalogue=action == ListingStatusForm.EXIT)
        messages.success(request, f"{listing.get_catalogue_display()}：现在为「{listing.get_status_display()}」，商城即刻生效。")
        return redirect("traceability:regulator-lot", code=lot.code)
    return render(request, "traceability/regulator_lot.html", _lot_context(lot, listing_form=form), status=400)


@regulator_required("traceability.recall_lot", "order.view_order")
def recall(request, code: str):
    lot = _lot_or_404(code)
    if request.method != "POST":
        return render(request, "traceability/regulator_recall.html", {"lot": lot, "form": ReasonForm(),
                      "lines": regulation.affected_order_lines(lot=lot)})
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            lines = regulation.recall_lot(lot=lot, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"批次 {lot.code} 已召回，商城已停止销售。涉及 {len(lines)} 个订单行，请逐一联系顾客。")
            return redirect("traceability:regulator-orders", code=lot.code)
    return render(request, "traceability/regulator_recall.html", {
        "lot": lot, "form": form, "lines": regulation.affected_order_lines(lot=lot)}, status=400)


@require_GET
@regulator_required("order.view_order")
def orders(request, code: str):
    """Who bought from the lot: what a recall needs to reach every customer."""
    lot = _lot_or_404(code)
    return render(request, "traceability/regulator_orders.html", {
        "lot": lot, "lines": regulation.affected_order_lines(lot=lot)})


@require_GET
@regulator_required("traceability.view_auditentry")
def audit(request):
    entries = AuditEntry.objects.select_related("actor").order_by("-at")
    action = request.GET.get("action", "")
    if action in regulation.ACTION_NAMES:
        entries = entries.filter(action=action)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.action_name = regulation.ACTION_NAMES.get(entry.action, entry.action)
    return render(request, "traceability/regulator_audit.html", {
        "page": page, "actions": regulation.ACTION_NAMES, "action": action})


def _export_lots(request):
    form, found = _search(request)
    if found is None:
        return None, HttpResponseBadRequest("筛选条件有误：" + "；".join(
            str(message) for errors in form.errors.values() for message in errors), content_type="text/plain; charset=utf-8")
    return list(found.select_related("commitment")), None


def _filters_for_audit(request) -> dict:
    return {key: value for key, value in request.GET.items() if value}


@require_GET
@regulator_required("traceability.export_traceability")
def export_csv(request):
    from traceability.csv_export import write_lots_csv

    found, error = _export_lots(request)
    if error:
        return error
    buffer = io.StringIO()
    write_lots_csv(found, buffer)
    regulation.record_export(actor=request.user, action=regulation.EXPORT_CSV, lots_count=len(found),
                             filters=_filters_for_audit(request))
    # A byte-order mark lets spreadsheet programs read the Chinese text as UTF-8.
    body = buffer.getvalue()
    response = HttpResponse(("" if body.startswith("\ufeff") else "\ufeff") + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="traceability-{timezone.localdate():%Y%m%d}.csv"'
    return response


@require_GET
@regulator_required("traceability.export_traceability")
def export_jsonld(request):
    from traceability.epcis import document_for_lots

    found, error = _export_lots(request)
    if error:
        return error
    document = document_for_lots(found)
    regulation.record_export(actor=request.user, action=regulation.EXPORT_JSONLD, lots_count=len(found),
                             filters=_filters_for_audit(request))
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2),
                            content_type="application/ld+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="epcis-{timezone.localdate():%Y%m%d}.jsonld"'
    return response


@require_POST
@regulator_required()
def verify_all(request):
    reports = regulation.verify_all_lots(actor=request.user)
    broken = [report for report in reports if report.broken]
    return render(request, "traceability/regulator_verify_all.html", {"reports": reports, "broken": broken})
