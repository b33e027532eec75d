import re

import pytest
import segno
from django.utils import timezone

from catalog.models import CatalogueListing, GeographicalIndication
from tests import factories
from traceability import merchant_work, qr
from traceability.availability import REASON_LISTING_SUSPENDED
from traceability.models import Lot, TraceEvent

pytestmark = pytest.mark.django_db

NOT_FOUND = "没有找到这个追溯码"


@pytest.fixture
def partner():
    return factories.merchant(legal_name="吉林长白山参业有限公司", service_phone="0439-6200000",
                              sells_food=True, food_licence_number="JY12201000000001")


@pytest.fixture
def lot(partner):
    product = factories.product(merchant_=partner, title="长白山林下参", title_en="Changbai forest ginseng",
                                origin_region="吉林省白山市抚松县")
    product.gi_marks.add(GeographicalIndication.objects.create(name="长白山人参", registration="AQSIQ 2002"))
    factories.listing(product_=product)
    return factories.lot(product_=product, events=3)


def trace_url(lot):
    return f"/trace/{lot.code}/"


def test_trace_page_shows_product_merchant_origin_timeline_tests_and_commitment(client, lot, partner):
    response = client.get(trace_url(lot))
    assert response.status_code == 200
    page = response.content.decode()
    assert "长白山林下参" in page
    assert f'href="{lot.product.get_absolute_url()}"' in page
    assert "吉林长白山参业有限公司" in page
    assert partner.credit_code in page
    assert "JY12201000000001" in page
    assert "0439-6200000" in page
    assert "吉林省白山市抚松县" in page
    assert "长白山人参" in page
    # The timeline in plain words, in Beijing time.
    assert "生产" in page and "检验" in page and "入库" in page
    first = lot.events.get(sequence=1)
    assert timezone.localtime(first.event_time).strftime("%H:%M") in page
    assert "长春市朝阳区" in page
    assert "检验机构" in page and "吉林省产品质量监督检验院" in page
    # Test results against their limits.
    for header in ("项目", "结果", "标准限值", "是否合格"):
        assert f">{header}</th>" in page
    assert "外观" in page and "合格" in page
    # The commitment of the lot's version.
    assert f"第{lot.commitment.version}版" in page
    assert lot.commitment.quality_promise in page
    # Integrity, sale status and the QR code.
    assert "记录完整，未被修改" in page
    assert "这件商品现在可以正常购买" in page
    assert "<svg" in page and 'role="img"' in page and f"追溯二维码：{lot.code}" in page
    assert f'href="/trace/{lot.code}/qr.svg"' in page
    assert "css/trace.css" in page


def test_tampered_chain_shows_a_warning_naming_the_broken_event(client, lot):
    last = lot.events.order_by("-sequence").first()
    TraceEvent.objects.bulk_create([TraceEvent(
        lot=lot, sequence=last.sequence + 1, kind="shipping", event_type=TraceEvent.OBJECT, action="OBSERVE",
        biz_step="shipping", event_time=timezone.now(), responsible_party="冒充的物流公司",
        previous_hash=last.hash, hash="f" * 64,
    )])
    page = client.get(trace_url(lot)).content.decode()
    assert "记录完整，未被修改" not in page
    assert "警告" in page
    assert "有问题的是第 4 条记录（发货）" in page
    assert 'href="#event-4"' in page
    assert "事件内容与存储的哈希不一致" in page


def test_corrections_are_linked_and_corrected_events_marked(client, lot, partner):
    wrong = lot.events.get(sequence=1)
    merchant_work.correct_event(
        merchant=partner, event=wrong, reason="数量填错", kind=wrong.kind, event_time=wrong.event_time,
        responsible_party=wrong.responsible_party, data={"quantity": 500},
    )
    page = client.get(trace_url(lot)).content.decode()
    assert '<span class="trace-tag">更正</span>' in page
    assert '这条记录更正了<a href="#event-1">第 1 条记录</a>' in page
    assert "数量填错" in page
    assert "这条记录已被更正" in page
    assert "记录完整，未被修改" in page


def test_page_says_why_the_product_cannot_be_bought(client, lot):
    CatalogueListing.objects.filter(product=lot.product).update(status=CatalogueListing.SUSPENDED)
    Lot.objects.filter(pk=lot.pk).update(status=Lot.RECALLED, status_reason="重金属超标")
    page = client.get(trace_url(lot)).content.decode()
    assert "这件商品现在不能购买" in page
    assert str(REASON_LISTING_SUSPENDED) in page
    assert "这批商品已召回" in page and "重金属超标" in page


def test_english_version_renders(client, lot):
    response = client.get(f"/en/trace/{lot.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert "Changbai forest ginseng" in page and "长白山林下参" not in page  # the English title, not the Chinese
    assert lot.code in page


def test_digital_link_with_gtin14_renders_the_trace_page(client, lot):
    # The GS1 resolver redirects (307) to the trace page; a browser lands there.
    response = client.get(f"/01/{lot.gtin}/10/{lot.lot_number}", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][1] == 307
    assert "记录完整，未被修改" in response.content.decode()
    assert response.context["lot"] == lot


def test_digital_link_with_gtin13_is_padded(client, lot):
    assert lot.gtin.startswith("0")
    response = client.get(f"/01/{lot.gtin[1:]}/10/{lot.lot_number}", follow=True)
    assert response.status_code == 200
    assert response.context["lot"] == lot


def test_digital_link_serial_and_query_are_ignored(client, lot):
    response = client.get(f"/01/{lot.gtin}/10/{lot.lot_number}/21/ABC123?17=271231", follow=True)
    assert response.status_code == 200
    assert response.context["lot"] == lot


def test_digital_link_under_english_prefix(client, lot):
    assert client.get(f"/en/01/{lot.gtin}/10/{lot.lot_number}", follow=True).status_code == 200


def _bad_check_digit(gtin: str) -> str:
    return gtin[:-1] + str((int(gtin[-1]) + 1) % 10)


@pytest.mark.parametrize(("path", "status"), [
    # GS1 resolver: bad syntax is 400, an unknown lot 404 (tests/transparency/test_resolver.py has more).
    ("/01/{bad_check}/10/{lot_number}", 400),
    ("/01/{gtin}/10/bad%20lot", 404),  # spaces are dropped (codes.normalise_code): a well-formed, unknown lot
    ("/01/{gtin}/10/%E6%89%B9%E5%8F%B7", 400),
    ("/01/{gtin}/10/ABCDEFGHIJKLMNOPQRSTUVWXYZ", 400),
    ("/01/{gtin}/10/NOSUCHLOT", 404),
    ("/01/12345/10/{lot_number}", 400),
    ("/01/abcdefghijklmn/10/{lot_number}", 400),
    ("/01/%00/10/{lot_number}", 400),
])
def test_bad_or_unknown_digital_links_get_a_friendly_error(client, lot, path, status):
    url = path.format(gtin=lot.gtin, lot_number=lot.lot_number, bad_check=_bad_check_digit(lot.gtin))
    response = client.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert NOT_FOUND in page
    assert "14位数字" in page


@pytest.mark.parametrize("path", [
    "/trace/{gtin}-NOSUCHLOT/",
    "/trace/{bad_check}-{lot_number}/",
    "/trace/not-a-code/",
    "/trace/{gtin}/",
    "/trace/{gtin}-/",
    "/trace/%F0%9F%98%80/",
    "/trace/{gtin}-NOSUCHLOT/qr.svg",
    "/en/trace/{gtin}-NOSUCHLOT/",
])
def test_unknown_or_malformed_codes_get_the_friendly_404(client, lot, path):
    url = path.format(gtin=lot.gtin, lot_number=lot.lot_number, bad_check=_bad_check_digit(lot.gtin))
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    if url.startswith("/en/"):
        assert "We could not find this trace code" in page
        assert "14 digits" in page  # how to check the code
    else:
        assert NOT_FOUND in page
        assert "14位数字" in page  # how to check the code


def _modules_from_svg(svg: str) -> set[tuple[int, int]]:
    dark = set()
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
        for dx in range(int(width)):
            dark.add((int(x) + dx, int(y)))
    return dark


def test_qr_svg_download_encodes_the_digital_link(client, lot, settings):
    settings.SITE_URL = "https://silver-market.example"
    response = client.get(f"/trace/{lot.code}/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "<title>" in svg
    url = f"https://silver-market.example/01/{lot.gtin}/10/{lot.lot_number}"
    expected = segno.make(url, error="m", micro=False)
    expected_dark = {
        (x, y)
        for y, row in enumerate(expected.matrix_iter(scale=1, border=qr.QUIET_ZONE))
        for x, bit in enumerate(row) if bit
    }
    assert _modules_from_svg(svg) == expected_dark
    other = segno.make(url + "X", error="m", micro=False)
    other_dark = {(x, y) for y, row in enumerate(other.matrix_iter(scale=1, border=4)) for x, b in enumerate(row) if b}
    assert _modules_from_svg(svg) != other_dark


def test_trace_page_uses_few_queries(client, lot, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert client.get(trace_url(lot)).status_code == 200



def test_trace_page_leads_with_three_answers_and_folds_the_detail(client, lot):
    page = client.get(trace_url(lot)).content.decode()
    answers = page.index('class="trace-answers"')
    for question in ("能不能买", "从哪里来", "检测合格吗"):
        assert answers < page.index(f"<dt>{question}</dt>")
    assert "吉林省白山市抚松县" in page[answers:page.index('<details class="trace-fold"')]
    # The detail is folded in <details> (works without JavaScript); the timeline is closed while the chain is intact.
    for fold in ("product", "merchant", "timeline", "commitment", "proof"):
        assert re.search(f'<details class="trace-fold[^"]*" id="{fold}"', page), fold
    assert '<details class="trace-fold" id="timeline">' in page
    # The test table is shown once, not twice.
    assert page.count('class="trace-table"') == 1


def test_jargon_on_the_trace_page_is_explained(client, lot):
    from marketplace.glossary import TERMS

    page = client.get(trace_url(lot)).content.decode()
    for term in ("credit_code", "food_licence", "standard", "lot_number"):
        assert f'<span class="term-help">{TERMS[term]}</span>' in page
