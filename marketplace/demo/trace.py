"""Demo lots and their event chains, and a bulk path that writes chains fast.

Each product family gets the chain its real supply chain would have:

- ginseng: planting → growth (one per season) → harvest → processing → inspection → packing → shipping
- deer antler: farming → cutting → quarantine → processing → inspection → packing
- other goods: manufacture → inspection (the factory's release test) → storing

The ``data`` of each kind has these keys, and only these:

==============  =================================================================
kind            data keys
==============  =================================================================
planting        field, area_mu (number), cultivation (园参 / 林下参)
growth          year (int), note
harvest         harvest_date, field, cultivation, age_years (int), quantity, uom
farming         farm, herd, animal_batch, pedigree_generations (int), age_years (int)
cutting         harvest_date, animal_batch, antler_type, quantity, uom
quarantine      certificate_number, authority
processing      process, input, output
manufacture     factory, batch, quantity, uom
inspection      tests: [{item, value (number or text), limit (text), unit, passed (bool)}],
                laboratory, report_number
packing         package, quantity, uom
shipping        destination, carrier
storing         warehouse, quantity, uom
==============  =================================================================

``chain.record_event`` opens a transaction and reads the chain's tail for every event,
which is right for people recording events one at a time and too slow for seeding
thousands. ``chain_rows`` builds a whole chain in memory, hashing each event exactly
as ``record_event`` does (same fields, same ``chain.event_hash``), so the result
verifies with ``chain.verify_chain``; the caller bulk-inserts it.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from traceability import chain
from traceability.models import TraceEvent

CHINA = ZoneInfo("Asia/Shanghai")
GINSENG_LAB = "吉林省产品质量监督检验院"
ANTLER_LAB = "吉林省药品检验研究院"


@dataclass(frozen=True)
class Step:
    kind: str
    at: datetime
    responsible_party: str
    data: dict
    location_name: str = ""
    county: str = ""
    disposition: str = ""


@dataclass(frozen=True)
class LotPlan:
    lot_number: str
    produced_on: date
    expires_on: date | None
    steps: list[Step]


def _at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CHINA)


def _test(item, value, limit, unit, passed=True) -> dict:
    return {"item": item, "value": value, "limit": limit, "unit": unit, "passed": passed}


def plan_lot(spec, *, merchant, today: date) -> LotPlan:
    """The lot a product's stock comes from, with the events that brought it here."""
    rng = random.Random(spec.upc)  # deterministic per product
    if spec.trace == "ginseng":
        produced_on, steps = _ginseng_steps(spec, merchant, today, rng)
    elif spec.trace == "antler":
        produced_on, steps = _antler_steps(spec, merchant, today, rng)
    else:
        produced_on, steps = _goods_steps(spec, merchant, today, rng)
    lot_number = f"{spec.sku.split('-')[0]}{produced_on:%y%m%d}-{rng.randint(1, 999):03d}"
    expires_on = produced_on + timedelta(days=spec.shelf_life_days) if spec.shelf_life_days else None
    return LotPlan(lot_number, produced_on, expires_on, steps)


def _ginseng_steps(spec, merchant, today, rng):
    info = spec.trace_info
    cultivation, years, processing = info["cultivation"], info["growth_years"], info["processing"]
    county = spec.county
    party = merchant.legal_name
    field = f"{county}{'林下参保护区' if cultivation == '林下参' else '参园'}{rng.randint(1, 24)}号地块"
    harvest = today - timedelta(days=rng.randint(45, 75))
    planted = harvest.replace(year=harvest.year - years, month=5, day=rng.randint(5, 25))
    place = {"location_name": field, "county": county}
    steps = [Step("planting", _at(planted), party, {
        "field": field, "area_mu": round(rng.uniform(3, 30), 1), "cultivation": cultivation}, **place)]
    for year in (harvest.year - 2, harvest.year - 1):
        note = ("林下巡护，植株长势正常，未使用化学农药。" if cultivation == "林下参"
                else "春季撤除防寒物，搭建遮阴棚；病害巡查正常，按规定间隔期施药并记录。")
        steps.append(Step("growth", _at(date(year, 7, rng.randint(1, 28))), party, {"year": year, "note": note},
                          **place))
    steps.append(Step("harvest", _at(harvest, 7), party, {
        "harvest_date": harvest.isoformat(), "field": field, "cultivation": cultivation, "age_years": years,
        "quantity": round(rng.uniform(20, 120), 1), "uom": "KGM"}, disposition="active", **place))
    method = {
        "红参": "洗刷、蒸制、烘干（传统红参工艺）", "生晒参": "洗刷、晾晒、低温烘干", "鲜参": "清洗、分级、预冷",
        "参片": "洗刷、润透、切片、低温烘干", "冻干参": "清洗、真空冷冻干燥",
    }[processing]
    workshop = {"location_name": f"{merchant.name}加工车间", "county": county}
    steps.append(Step("processing", _at(harvest + timedelta(days=3), 8), party, {
        "process": method, "input": "鲜参", "output": processing if processing != "鲜参" else "鲜参（分级）"},
        disposition="in_progress", **workshop))
    tests = [
        _test("总皂苷", round(rng.uniform(3.2, 4.8), 2), "≥3.0", "%"),
        _test("五氯硝基苯（农药残留）", "未检出", "≤0.1", "mg/kg"),
        _test("铅（重金属）", round(rng.uniform(0.1, 0.9), 2), "≤5.0", "mg/kg"),
        _test("镉（重金属）", round(rng.uniform(0.02, 0.3), 2), "≤1.0", "mg/kg"),
    ]
    if processing != "鲜参":
        tests[1:1] = [_test("水分", round(rng.uniform(9.5, 13.5), 1), "≤14.5", "%"),
                      _test("灰分", round(rng.uniform(2.2, 3.8), 1), "≤4.0", "%")]
    steps.append(Step("inspection", _at(harvest + timedelta(days=15), 10), GINSENG_LAB, {
        "tests": tests, "laboratory": GINSENG_LAB,
        "report_number": f"JLZJ{harvest:%Y}-R{rng.randint(10000, 99999)}"},
        location_name="长春市", county="朝阳区", disposition="conformant"))
    steps.append(Step("packing", _at(harvest + timedelta(days=18), 14), party, {
        "package": spec.title.split(" ")[-1], "quantity": spec.stock, "uom": "H87"}, **workshop))
    steps.append(Step("shipping", _at(harvest + timedelta(days=20), 16), party, {
        "destination": "银龄集市长春仓", "carrier": "中国邮政"}, **workshop))
    return harvest, steps


def _antler_steps(spec, merchant, today, rng):
    farm = spec.attributes["farm"]
    party = merchant.legal_name
    place = {"location_name": farm, "county": "双阳区"}
    cutting = today - timedelta(days=rng.randint(90, 150))
    batch = f"SY-{cutting.year - 4}-{rng.randint(1, 60):03d}"
    antler_type = "三岔茸" if "三岔" in spec.title else "二杠茸"
    processing = spec.trace_info["processing"]
    steps = [
        Step("farming", _at(cutting - timedelta(days=300)), party, {
            "farm": farm, "herd": f"{rng.randint(1, 12)}号鹿舍", "animal_batch": batch,
            "pedigree_generations": 3, "age_years": 4}, **place),
        Step("cutting", _at(cutting, 6), party, {
            "harvest_date": cutting.isoformat(), "animal_batch": batch, "antler_type": antler_type,
            "quantity": rng.randint(800, 2400), "uom": "GRM"},
            disposition="active", **place),
        Step("quarantine", _at(cutting, 11), "长春市双阳区动物卫生监督所", {
            "certificate_number": f"2201{cutting:%y}{rng.randint(100000, 999999)}",
            "authority": "长春市双阳区动物卫生监督所"}, disposition="conformant", **place),
        Step("processing", _at(cutting + timedelta(days=2), 8), party, {
            "input": "鲜鹿茸",
            "output": processing if processing != "鲜鹿茸" else "鲜鹿茸（冷冻）",
            "process": {"冻干鹿茸": "真空冷冻干燥", "鹿茸片": "真空冷冻干燥、切片", "鹿茸粉": "真空冷冻干燥、超微粉碎",
                       "鲜鹿茸": "清洗、速冻（-18℃以下）"}[processing]},
            disposition="in_progress", **place),
        Step("inspection", _at(cutting + timedelta(days=12), 10), ANTLER_LAB, {
            "tests": [
                _test("性状", "符合", "应符合鹿茸性状描述", ""),
                _test("水分", round(rng.uniform(8.0, 12.0), 1) if processing != "鲜鹿茸" else "不适用",
                      "≤13.0" if processing != "鲜鹿茸" else "—", "%"),
                _test("铅（重金属）", round(rng.uniform(0.05, 0.5), 2), "≤1.0", "mg/kg"),
            ],
            "laboratory": ANTLER_LAB, "report_number": f"JYJ{cutting:%Y}-{rng.randint(1000, 9999)}"},
            location_name="长春市", county="南关区", disposition="conformant"),
        Step("packing", _at(cutting + timedelta(days=15), 14), party, {
            "package": spec.title.split(" ")[-1], "quantity": spec.stock, "uom": "H87"}, **place),
    ]
    return cutting, steps


GOODS_TESTS = {
    "mobility-aids": lambda spec, rng: [
        _test("外观与标识", "符合", "符合", ""),
        _test("静态承重", spec.attributes["max_load_kg"], f"≥{spec.attributes['max_load_kg']}", "kg"),
        _test("静态稳定性", "无倾翻", "无倾翻", ""),
    ],
    "smart-health-devices": lambda spec, rng: [
        _test("外观与标识", "符合", "符合", ""),
        _test("功能检查", "符合", "符合说明书", ""),
        _test("电气安全（漏电流）", round(rng.uniform(0.005, 0.05), 3), "≤0.1", "mA"),
    ],
    "daily-care": lambda spec, rng: [
        _test("外观", "符合", "符合", ""),
        _test("标签标识", "符合", "符合", ""),
    ],
    "health-food": lambda spec, rng: [
        _test("感官要求", "符合", "符合", ""),
        _test("菌落总数", rng.choice([10, 20, 40, 60]), "≤1000", "CFU/g"),
        _test("铅", round(rng.uniform(0.05, 0.4), 2), "≤2.0", "mg/kg"),
    ],
}


def _goods_steps(spec, merchant, today, rng):
    factory = spec.trace_info["factory"]
    made = today - timedelta(days=rng.randint(30, 120))
    batch = f"{made:%Y%m%d}{rng.randint(1, 9)}"
    quantity = spec.stock + rng.randint(50, 300)
    steps = [
        Step("manufacture", _at(made, 8), factory, {"factory": factory, "batch": batch, "quantity": quantity, "uom": "H87"},
             location_name=factory, disposition="active"),
        Step("inspection", _at(made + timedelta(days=1), 15), factory, {
            "tests": GOODS_TESTS[spec.product_class](spec, rng),
            "laboratory": f"{factory}质检部", "report_number": f"QC{batch}"},
            location_name=factory, disposition="conformant"),
        Step("storing", _at(made + timedelta(days=5), 10), merchant.legal_name, {
            "warehouse": merchant.business_address, "quantity": spec.stock, "uom": "H87"}, location_name=merchant.name),
    ]
    return made, steps


def chain_rows(*, lot_id, lot_gtin: str, lot_number: str, steps: list[Step], recorded_at: datetime) -> list[dict]:
    """The lot's whole chain as column values (keyed like ``chain.HASHED_FIELDS``, plus ``hash``).

    The values are those ``chain.record_event`` would store for the same steps, and each
    hash is ``chain.event_hash`` over them, so the rows verify with ``chain.verify_chain``.
    """
    previous = chain.GENESIS_HASH
    rows = []
    for sequence, step in enumerate(steps, start=1):
        event_type, action, biz_step = chain.KIND_EPCIS[step.kind]
        offset = step.at.strftime("%z")
        row = {
            "id": uuid.uuid4(), "lot_id": lot_id, "sequence": sequence, "kind": step.kind,
            "event_type": event_type, "action": action, "biz_step": biz_step, "disposition": step.disposition,
            "event_time": step.at, "event_timezone_offset": f"{offset[:3]}:{offset[3:]}", "location_gln": "",
            "location_name": step.location_name, "county": step.county,
            "responsible_party": step.responsible_party,
            "data": json.loads(json.dumps(step.data, ensure_ascii=False)), "attachment": "",
            "attachment_sha256": "", "corrects_id": None, "correction_reason": "", "recorded_at": recorded_at,
            "recorded_by_id": None, "previous_hash": previous,
        }
        row["hash"] = previous = chain.event_hash(row, lot_gtin=lot_gtin, lot_number=lot_number)
        rows.append(row)
    return rows


def chain_events(*, lot, steps: list[Step], recorded_at: datetime) -> list[TraceEvent]:
    """The lot's whole chain as unsaved events, hashed exactly as ``chain.record_event`` hashes."""
    rows = chain_rows(lot_id=lot.pk, lot_gtin=lot.gtin, lot_number=lot.lot_number, steps=steps,
                      recorded_at=recorded_at)
    return [TraceEvent(**row) for row in rows]


def tamper(event: TraceEvent) -> None:
    """Change an inspection result after hashing: the demo's deliberately broken chain."""
    for test in event.data.get("tests", []):
        if isinstance(test["value"], float):
            test["value"] = round(test["value"] + 1.0, 2)
            return
    event.data["tampered"] = True
