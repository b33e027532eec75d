"""Shopper reports (one plain form page, a status page, 我的举报) and the regulators' queue.

A report made without logging in is remembered in the browser's session and reachable by its
unguessable status link, so a guest can come back to it; nobody else's report is shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from oscar.core.loading import get_model

from marketplace import uploads
from marketplace.claims import reports
from marketplace.claims.forms import QueueFilterForm, ReportForm, StatusForm
from marketplace.claims.models import ShopperReport
from traceability.views.access import regulator_required

Product = get_model("catalogue", "Product")
SESSION_KEY = "claims_reports"
PAGE_SIZE = 50


def _remember(request, report: ShopperReport) -> None:
    references = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [report.reference, *[r for r in references if r != report.reference]][:50]


@require_http_methods(["GET", "POST"])
def report_create(request, pk: int):
    product = get_object_or_404(Product, pk=pk)
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = reports.submit_report(
                product=product, kind=data["kind"], details=data["details"], photo=data.get("photo"),
                reporter=request.user, contact_name=data["contact_name"], contact_phone=data["contact_phone"])
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            _remember(request, report)
            messages.success(request, _("谢谢您！您的反映已经交给市场监管人员。"))
            return redirect("claims:report-status", token=report.access_token)
    return render(request, "claims/report_form.html", {"product": product, "form": form})


@require_GET
def report_status(request, token: str):
    report = ShopperReport.objects.select_related("product").filter(access_token=token).first()
    if report is None:
        raise Http404(_("没有找到这条反映。"))
    return render(request, "claims/report_status.html", {
        "report": report, "changes": list(report.changes.all()),
    })


@require_GET
def my_reports(request):
    found = reports.reports_for_shopper(user=request.user, references=request.session.get(SESSION_KEY, []))
    return render(request, "claims/my_reports.html", {"reports": list(found[:100])})


@require_GET
@regulator_required("claims.view_shopperreport")
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = reports.report_queue(status=filters.get("status", ""), kind=filters.get("kind", ""))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "claims/queue.html", {"form": form, "page": page, "query": query.urlencode()})


@require_http_methods(["GET", "POST"])
@regulator_required("claims.view_shopperreport")
def queue_detail(request, pk: int):
    report = get_object_or_404(ShopperReport.objects.select_related("product", "reporter"), pk=pk)
    form = StatusForm(initial={"status": report.status})
    if request.method == "POST":
        if not request.user.has_perm("claims.change_shopperreport"):
            raise PermissionDenied(_("您可以查看举报，但不能更改处理状态。"))
        form = StatusForm(request.POST)
        if form.is_valid():
            try:
                reports.change_status(report=report, status=form.cleaned_data["status"],
                                      note=form.cleaned_data["note"], actor=request.user)
            except ValidationError as error:
                for field, messages_ in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                messages.success(request, _("处理状态已更新，举报人能看到。"))
                return redirect("claims:queue-detail", pk=report.pk)
    merchants = sorted({record.partner.display_name for record in report.product.stockrecords.all()})
    return render(request, "claims/queue_detail.html", {
        "report": report, "changes": list(report.changes.select_related("changed_by")), "form": form,
        "merchants": merchants,
    })


@require_GET
@regulator_required("claims.view_shopperreport")
def queue_photo(request, pk: int):
    report = get_object_or_404(ShopperReport, pk=pk)
    if not report.photo:
        raise Http404
    response = FileResponse(report.photo.open("rb"))
    return uploads.protect_response(response, report.photo.name)
