"""Checkout forms: a mainland-China address without a country, payment choice, confirmation.

They work as plain HTML forms (selects and text inputs); ``static/js/checkout.js`` only
narrows the city and district lists as the shopper chooses.
"""

import unicodedata
from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from marketplace.checkout import addresses

REQUIRED = {"required": _("这一项必须填写。")}
CHOICE = {"invalid_choice": _("请从列表中选择。"), "required": _("请从列表中选择。")}


class Select(forms.Select):
    """Django's select, written out in one pass. Its template includes two more templates for
    every option, and the address step's three lists have about 110 options: that was a third
    of the step's time. The markup is the same (``tests/checkout/test_address_form.py`` compares)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(f'<option value="{escape(str(option["value"]))}"{" selected" if option["selected"] else ""}>'
                         f'{escape(str(option["label"]))}</option>' for option in options)
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


def _province_choices():
    return [("", _("请选择省份"))] + [(name, name) for name in addresses.provinces()]


def _city_choices():
    return [("", _("请选择市（州）"))] + [(city, city) for city in addresses.jilin_cities()]


def _district_choices():
    groups = [(city, [(name, name) for name in names]) for city, names in addresses.jilin_cities().items()]
    return [("", _("请选择县（市、区）"))] + groups


class AddressForm(forms.Form):
    name = forms.CharField(label=_("收货人姓名"), max_length=64, error_messages={"required": _("请填写收货人姓名。")},
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    mobile = forms.CharField(label=_("手机号码"), max_length=24, error_messages={"required": _("请填写手机号码。")},
                             help_text=_("11 位手机号码。快递员送货前会打这个电话。"),
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    province = forms.ChoiceField(label=_("省份"), choices=_province_choices, error_messages=CHOICE, widget=Select)
    city = forms.ChoiceField(label=_("市（州）"), choices=_city_choices, required=False, error_messages=CHOICE,
                             help_text=_("吉林省的地址请从列表中选择。"), widget=Select)
    district = forms.ChoiceField(label=_("县（市、区）"), choices=_district_choices, required=False,
                                 error_messages=CHOICE, widget=Select)
    city_text = forms.CharField(label=_("市（其他省份请填写）"), max_length=32, required=False)
    district_text = forms.CharField(label=_("县、区（其他省份请填写）"), max_length=32, required=False)
    street = forms.CharField(label=_("详细地址"), max_length=255, error_messages={"required": _("请填写详细地址。")},
                             help_text=_("街道、小区、楼号、单元和门牌号，例如：人民大街 100 号 3 单元 201 室"),
                             widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    postcode = forms.CharField(label=_("邮政编码（可以不填）"), max_length=12, required=False,
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}))

    def __init__(self, *args, guest: bool = False, can_save: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if guest:
            self.fields["email"] = forms.EmailField(
                label=_("电子邮箱（可以不填）"), required=False,
                help_text=_("填了会收到订单确认邮件。不填也能买，订单号会显示在下单成功的页面上。"),
                error_messages={"invalid": _("电子邮箱格式不对，例如：wang@example.com。也可以不填。")})
        if can_save:
            self.fields["save_address"] = forms.BooleanField(
                label=_("把这个地址存进我的地址簿，下次不用再填"), required=False)

    def clean_mobile(self):
        mobile = addresses.normalise_mobile(self.cleaned_data["mobile"])
        if mobile is None:
            raise forms.ValidationError(_("手机号码应是 1 开头的 11 位数字，例如 13812345678。请检查后重新填写。"))
        return mobile

    def clean_postcode(self):
        code = unicodedata.normalize("NFKC", self.cleaned_data.get("postcode") or "").strip()
        if code and not (len(code) == 6 and code.isdigit() and code.isascii()):
            raise forms.ValidationError(_("邮政编码是 6 位数字，例如 130000。不知道可以不填。"))
        return code

    def clean(self):
        data = super().clean()
        province = data.get("province")
        if not province:
            return data
        jilin = province == addresses.JILIN
        city = data.get("city", "") if jilin else data.get("city_text", "")
        district = data.get("district", "") if jilin else data.get("district_text", "")
        for field, message in addresses.region_errors(province=province, city=city, district=district).items():
            if not jilin and field in ("city", "district"):
                field = f"{field}_text"
            if field not in self.errors:
                self.add_error(field, message)
        data["city_name"], data["district_name"] = city.strip(), district.strip()
        return data

    def address_fields(self) -> dict:
        data = self.cleaned_data
        return addresses.address_fields(
            name=data["name"], mobile=data["mobile"], province=data["province"], city=data["city_name"],
            district=data["district_name"], street=data["street"], postcode=data.get("postcode", ""))

    def typed_values(self) -> dict:
        """What the shopper typed, to show again when they come back to this step."""
        keep = ("name", "province", "city", "district", "city_text", "district_text", "street", "postcode", "email")
        values = {key: self.cleaned_data.get(key, "") for key in keep}
        values["mobile"] = self.cleaned_data["mobile"]
        return values


class ReturnsConfirmationForm(forms.Form):
    """Goods that may be excluded from 7-day no-reason returns need the shopper's explicit
    confirmation at checkout (网络购买商品七日无理由退货暂行办法 第七条). Never pre-ticked."""

    accept_exclusions = forms.BooleanField(
        label=_("我已读过上面的说明，知道这些商品拆封后不能七日无理由退货。"),
        required=True,
        error_messages={"required": _("请先阅读退货说明，并勾选“我已读过”，才能提交订单。")},
    )
