"""Forms for the regulator console and the merchant workspace.

Error messages are plain Chinese that say what to do. Forms only check and shape input;
the rules (scoping, versions, chain) live in ``merchant_work`` and ``regulation``.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.models import CatalogueListing
from traceability import limits, vocabulary
from traceability.codes import format_lot_code, parse_gtin, parse_lot_code, parse_lot_number
from traceability.merchant_work import check_report_file
from traceability.models import Lot, TraceEvent

Partner = get_model("partner", "Partner")

REQUIRED = {"required": "这一项必须填写。"}
GTIN_MESSAGE = "商品条码（GTIN）应为 8、12、13 或 14 位阿拉伯数字（0–9），且校验位正确，请核对包装上的条码。"
LOT_NUMBER_MESSAGE = "批号只能包含字母、数字和 - . _，最多20个字符。"
DATE_INPUT = forms.DateInput(attrs={"type": "date"})
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

LOT_CODE_MESSAGE = "追溯码应为“商品条码-批号”，例如 06901234567892-FS2025-01；条码为 8、12、13 或 14 位阿拉伯数字（0–9），请核对标签。"

# The typed data each kind of event records (declared in traceability/vocabulary.py).
# The public page shows these labels beside the values, so the data reads as words.
EVENT_DATA_FIELDS: dict[str, tuple[vocabulary.DataField, ...]] = {kind.code: kind.fields for kind in vocabulary.KINDS}
NOTE_FIELD = vocabulary.NOTE_FIELD
TEST_FIELD_LABELS = {"item": "项目", "value": "结果", "limit": "标准限值", "unit": "单位", "passed": "是否合格"}


def data_labels() -> dict[str, str]:
    return vocabulary.labels()


class LotCodeField(forms.CharField):
    """A lot code typed or scanned from a label, kept in its canonical spelling."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return ""
        parsed = parse_lot_code(value)
        if parsed is None:
            raise ValidationError(LOT_CODE_MESSAGE, code="lot_code")
        return format_lot_code(gtin=parsed[0], lot_number=parsed[1])


def _check_date(value):
    if value is not None:
        limits.check_produced_on(value)


def _data_field(field: vocabulary.DataField) -> forms.Field:
    label, kind = field.label, field.type
    if kind == vocabulary.INTEGER:
        return forms.IntegerField(label=label, required=False, min_value=0, max_value=limits.MAX_QUANTITY,
                                  error_messages={"invalid": "请填写整数。"})
    if kind == vocabulary.DECIMAL:
        return forms.DecimalField(label=label, required=False, min_value=0, max_digits=12, decimal_places=3,
                                  error_messages={"invalid": "请填写数字。"})
    if kind == vocabulary.DATE:
        return forms.DateField(label=label, required=False, widget=DATE_INPUT, validators=[_check_date],
                               error_messages={"invalid": "请按 年-月-日 填写日期。"})
    if kind == vocabulary.UOM:
        return forms.ChoiceField(label=label, required=False, choices=vocabulary.UNIT_CHOICES,
                                 error_messages={"invalid_choice": "请从列表中选择单位。"})
    if kind == vocabulary.CULTIVATION:
        return forms.ChoiceField(label=label, required=False, choices=vocabulary.CULTIVATION_CHOICES)
    if kind == vocabulary.LOT_CODE:
        return LotCodeField(label=label, required=False, max_length=80,
                            help_text="原料包装标签上的追溯码：商品条码-批号")
    if kind == vocabulary.TEXTAREA:
        return forms.CharField(label=label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    return forms.CharField(label=label, required=False, max_length=200)


# --- Regulator -----------------------------------------------------------------------


class LotSearchForm(forms.Form):
    merchant = forms.ModelChoiceField(label="商家", queryset=Partner.objects.order_by("name"), required=False,
                                      empty_label="全部商家")
    code = forms.CharField(label="追溯码", required=False, max_length=80,
                           help_text="标签上的追溯码：商品条码-批号，例如 06901234567892-FS2025-01")
    product = forms.CharField(label="商品名称", required=False, max_length=100)
    gtin = forms.CharField(label="商品条码（GTIN）", required=False, max_length=20)
    lot_number = forms.CharField(label="批号", required=False, max_length=20)
    date_from = forms.DateField(label="生产日期从", required=False, widget=DATE_INPUT,
                                error_messages={"invalid": "请按 年-月-日 填写日期，例如 2025-09-01。"})
    date_to = forms.DateField(label="到", required=False, widget=DATE_INPUT,
                              error_messages={"invalid": "请按 年-月-日 填写日期，例如 2025-09-30。"})
    status = forms.ChoiceField(label="销售状态", required=False, choices=[("", "全部")] + Lot.STATUSES)

    def clean_code(self):
        value = self.cleaned_data["code"].strip()
        if not value:
            return None
        parsed = parse_lot_code(value)
        if parsed is None:
            raise ValidationError(LOT_CODE_MESSAGE, code="lot_code")
        return parsed

    def clean_gtin(self):
        value = self.cleaned_data["gtin"].strip()
        if not value:
            return ""
        gtin14 = parse_gtin(value)
        if gtin14 is None:
            raise ValidationError(GTIN_MESSAGE, code="gtin")
        return gtin14

    def clean_lot_number(self):
        value = self.cleaned_data["lot_number"].strip()
        if not value:
            return ""
        lot_number = parse_lot_number(value)
        if lot_number is None:
            raise ValidationError(LOT_NUMBER_MESSAGE, code="lot_number")
        return lot_number

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("开始日期不能晚于结束日期。")
        return data

    def filters(self) -> dict:
        """Keyword arguments for ``regulation.find_lots``."""
        data = self.cleaned_data
        return {
            "code": data.get("code"),
            "merchant": data.get("merchant"),
            "product": data.get("product") or None,
            "gtin": data.get("gtin") or None,
            "lot_number": data.get("lot_number") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "status": data.get("status") or None,
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写原因。原因会记入监管操作记录。"})

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("请填写原因。")
        return reason


class LotStatusForm(ReasonForm):
    SUSPEND, REINSTATE = "suspend", "reinstate"
    action = forms.ChoiceField(label="操作", choices=[(SUSPEND, "暂停销售"), (REINSTATE, "恢复销售")])


class ListingStatusForm(ReasonForm):
    SUSPEND, EXIT, REINSTATE = "suspend", "exit", "reinstate"
    listing = forms.ModelChoiceField(queryset=CatalogueListing.objects.none(), label="推荐目录",
                                     error_messages={"required": "请选择推荐目录。",
                                                     "invalid_choice": "请选择这个商品的推荐目录。"})
    action = forms.ChoiceField(label="操作", choices=[(SUSPEND, "暂停资格"), (EXIT, "退出目录"), (REINSTATE, "恢复资格")])

    def __init__(self, *args, product=None, **kwargs):
        super().__init__(*args, **kwargs)
        if product is not None:
            self.fields["listing"].queryset = CatalogueListing.objects.filter(product=product)


# --- Merchant ------------------------------------------------------------------------


class LotForm(forms.Form):
    product = forms.ModelChoiceField(label="商品", queryset=None, empty_label="请选择商品",
                                     error_messages={"required": "请选择商品。",
                                                     "invalid_choice": "只能为本店在售的商品建立批次。"})
    gtin = forms.CharField(label="商品条码（GTIN）", max_length=20, error_messages=REQUIRED,
                           help_text="包装上条形码下方的数字，8、12、13 或 14 位。")
    lot_number = forms.CharField(label="批号", max_length=20, error_messages=REQUIRED,
                                 help_text="字母、数字和 - . _，最多20个字符。")
    produced_on = forms.DateField(label="生产/采收日期", widget=DATE_INPUT,
                                  error_messages={**REQUIRED, "invalid": "请按 年-月-日 填写日期。"})
    expires_on = forms.DateField(label="保质期至（可不填）", required=False, widget=DATE_INPUT,
                                 error_messages={"invalid": "请按 年-月-日 填写日期。"})
    quantity = forms.IntegerField(label="数量", min_value=1, error_messages={
        **REQUIRED, "invalid": "请填写整数。", "min_value": "数量至少为 1。"})

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products

    def clean_gtin(self):
        gtin14 = parse_gtin(self.cleaned_data["gtin"])
        if gtin14 is None:
            raise ValidationError(GTIN_MESSAGE, code="gtin")
        return gtin14

    def clean_lot_number(self):
        lot_number = parse_lot_number(self.cleaned_data["lot_number"])
        if lot_number is None:
            raise ValidationError(LOT_NUMBER_MESSAGE, code="lot_number")
        return lot_number

    def clean(self):
        data = super().clean()
        for field, check in (
            ("produced_on", lambda: limits.check_produced_on(data["produced_on"])),
            ("expires_on", lambda: limits.check_expires_on(data["expires_on"], produced_on=data.get("produced_on"))),
            ("quantity", lambda: limits.check_quantity(data["quantity"])),
        ):
            if data.get(field) is not None:
                try:
                    check()
                except ValidationError as error:
                    self.add_error(field, error)
        return data


class EventForm(forms.Form):
    """The fields every event has, plus the typed fields of its kind (see EVENT_DATA_FIELDS)."""

    kind = forms.ChoiceField(label="环节", choices=TraceEvent.KINDS, widget=forms.HiddenInput)
    event_time = forms.DateTimeField(label="发生时间", widget=DATETIME_INPUT, input_formats=[
        "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"],
        error_messages={**REQUIRED, "invalid": "请按 年-月-日 时:分 填写时间。"})
    location_name = forms.CharField(label="地点", max_length=128, required=False,
                                    help_text="例如：吉林省白山市抚松县某参园")
    county = forms.CharField(label="县（市、区）", max_length=32, required=False)
    responsible_party = forms.CharField(label="责任方", max_length=128, error_messages=REQUIRED,
                                        help_text="负责这一环节的单位或个人")

    TEST_ROWS = 5

    def __init__(self, *args, kind: str, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["kind"].initial = kind
        self.data_fields = []
        for field in (*EVENT_DATA_FIELDS.get(kind, ()), NOTE_FIELD):
            self.fields[f"data_{field.name}"] = _data_field(field)
            self.data_fields.append(f"data_{field.name}")
        self.test_rows = []
        if kind == "inspection":
            self.fields["attachment"] = forms.FileField(
                label="检验报告文件（PDF、PNG 或 JPEG，不超过 10 MB）", required=False)
            for index in range(self.TEST_ROWS):
                row = []
                for key in ("item", "value", "limit", "unit"):
                    name = f"test_{index}_{key}"
                    self.fields[name] = forms.CharField(label=TEST_FIELD_LABELS[key], required=False, max_length=64)
                    row.append(name)
                name = f"test_{index}_passed"
                self.fields[name] = forms.ChoiceField(
                    label="是否合格", required=False, choices=[("", "请选择"), ("yes", "合格"), ("no", "不合格")])
                row.append(name)
                self.test_rows.append(row)
        if correcting:
            self.fields["correction_reason"] = forms.CharField(
                label="更正原因", max_length=32, error_messages={**REQUIRED, "max_length": "更正原因请不超过32个字。"},
                help_text="例如：重量填错、日期填错（不超过32个字）")

    @property
    def test_row_fields(self):
        return [[self[name] for name in row] for row in self.test_rows]

    def clean_kind(self):
        if self.cleaned_data["kind"] != self.kind:
            raise ValidationError("环节不一致，请重新选择环节。")
        return self.kind

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            return check_report_file(upload)
        return upload

    def clean_event_time(self):
        value = self.cleaned_data["event_time"]
        limits.check_event_time(value)
        return value

    def clean(self):
        data = super().clean()
        tests = []
        for index, row in enumerate(self.test_rows, start=1):
            item, value, limit, unit, passed = (data.get(name) or "" for name in row)
            if not any((item, value, limit, unit, passed)):
                continue
            if not item or not value or not passed:
                self.add_error(row[0], f"第{index}行检验项目：请填写项目、结果，并选择是否合格。")
                continue
            tests.append({"item": item.strip(), "value": value.strip(), "limit": limit.strip(),
                          "unit": unit.strip(), "passed": passed == "yes"})
        self.tests = tests
        return data

    def event_data(self) -> dict:
        """The typed data as stored in ``TraceEvent.data`` (JSON), leaving out empty answers."""
        data = {}
        for name in self.data_fields:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            data[name.removeprefix("data_")] = str(value) if not isinstance(value, int | str) else value
        if self.tests:
            data["tests"] = self.tests
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": self.kind,
            "event_time": data["event_time"],
            "location_name": data.get("location_name", ""),
            "county": data.get("county", ""),
            "responsible_party": data["responsible_party"],
            "data": self.event_data(),
            "attachment": data.get("attachment") or None,
        }

    @classmethod
    def initial_from_event(cls, event: TraceEvent) -> dict:
        """Pre-fill a correction with the event's values, so nothing is typed twice."""
        initial = {
            "kind": event.kind,
            "event_time": timezone.localtime(event.event_time).strftime("%Y-%m-%dT%H:%M"),
            "location_name": event.location_name,
            "county": event.county,
            "responsible_party": event.responsible_party,
        }
        for key, value in (event.data or {}).items():
            if key == "tests":
                for index, test in enumerate(value[: cls.TEST_ROWS]):
                    for part in ("item", "value", "limit", "unit"):
                        initial[f"test_{index}_{part}"] = test.get(part, "")
                    initial[f"test_{index}_passed"] = "yes" if test.get("passed") else "no"
            else:
                initial[f"data_{key}"] = value
        declared = vocabulary.kind(event.kind).data_keys
        if vocabulary.QUANTITY in declared and vocabulary.QUANTITY not in (event.data or {}):
            # An event recorded before the vocabulary (e.g. weight_kg) is corrected into the declared keys.
            quantity, unit = vocabulary.quantity_of(event.data or {})
            if quantity is not None:
                initial["data_quantity"], initial["data_uom"] = quantity, unit or ""
        return initial


class CommitmentForm(forms.Form):
    standards = forms.CharField(label="执行标准", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="每行一个标准编号，例如 GB/T 19001-2016")
    quality_promise = forms.CharField(label="质量承诺", widget=forms.Textarea(attrs={"rows": 4}),
                                      error_messages=REQUIRED)
    returns_promise = forms.CharField(label="退换货承诺", widget=forms.Textarea(attrs={"rows": 3}),
                                      error_messages=REQUIRED)
    after_sales_promise = forms.CharField(label="售后服务承诺", widget=forms.Textarea(attrs={"rows": 3}),
                                          error_messages=REQUIRED)
    contact_name = forms.CharField(label="责任人", max_length=64, error_messages=REQUIRED)
    contact_phone = forms.CharField(label="联系电话", max_length=32, error_messages=REQUIRED)
    contact_hours = forms.CharField(label="服务时间", max_length=64, required=False,
                                    help_text="例如：每天 8:00–20:00")
    effective_from = forms.DateTimeField(label="生效时间（不填则立即生效）", required=False, widget=DATETIME_INPUT,
                                         input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
                                         error_messages={"invalid": "请按 年-月-日 时:分 填写时间。"})

    def clean_standards(self):
        return [line.strip() for line in self.cleaned_data["standards"].splitlines() if line.strip()]

    def clean_effective_from(self):
        value = self.cleaned_data.get("effective_from")
        if value and value < timezone.now() - timedelta(minutes=5):
            raise ValidationError("生效时间不能早于现在：已经过去的时间不能再作出承诺。")
        return value

    @staticmethod
    def initial_from(commitment) -> dict:
        if commitment is None:
            return {}
        return {
            "standards": "\n".join(commitment.standards or []),
            "quality_promise": commitment.quality_promise,
            "returns_promise": commitment.returns_promise,
            "after_sales_promise": commitment.after_sales_promise,
            "contact_name": commitment.contact_name,
            "contact_phone": commitment.contact_phone,
            "contact_hours": commitment.contact_hours,
        }


class LabelSheetForm(forms.Form):
    count = forms.IntegerField(label="标签数量", required=False, min_value=1, max_value=24, initial=24, error_messages={
        "invalid": "请填写 1 到 24 之间的整数。", "min_value": "至少打印 1 张。", "max_value": "一页最多 24 张。"})
