"""The application form: every error in plain Chinese, next to its field; what was typed stays."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.checkout.addresses import normalise_mobile
from marketplace.credit_code import validate_credit_code
from marketplace.onboarding import services

REQUIRED = _("请填写这一项。")


def _required(message) -> dict:
    return {"required": message}


class ApplicationForm(forms.Form):
    shop_name = forms.CharField(label=_("店铺名称（顾客看到的名字）"), max_length=128,
                                error_messages=_required(_("请填写店铺名称。")))
    legal_name = forms.CharField(label=_("企业名称（与营业执照一致）"), max_length=128,
                                 error_messages=_required(_("请填写企业名称。")))
    credit_code = forms.CharField(label=_("统一社会信用代码（18位）"), max_length=30,
                                  error_messages=_required(_("请填写统一社会信用代码。")))
    business_licence = forms.FileField(label=_("营业执照（照片或 PDF）"),
                                       error_messages={"required": _("请上传营业执照的照片或 PDF。"),
                                                       "empty": _("营业执照文件是空的，请重新选择文件。")})
    other_licence = forms.FileField(label=_("其他许可证，如食品经营许可证（照片或 PDF，可不传）"), required=False)
    contact_name = forms.CharField(label=_("联系人姓名"), max_length=64, error_messages=_required(_("请填写联系人姓名。")))
    contact_phone = forms.CharField(label=_("联系人手机号"), max_length=20,
                                    error_messages=_required(_("请填写联系人手机号。")))
    contact_email = forms.EmailField(label=_("联系人电子邮箱"), error_messages={
        "required": _("请填写联系人电子邮箱，审核结果会发到这里。"), "invalid": _("电子邮箱格式不对，例如：wang@example.com。")})

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].strip().upper().replace(" ", "")
        validate_credit_code(code)
        taken = services.credit_code_taken(code)
        if taken:
            raise ValidationError(taken)
        return code

    def clean_contact_phone(self):
        mobile = normalise_mobile(self.cleaned_data["contact_phone"])
        if mobile is None:
            raise ValidationError(_("手机号码应是 1 开头的 11 位数字，例如 13812345678。请检查后重新填写。"))
        return mobile

    def clean_business_licence(self):
        return services.clean_licence(self.cleaned_data["business_licence"], purpose=services.LICENCE_PURPOSE)

    def clean_other_licence(self):
        upload = self.cleaned_data.get("other_licence")
        return services.clean_licence(upload, purpose=services.OTHER_PURPOSE) if upload else None
