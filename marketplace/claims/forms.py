"""Forms for shopper reports and the regulators' queue. The rules live in ``reports.py``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.claims.models import ShopperReport


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("是哪一类问题？"), choices=ShopperReport.KINDS, widget=forms.RadioSelect,
                             error_messages={"required": _("请选择是哪一类问题。")})
    details = forms.CharField(
        label=_("哪里不对？"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000,
        help_text=_("例如：商品页上说“能治好高血压”；收到的人参发霉了。"),
        error_messages={"required": _("请写一写哪里不对，例如商品页上的哪句话、收到的商品有什么问题。")})
    photo = forms.FileField(label=_("照片（可以不传）"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
                            help_text=_("可以拍一张商品或包装的照片，JPG 或 PNG 格式。"))
    contact_name = forms.CharField(label=_("怎么称呼您（可以不填）"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("手机号码"), max_length=24, required=False,
                                    widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
                                    help_text=_("监管人员可能会打电话向您了解情况。没有登录时必须填写。"))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("新的处理状态"), choices=ShopperReport.STATUSES)
    note = forms.CharField(label=_("处理说明（举报人能看到）"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=2000, error_messages={"required": _("请写明处理说明，举报人会看到这段话。")})


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), ("open", _("未办结"))] + ShopperReport.STATUSES)
    kind = forms.ChoiceField(label=_("问题类型"), required=False, choices=[("", _("全部"))] + ShopperReport.KINDS)
