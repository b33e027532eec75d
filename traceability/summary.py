"""The three plain answers at the top of the trace page: can I buy it, where is it from, did it pass.

An older shopper who scans a label wants those three answers before anything else; the full
record follows, folded. The answers come from the same rules as everywhere else (the chain
report from ``chain.verify_events``, the sale status from ``availability.sale_status``, the lot's
own status), so the template only shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from traceability import vocabulary
from traceability.availability import SaleStatus
from traceability.chain import ChainReport
from traceability.models import Lot

CHINA = ZoneInfo("Asia/Shanghai")
GOOD, BAD, UNKNOWN = "good", "bad", "unknown"


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    detail: str
    state: str  # GOOD, BAD or UNKNOWN: how the page marks it

    @property
    def symbol(self) -> str:
        """The mark beside the answer; colour-blind readers get the word as well."""
        return {GOOD: "✔", BAD: "✘"}.get(self.state, "")


@dataclass(frozen=True)
class TraceSummary:
    can_buy: Answer
    origin: Answer
    tests: Answer

    def __iter__(self):
        return iter((self.can_buy, self.origin, self.tests))


def trace_summary(*, lot: Lot, events, report: ChainReport, sale: SaleStatus) -> TraceSummary:
    """The three answers for ``lot``, given its events in order, their chain report and the
    product's sale status."""
    effective = _effective_events(events)
    return TraceSummary(
        can_buy=_can_buy(lot=lot, report=report, sale=sale),
        origin=_origin(lot=lot, events=effective),
        tests=_tests(events=effective),
    )


def _effective_events(events) -> list:
    """Events that still count: an event corrected by a later one gives way to its correction."""
    events = list(events)
    corrected = {event.corrects_id for event in events if event.corrects_id}
    return [event for event in events if event.pk not in corrected]


def _can_buy(*, lot: Lot, report: ChainReport, sale: SaleStatus) -> Answer:
    question = _("能不能买")
    if report.broken:
        return Answer(question, _("不能买"), _("这批商品的追溯记录有被修改的痕迹，请暂时不要食用或使用。"), BAD)
    if report.awaiting:
        return Answer(question, _("暂时不能买"), _("商家还没有录入这批商品的追溯记录，录入之前不能购买。"), UNKNOWN)
    problems = []
    if lot.status != Lot.ACTIVE:
        problems.append(_("这批商品%(status)s") % {"status": lot.get_status_display()}
                        + (_("：") + lot.status_reason if lot.status_reason else "") + _("。"))
        if lot.status == Lot.RECALLED:
            problems.append(_("如果您买过这批商品，请停止使用，商家会联系您退货退款。"))
    if not sale.can_sell:
        problems.append(_("这件商品现在不能购买") + _("：") + str(sale.reason))
    if problems:
        return Answer(question, _("不能买"), "".join(problems), BAD)
    return Answer(question, _("能买"), _("这件商品现在可以正常购买。"), GOOD)


def _origin(*, lot: Lot, events: list) -> Answer:
    question = _("从哪里来")
    first_place = next((_place(event) for event in events if _place(event)), "")
    where = lot.product.origin_region or first_place
    if not where:
        return Answer(question, _("商家没有填写产地"), _("可以打电话问商家。"), UNKNOWN)
    detail = _("由%(merchant)s负责，%(date)s生产或采收。") % {
        "merchant": lot.merchant.legal_name or lot.merchant.display_name,
        "date": date_format(lot.produced_on, _("Y年n月j日")),
    }
    return Answer(question, where, detail, GOOD)


def _place(event) -> str:
    if event.county and event.county in event.location_name:
        return event.location_name
    return "，".join(part for part in (event.location_name, event.county) if part)


def _tests(*, events: list) -> Answer:
    question = _("检测合格吗")
    inspections = [event for event in events if _is_inspection(event) and _results(event)]
    if not inspections:
        return Answer(question, _("没有检测记录"), _("这批商品的追溯记录里没有检测结果。"), UNKNOWN)
    latest = inspections[-1]
    failed = [str(test.get("item", "")) for event in inspections for test in _results(event) if not test.get("passed")]
    when = date_format(latest.event_time.astimezone(CHINA), _("Y年n月j日"))
    lab = (latest.data or {}).get("laboratory") or latest.responsible_party
    if failed:
        return Answer(question, _("不合格"), _("不合格的项目：%(items)s。请不要食用或使用。") % {"items": "、".join(failed)}, BAD)
    count = sum(len(_results(event)) for event in inspections)
    return Answer(question, _("合格"), _("%(date)s由%(lab)s检测，%(count)s项全部合格。") % {
        "date": when, "lab": lab, "count": count}, GOOD)


def _is_inspection(event) -> bool:
    kind = vocabulary.BY_CODE.get(event.kind)
    return bool(kind and kind.inspection)


def _results(event) -> list[dict]:
    return [test for test in (event.data or {}).get("tests", []) if isinstance(test, dict)]
