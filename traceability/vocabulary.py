"""The event kinds of a lot's chain, declared once (DOMAIN.md §2).

Each kind names, in one place, what the model offers as a choice, what ``chain`` stores
as its EPCIS event type, action and CBV business step, what the merchant form asks for
and writes into ``TraceEvent.data``, and what the EPCIS export reads back. Nothing else
lists kinds or data keys: ``models.TraceEvent.KINDS``, ``chain.KIND_EPCIS``,
``forms.EVENT_DATA_FIELDS`` and the sets and keys in ``epcis`` all derive from ``KINDS``.

The business steps are stored in each event and covered by its hash, so the values
below must never change for a kind that already has events.

Quantities are written with a UN/ECE Recommendation 20 unit code (``KGM``, ``GRM``,
``H87`` …), the unit EPCIS ``quantityList`` expects.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

OBJECT_EVENT = "ObjectEvent"
TRANSFORMATION_EVENT = "TransformationEvent"

# CBV has no "harvesting" step: a harvest commissions the lot, with its ILMD.
CBV = "https://ref.gs1.org/cbv/BizStep-"
CUSTOM_BIZSTEP = "https://silver-market.example/bizstep/"

# Field types; forms.py turns each into a form field.
TEXT, TEXTAREA, INTEGER, DECIMAL, DATE, CULTIVATION, UOM, LOT_CODE = (
    "text", "textarea", "integer", "decimal", "date", "cultivation", "uom", "lot_code",
)

# Data keys the export reads.
QUANTITY, UOM_KEY, HARVEST_DATE = "quantity", "uom", "harvest_date"
INPUT_LOT, INPUT_QUANTITY, INPUT_UOM = "input_lot", "input_quantity", "input_uom"
OUTPUT_QUANTITY, OUTPUT_UOM = "output_quantity", "output_uom"
REPORT_NUMBER, CERTIFICATE_NUMBER = "report_number", "certificate_number"

# UN/ECE Recommendation 20 codes a merchant can choose, in Chinese.
UNITS = (("KGM", _("千克")), ("GRM", _("克")), ("H87", _("件（个）")), ("LTR", _("升")))
UNIT_CHOICES = [("", _("请选择")), *UNITS]
CULTIVATION_CHOICES = [("", _("请选择")), ("园参", _("园参（园地栽培）")), ("林下参", _("林下参")), ("其他", _("其他"))]


@dataclass(frozen=True)
class DataField:
    """One typed value a kind of event records in ``TraceEvent.data``."""

    name: str
    label: str
    type: str = TEXT


@dataclass(frozen=True)
class EventKind:
    code: str
    label: str
    event_type: str
    action: str
    biz_step: str
    fields: tuple[DataField, ...] = ()
    commissions: bool = False  # brings the lot into being (ADD, with ILMD)
    harvest: bool = False  # ILMD carries the harvest date
    inspection: bool = False  # carries test results and a report or certificate number

    @property
    def epcis(self) -> tuple[str, str, str]:
        return self.event_type, self.action, self.biz_step

    @property
    def data_keys(self) -> frozenset[str]:
        return frozenset(field.name for field in self.fields)


def _quantity(label: str) -> tuple[DataField, DataField]:
    return DataField(QUANTITY, label, DECIMAL), DataField(UOM_KEY, _("单位"), UOM)


def _observe(code, label, step, *fields, **roles) -> EventKind:
    return EventKind(code, label, OBJECT_EVENT, "OBSERVE", step, tuple(fields), **roles)


def _commission(code, label, *fields, **roles) -> EventKind:
    return EventKind(code, label, OBJECT_EVENT, "ADD", "commissioning", tuple(fields), commissions=True, **roles)


KINDS: tuple[EventKind, ...] = (
    _observe("planting", _("种植"), CUSTOM_BIZSTEP + "planting",
             DataField("field", _("地块")), DataField("variety", _("品种")), DataField("cultivation", _("种植方式"), CULTIVATION),
             DataField("area_mu", _("面积（亩）"), DECIMAL), DataField("seed_source", _("种苗来源"))),
    _observe("growth", _("生长记录"), CUSTOM_BIZSTEP + "growth_record",
             DataField("year", _("年份"), INTEGER), DataField("age_years", _("参龄/年龄（年）"), INTEGER),
             DataField("observation", _("生长情况"), TEXTAREA)),
    _observe("farming", _("养殖"), CUSTOM_BIZSTEP + "farming",
             DataField("farm", _("养殖场")), DataField("herd", _("鹿舍/鹿群")), DataField("animal_batch", _("鹿只批次")),
             DataField("age_years", _("鹿龄（年）"), INTEGER), DataField("pedigree_generations", _("系谱记录（代）"), INTEGER),
             DataField("pedigree", _("系谱记录（三代）"), TEXTAREA), DataField("feed", _("饲料"))),
    _commission("harvest", _("采收"),
                DataField(HARVEST_DATE, _("采收日期"), DATE), DataField("field", _("地块")),
                DataField("cultivation", _("种植方式"), CULTIVATION),
                DataField("age_years", _("参龄（年）"), INTEGER), *_quantity(_("采收数量")), harvest=True),
    _commission("cutting", _("割茸"),
                DataField(HARVEST_DATE, _("割茸日期"), DATE), DataField("animal", _("鹿只编号")),
                DataField("animal_batch", _("鹿只批次")), DataField("antler_type", _("茸型（二杠、三岔）")),
                *_quantity(_("鲜茸数量")), harvest=True),
    _commission("manufacture", _("生产"),
                DataField("factory", _("生产企业")), DataField("batch", _("生产批号")), DataField("production_line", _("生产线")),
                DataField("standard", _("执行标准")), *_quantity(_("生产数量"))),
    EventKind("processing", _("加工"), TRANSFORMATION_EVENT, "", "commissioning", (
        DataField("process", _("加工方式")), DataField("input", _("投入原料")),
        DataField(INPUT_LOT, _("原料批次追溯码"), LOT_CODE),
        DataField(INPUT_QUANTITY, _("投入数量"), DECIMAL), DataField(INPUT_UOM, _("投入单位"), UOM),
        DataField("output", _("产出产品")),
        DataField(OUTPUT_QUANTITY, _("产出数量"), DECIMAL), DataField(OUTPUT_UOM, _("产出单位"), UOM),
    )),
    _observe("inspection", _("检验"), "inspecting",
             DataField("laboratory", _("检验机构")), DataField(REPORT_NUMBER, _("报告编号")), DataField("conclusion", _("检验结论")),
             inspection=True),
    _observe("quarantine", _("检疫"), "inspecting",
             DataField(CERTIFICATE_NUMBER, _("检疫证明编号")), DataField("authority", _("检疫机构")), inspection=True),
    _observe("packing", _("包装"), "packing", DataField("package", _("包装规格")), *_quantity(_("包装后数量"))),
    _observe("shipping", _("发货"), "shipping",
             DataField("carrier", _("承运方")), DataField("waybill", _("运单号")), DataField("destination", _("发往")),
             *_quantity(_("发货数量"))),
    _observe("receiving", _("收货"), "receiving", DataField("received_from", _("来自")), *_quantity(_("收货数量"))),
    _observe("storing", _("入库"), "storing",
             DataField("warehouse", _("仓库")), DataField("temperature", _("储存温度")), *_quantity(_("入库数量"))),
    _observe("other", _("其他"), "other"),
)
BY_CODE: dict[str, EventKind] = {kind.code: kind for kind in KINDS}
CHOICES: list[tuple[str, str]] = [(kind.code, kind.label) for kind in KINDS]
NOTE_FIELD = DataField("note", _("说明"), TEXTAREA)

# Keys that events recorded before this vocabulary carry; still read and shown.
LEGACY_QUANTITY_KEYS = {"weight_kg": "KGM", "received_quantity": None, "package_count": "H87"}
LEGACY_LABELS = {"weight_kg": _("重量（千克）"), "received_quantity": _("收货数量"), "package_count": _("包装数量")}


def kind(code: str) -> EventKind:
    return BY_CODE[code]


def codes_where(**roles) -> frozenset[str]:
    """The kinds with these role flags, e.g. ``codes_where(harvest=True)``."""
    return frozenset(k.code for k in KINDS if all(getattr(k, role) == value for role, value in roles.items()))


def labels() -> dict[str, str]:
    """Every data key's Chinese label, so stored data reads as words."""
    result = dict(LEGACY_LABELS)
    result[NOTE_FIELD.name] = NOTE_FIELD.label
    for event_kind in KINDS:
        result.update({field.name: field.label for field in event_kind.fields})
    return result


UNIT_KEYS = frozenset({UOM_KEY, INPUT_UOM, OUTPUT_UOM})


def unit_label(code) -> str:
    return dict(UNITS).get(code, str(code))


def number(value) -> int | float | None:
    """A stored quantity (a JSON number, or the decimal text a form writes) as a JSON number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    try:
        parsed = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not parsed.is_finite():
        return None
    return int(parsed) if parsed == parsed.to_integral_value() else float(parsed)


def quantity_of(data: dict) -> tuple[int | float | None, str | None]:
    """(quantity, unit) an event's data states, reading keys written before the vocabulary too."""
    if data.get(QUANTITY) not in (None, ""):
        return number(data[QUANTITY]), data.get(UOM_KEY) or None
    for key, unit in LEGACY_QUANTITY_KEYS.items():
        if data.get(key) not in (None, ""):
            return number(data[key]), unit
    return None, None
