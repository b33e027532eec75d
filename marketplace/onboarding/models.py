"""A company's application to sell on the platform (商家入驻), decided by a platform admin.

The applicant is a logged-in account; approval turns that account into the new merchant's
staff. Licence files pass ``marketplace/uploads.py`` before they are stored, in private
storage outside MEDIA_ROOT (``licences.py``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.credit_code import validate_credit_code
from marketplace.onboarding.licences import private_storage


class MerchantApplication(models.Model):
    SUBMITTED, APPROVED, REJECTED = "submitted", "approved", "rejected"
    STATUSES = [(SUBMITTED, _("等待平台审核")), (APPROVED, _("已通过")), (REJECTED, _("未通过"))]

    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="merchant_applications", verbose_name="申请账号")
    shop_name = models.CharField("店铺名称", max_length=128)
    legal_name = models.CharField("企业名称（与营业执照一致）", max_length=128)
    credit_code = models.CharField("统一社会信用代码", max_length=18, validators=[validate_credit_code])
    business_licence = models.FileField("营业执照", upload_to="onboarding/licences/%Y/%m/", storage=private_storage)
    other_licence = models.FileField("其他许可证（如食品经营许可证，可不传）", upload_to="onboarding/licences/%Y/%m/",
                                     storage=private_storage, blank=True)
    contact_name = models.CharField("联系人", max_length=64)
    contact_phone = models.CharField("联系人手机号", max_length=11)
    contact_email = models.EmailField("联系人电子邮箱")
    status = models.CharField("审核状态", max_length=16, choices=STATUSES, default=SUBMITTED, db_index=True)
    decision_reason = models.TextField("审核意见", blank=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="审核人")
    partner = models.OneToOneField("partner.Partner", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="application", verbose_name="开设的商家")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "商家入驻申请"
        verbose_name_plural = "商家入驻申请"
        ordering = ["status", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=models.Q(status="submitted"),
                                    name="one_open_application_per_credit_code"),
        ]

    def __str__(self) -> str:
        return f"{self.legal_name}（{self.get_status_display()}）"
