"""Shopper reports: a shopper tells the regulators about a product; regulators work the queue.

Views, the admin and tests call these functions; none of them changes a report's status itself.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace import uploads
from marketplace.checkout.addresses import normalise_mobile
from marketplace.claims.models import ReportStatusChange, ShopperReport

MAX_DETAILS = 2000
MAX_REPORTS_PER_DAY = 10  # per account or per phone number: enough for anyone, too few to flood the queue
PHOTO_PURPOSE = "照片"


def clean_photo(upload):
    """The photo as a clean, re-encoded JPEG/PNG without EXIF (``marketplace/uploads.py``)."""
    return uploads.clean_upload(upload, kinds=uploads.IMAGE_KINDS, max_bytes=uploads.IMAGE_MAX_BYTES,
                                purpose=PHOTO_PURPOSE)


def _recent_count(*, reporter, phone: str) -> int:
    since = timezone.now() - timedelta(days=1)
    who = Q(reporter=reporter) if reporter is not None else Q(reporter__isnull=True, contact_phone=phone)
    return ShopperReport.objects.filter(who, created_at__gte=since).count()


def submit_report(*, product, kind: str, details: str, photo=None, reporter=None, contact_name: str = "",
                  contact_phone: str = "") -> ShopperReport:
    """A new report in the regulators' queue, or ValidationError with each problem by field.

    A shopper who is not logged in leaves a mobile number, so that the regulator can call back.
    """
    reporter = reporter if getattr(reporter, "is_authenticated", False) else None
    errors: dict[str, str] = {}
    if kind not in dict(ShopperReport.KINDS):
        errors["kind"] = _("请选择是哪一类问题。")
    details = (details or "").strip()
    if not details:
        errors["details"] = _("请写一写哪里不对，例如商品页上的哪句话、收到的商品有什么问题。")
    elif len(details) > MAX_DETAILS:
        errors["details"] = _("问题描述请不要超过 %(max)s 个字。") % {"max": MAX_DETAILS}
    phone = ""
    if (contact_phone or "").strip():
        phone = normalise_mobile(contact_phone) or ""
        if not phone:
            errors["contact_phone"] = _("手机号码应是 1 开头的 11 位数字，例如 13812345678。请检查后重新填写。")
    elif reporter is None:
        errors["contact_phone"] = _("没有登录时，请留下手机号码，方便监管人员联系您。")
    cleaned_photo = None
    if photo:
        try:
            cleaned_photo = clean_photo(photo)
        except ValidationError as error:
            errors["photo"] = error.messages[0]
    if not errors and _recent_count(reporter=reporter, phone=phone) >= MAX_REPORTS_PER_DAY:
        errors["details"] = _("今天提交的反映已经很多了，请明天再提交，或拨打 12315 热线。")
    if errors:
        raise ValidationError(errors)
    report = ShopperReport(product=product, kind=kind, details=details, reporter=reporter,
                           contact_name=(contact_name or "").strip()[:40], contact_phone=phone)
    if cleaned_photo is not None:
        report.photo.save(cleaned_photo.name, cleaned_photo, save=False)
    report.save()
    return report


def reports_for_shopper(*, user=None, references=()) -> QuerySet:
    """The reports a shopper made: by account, and those made in this browser before logging in."""
    who = Q(reference__in=list(references))
    if user is not None and user.is_authenticated:
        who |= Q(reporter=user)
    return ShopperReport.objects.filter(who).select_related("product").prefetch_related("changes")


def report_queue(*, status: str = "", kind: str = "") -> QuerySet:
    reports = ShopperReport.objects.select_related("product", "reporter").prefetch_related(
        "product__stockrecords__partner")
    if status == "open":
        reports = reports.filter(status__in=(ShopperReport.RECEIVED, ShopperReport.INVESTIGATING))
    elif status:
        reports = reports.filter(status=status)
    if kind:
        reports = reports.filter(kind=kind)
    return reports.order_by("-created_at", "-id")


def change_status(*, report: ShopperReport, status: str, note: str, actor) -> ReportStatusChange:
    """Move a report to ``status`` with a note the shopper will see; recorded with who and when."""
    if status not in dict(ShopperReport.STATUSES):
        raise ValidationError({"status": "请选择新的处理状态。"})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请写明处理说明，举报人会看到这段话。"})
    with transaction.atomic():
        locked = ShopperReport.objects.select_for_update().get(pk=report.pk)
        now = timezone.now()
        change = ReportStatusChange.objects.create(
            report=locked, from_status=locked.status, to_status=status, note=note[:2000],
            changed_by=actor if getattr(actor, "is_authenticated", False) else None, changed_at=now)
        locked.status, locked.updated_at = status, now
        locked.save(update_fields=["status", "updated_at"])
    report.status, report.updated_at = status, now
    return change
