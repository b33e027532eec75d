"""Applying to sell, and the platform admin's decision. Views, the admin and tests call these.

Approval opens the merchant in one transaction: the ``Partner`` with the checked credit code,
the applicant's account linked to it (``Partner.users``) and given the merchant-staff role
(``marketplace.roles``), and the application marked approved. The applicant is told by e-mail
after the commit, and sees the decision (and a rejection's reason) on their application page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from marketplace import roles, uploads
from marketplace.onboarding.models import MerchantApplication

Partner = get_model("partner", "Partner")

LICENCE_PURPOSE = "营业执照"
OTHER_PURPOSE = "许可证"


def credit_code_taken(code: str, *, exclude_pk=None) -> str:
    """Why this credit code cannot apply now, or ""."""
    if Partner.objects.filter(credit_code=code).exists():
        return _("这个统一社会信用代码的企业已经入驻了。如需增加员工账号，请联系平台。")
    if MerchantApplication.objects.filter(credit_code=code, status=MerchantApplication.SUBMITTED).exclude(
            pk=exclude_pk).exists():
        return _("这个统一社会信用代码已经有一份申请在审核中，请等待审核结果。")
    return ""


def refusal_to_apply(user) -> str:
    if roles.merchant_for(user) is not None:
        return _("您的账号已经是商家员工，不需要再申请入驻。")
    if MerchantApplication.objects.filter(applicant=user, status=MerchantApplication.SUBMITTED).exists():
        return _("您已经提交过一份申请，正在审核中，请等待结果。")
    return ""


def clean_licence(upload, *, purpose: str):
    return uploads.clean_upload(upload, kinds=uploads.DOCUMENT_KINDS, max_bytes=uploads.REPORT_MAX_BYTES,
                                purpose=purpose)


def apply(*, applicant, shop_name: str, legal_name: str, credit_code: str, business_licence, contact_name: str,
          contact_phone: str, contact_email: str, other_licence=None) -> MerchantApplication:
    refusal = refusal_to_apply(applicant) or credit_code_taken(credit_code)
    if refusal:
        raise ValidationError(refusal, code="refused")
    application = MerchantApplication(
        applicant=applicant, shop_name=shop_name.strip(), legal_name=legal_name.strip(), credit_code=credit_code,
        contact_name=contact_name.strip(), contact_phone=contact_phone, contact_email=contact_email)
    application.business_licence = business_licence if getattr(business_licence, "kind", None) else \
        clean_licence(business_licence, purpose=LICENCE_PURPOSE)
    if other_licence:
        application.other_licence = other_licence if getattr(other_licence, "kind", None) else \
            clean_licence(other_licence, purpose=OTHER_PURPOSE)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:
        raise ValidationError(credit_code_taken(credit_code) or "申请没有保存，请稍后再试。", code="refused") from error
    return application


def _locked(application) -> MerchantApplication:
    locked = MerchantApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != MerchantApplication.SUBMITTED:
        raise ValidationError("这份申请已经审核过了（%(status)s），不能再次审核。", code="decided",
                              params={"status": locked.get_status_display()})
    return locked


def approve(*, application: MerchantApplication, actor) -> Partner:
    with transaction.atomic():
        locked = _locked(application)
        taken = Partner.objects.filter(credit_code=locked.credit_code).exists()
        if taken:
            raise ValidationError("这个统一社会信用代码的企业已经入驻了，不能重复开设。", code="taken")
        partner = Partner.objects.create(name=locked.shop_name, legal_name=locked.legal_name,
                                         credit_code=locked.credit_code, service_phone=locked.contact_phone)
        partner.users.add(locked.applicant)
        locked.applicant.groups.add(Group.objects.get(name=roles.MERCHANT))
        locked.status, locked.partner = MerchantApplication.APPROVED, partner
        locked.decided_at, locked.decided_by = timezone.now(), actor
        locked.save()
        transaction.on_commit(lambda: _tell(locked))
    application.refresh_from_db()
    return partner


def reject(*, application: MerchantApplication, reason: str, actor) -> MerchantApplication:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请写明不通过的原因，申请人会看到。", code="reason_required")
    with transaction.atomic():
        locked = _locked(application)
        locked.status, locked.decision_reason = MerchantApplication.REJECTED, reason
        locked.decided_at, locked.decided_by = timezone.now(), actor
        locked.save()
        transaction.on_commit(lambda: _tell(locked))
    application.refresh_from_db()
    return application


def _tell(application: MerchantApplication) -> None:
    page = settings.SITE_URL + reverse("onboarding:apply")
    if application.status == MerchantApplication.APPROVED:
        subject = f"「{application.shop_name}」入驻申请已通过"
        body = (f"{application.contact_name}，您好：\n\n{application.legal_name} 的入驻申请已经通过。"
                f"请用申请时登录的账号登录，进入商家工作台：{settings.SITE_URL}{reverse('traceability:merchant-lots')}\n")
    else:
        subject = f"「{application.shop_name}」入驻申请未通过"
        body = (f"{application.contact_name}，您好：\n\n{application.legal_name} 的入驻申请未通过，原因：\n"
                f"{application.decision_reason}\n\n修改后可以重新申请：{page}\n")
    recipients = sorted({application.contact_email, application.applicant.email} - {""})
    send_mail(subject, body, None, recipients, fail_silently=True)
