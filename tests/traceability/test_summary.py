"""The three plain answers at the top of the trace page (traceability/summary.py)."""

import pytest
from django.utils import timezone

from catalog.models import CatalogueListing
from tests import factories
from traceability import merchant_work
from traceability.availability import REASON_LISTING_SUSPENDED, sale_status
from traceability.chain import verify_events
from traceability.models import Lot, TraceEvent
from traceability.summary import BAD, GOOD, UNKNOWN, trace_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def lot():
    partner = factories.merchant(legal_name="吉林长白山参业有限公司")
    product = factories.product(merchant_=partner, title="长白山林下参", origin_region="吉林省白山市抚松县")
    factories.listing(product_=product)
    return factories.lot(product_=product, events=3)


def summary_of(lot):
    lot = Lot.objects.select_related("product", "merchant").get(pk=lot.pk)
    events = list(lot.events.order_by("sequence"))
    return trace_summary(lot=lot, events=events, report=verify_events(lot, events), sale=sale_status(lot.product))


def test_a_sellable_lot_answers_yes_origin_and_passed(lot):
    summary = summary_of(lot)
    assert [a.question for a in summary] == ["能不能买", "从哪里来", "检测合格吗"]
    assert (summary.can_buy.state, summary.can_buy.answer) == (GOOD, "能买")
    assert (summary.origin.state, summary.origin.answer) == (GOOD, "吉林省白山市抚松县")
    assert "吉林长白山参业有限公司" in summary.origin.detail
    assert (summary.tests.state, summary.tests.answer) == (GOOD, "合格")
    assert "吉林省产品质量监督检验院" in summary.tests.detail and "1项全部合格" in summary.tests.detail


def test_origin_falls_back_to_the_first_recorded_place(lot):
    lot.product.origin_region = ""
    lot.product.save()
    assert summary_of(lot).origin.answer == "长春市朝阳区"


def test_a_recalled_lot_of_a_suspended_listing_says_no_and_why(lot):
    CatalogueListing.objects.filter(product=lot.product).update(status=CatalogueListing.SUSPENDED)
    Lot.objects.filter(pk=lot.pk).update(status=Lot.RECALLED, status_reason="重金属超标")
    answer = summary_of(lot).can_buy
    assert (answer.state, answer.answer) == (BAD, "不能买")
    assert "这批商品已召回：重金属超标" in answer.detail
    assert str(REASON_LISTING_SUSPENDED) in answer.detail


def test_a_tampered_chain_says_no(lot):
    last = lot.events.order_by("-sequence").first()
    TraceEvent.objects.bulk_create([TraceEvent(
        lot=lot, sequence=last.sequence + 1, kind="shipping", event_type=TraceEvent.OBJECT, action="OBSERVE",
        biz_step="shipping", event_time=timezone.now(), responsible_party="冒充的物流公司",
        previous_hash=last.hash, hash="f" * 64,
    )])
    answer = summary_of(lot).can_buy
    assert (answer.state, answer.answer) == (BAD, "不能买")
    assert "修改" in answer.detail


def test_a_failed_test_is_named(lot):
    partner = lot.merchant
    inspection = lot.events.get(kind="inspection")
    merchant_work.correct_event(
        merchant=partner, event=inspection, reason="补录铅含量", kind="inspection", event_time=inspection.event_time,
        responsible_party=inspection.responsible_party,
        data={"laboratory": "吉林省产品质量监督检验院", "report_number": "R1",
              "tests": [{"item": "外观", "value": "合格", "limit": "合格", "unit": "", "passed": True},
                        {"item": "铅", "value": "2.0", "limit": "1.0", "unit": "mg/kg", "passed": False}]},
    )
    answer = summary_of(lot).tests
    assert (answer.state, answer.answer) == (BAD, "不合格")
    assert "铅" in answer.detail and "外观" not in answer.detail


def test_no_inspection_is_said_plainly():
    product = factories.product(title="木耳")
    factories.listing(product_=product)
    lot = factories.lot(product_=product, events=1)  # production only
    answer = summary_of(lot).tests
    assert (answer.state, answer.answer) == (UNKNOWN, "没有检测记录")


def test_each_answer_carries_its_mark(lot):
    summary = summary_of(lot)
    assert summary.can_buy.symbol == "✔"
    Lot.objects.filter(pk=lot.pk).update(status=Lot.SUSPENDED)
    assert summary_of(lot).can_buy.symbol == "✘"
