from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests import factories
from traceability import merchant_work
from traceability.chain import verify_chain
from traceability.models import Lot, QualityCommitment, TraceEvent

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def shop():
    partner = factories.merchant(legal_name="抚松县参农合作社", gs1_company_prefix="6901234")
    factories.commitment(partner=partner)
    return partner


@pytest.fixture
def staff(shop):
    return factories.merchant_staff(shop)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def ginseng(shop):
    return factories.product(merchant_=shop, title="抚松生晒参", upc="06901234567892")


@pytest.fixture
def own_lot(ginseng):
    return factories.lot(product_=ginseng, events=2)


@pytest.fixture
def rival_lot():
    return factories.lot(product_=factories.product(title="别家的鹿茸片"))


def lot_data(product, **overrides):
    data = {
        "product": product.pk, "gtin": "6901234567892", "lot_number": "FS-2025-01",
        "produced_on": (date.today() - timedelta(days=10)).isoformat(),
        "expires_on": (date.today() + timedelta(days=700)).isoformat(), "quantity": "200",
    }
    data.update(overrides)
    return data


def test_list_shows_only_own_lots(staff_client, own_lot, rival_lot):
    page = staff_client.get("/merchant/lots/").content.decode()
    assert own_lot.code in page
    assert rival_lot.code not in page
    assert list(merchant_work.lots_for_merchant(merchant=own_lot.merchant)) == [own_lot]


def test_create_lot_normalises_gtin_and_uses_the_commitment_in_force(staff_client, shop, ginseng):
    in_force = shop.quality_commitments.get()
    factories.commitment(partner=shop, effective_from=timezone.now() + timedelta(days=5))  # not yet in force
    response = staff_client.post("/merchant/lots/new/", lot_data(ginseng))
    assert response.status_code == 302
    lot = Lot.objects.get(lot_number="FS-2025-01")
    assert response["Location"] == f"/merchant/lots/{lot.code}/"
    assert lot.gtin == "06901234567892"
    assert lot.merchant == shop and lot.product == ginseng
    assert lot.commitment == in_force
    assert response["Location"] == f"/merchant/lots/{lot.code}/"


def test_create_lot_offers_only_own_products(staff_client, ginseng):
    other = factories.product(title="别家的血压计")
    page = staff_client.get("/merchant/lots/new/").content.decode()
    assert "抚松生晒参" in page and "别家的血压计" not in page
    response = staff_client.post("/merchant/lots/new/", lot_data(other))
    assert response.status_code == 400
    assert "只能为本店在售的商品建立批次" in response.content.decode()
    assert not Lot.objects.filter(lot_number="FS-2025-01").exists()


def test_create_lot_service_refuses_other_merchants_products(shop):
    other = factories.product()
    with pytest.raises(ValidationError):
        merchant_work.create_lot(merchant=shop, product=other, gtin="6901234567892", lot_number="X1",
                                 produced_on=date.today(), quantity=1)
    assert not Lot.objects.exists()


def test_create_lot_refused_without_a_commitment(client, ginseng):
    partner = factories.merchant()
    product = factories.product(merchant_=partner)
    client.force_login(factories.merchant_staff(partner))
    response = client.post("/merchant/lots/new/", lot_data(product, gtin=product.upc))
    assert response.status_code == 400
    assert "请先发布质量承诺" in response.content.decode()
    assert not Lot.objects.exists()


@pytest.mark.parametrize("field, value, message", [
    ("gtin", "6901234567893", "校验位正确"),
    ("gtin", "69012345", "校验位正确"),
    ("gtin", "69012345678", "应为 8、12、13 或 14 位阿拉伯数字"),
    ("gtin", "69O1234567892", "阿拉伯数字"),
    ("lot_number", "批号一", "批号只能包含字母、数字"),
    ("quantity", "0", "数量至少为 1"),
    ("produced_on", "昨天", "请按 年-月-日 填写日期"),
])
def test_bad_lot_input_gets_plain_errors_and_keeps_what_was_typed(staff_client, ginseng, field, value, message):
    response = staff_client.post("/merchant/lots/new/", lot_data(ginseng, **{field: value}))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    # What was typed stays in the form: the bad value and the good ones around it.
    assert f'value="{value}"' in page
    if field != "lot_number":
        assert 'value="FS-2025-01"' in page
    assert not Lot.objects.exists()


def test_duplicate_lot_number_is_refused(staff_client, ginseng):
    first = staff_client.post("/merchant/lots/new/", lot_data(ginseng))
    assert first["Location"] == f"/merchant/lots/{Lot.objects.get().code}/"
    response = staff_client.post("/merchant/lots/new/", lot_data(ginseng))
    assert response.status_code == 400
    assert "已有相同批号" in response.content.decode()
    assert Lot.objects.count() == 1


def inspection_data(**overrides):
    data = {
        "kind": "inspection", "event_time": "2025-09-01T10:30", "location_name": "吉林省产品质量监督检验院",
        "county": "长春市", "responsible_party": "吉林省产品质量监督检验院",
        "data_laboratory": "吉林省产品质量监督检验院", "data_report_number": "JL2025-0901",
        "test_0_item": "总皂苷", "test_0_value": "3.6", "test_0_limit": "≥3.0", "test_0_unit": "%",
        "test_0_passed": "yes",
        "test_1_item": "水分", "test_1_value": "12.1", "test_1_limit": "≤14.5", "test_1_unit": "%",
        "test_1_passed": "yes",
    }
    data.update(overrides)
    return data


def test_add_inspection_event_with_tests_and_report(staff_client, own_lot, staff):
    data = inspection_data(attachment=SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf"))
    response = staff_client.post(f"/merchant/lots/{own_lot.code}/events/new/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/merchant/lots/{own_lot.code}/"
    event = own_lot.events.order_by("-sequence").first()
    assert event.sequence == 3 and event.kind == "inspection" and event.recorded_by == staff
    assert event.data["laboratory"] == "吉林省产品质量监督检验院"
    assert event.data["tests"] == [
        {"item": "总皂苷", "value": "3.6", "limit": "≥3.0", "unit": "%", "passed": True},
        {"item": "水分", "value": "12.1", "limit": "≤14.5", "unit": "%", "passed": True},
    ]
    assert event.attachment.name.endswith(".pdf") and len(event.attachment_sha256) == 64
    assert timezone.localtime(event.event_time).strftime("%Y-%m-%d %H:%M") == "2025-09-01 10:30"
    assert verify_chain(own_lot).intact
    page = staff_client.get(f"/trace/{own_lot.code}/").content.decode()
    assert "总皂苷" in page and "≥3.0 %" in page and "查看报告文件" in page


@pytest.mark.parametrize("name, content, message", [
    ("report.pdf", b"this is not a pdf at all", "只能是 PDF、PNG 或 JPEG"),
    ("report.png", b"GIF89a....", "只能是 PDF、PNG 或 JPEG"),
    ("report.pdf", PDF + b"0" * (10 * 1024 * 1024), "不能超过 10 MB"),
])
def test_report_file_is_checked_by_content_and_size(staff_client, own_lot, name, content, message):
    data = inspection_data(attachment=SimpleUploadedFile(name, content, content_type="application/pdf"))
    response = staff_client.post(f"/merchant/lots/{own_lot.code}/events/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="JL2025-0901"' in page  # nothing typed is lost
    assert own_lot.events.count() == 2


def test_png_and_jpeg_reports_are_accepted(own_lot, shop):
    import io

    from PIL import Image

    for name, kind in (("r.png", "PNG"), ("r.jpg", "JPEG")):
        content = io.BytesIO()
        Image.new("RGB", (20, 20)).save(content, kind)  # a real image: reports are decoded and re-encoded
        event = merchant_work.add_event(
            merchant=shop, lot=own_lot, kind="inspection", event_time=timezone.now(),
            responsible_party="检验院", attachment=SimpleUploadedFile(name, content.getvalue()),
        )
        assert event.attachment_sha256
    assert own_lot.events.count() == 4


def test_incomplete_test_row_is_an_error(staff_client, own_lot):
    response = staff_client.post(f"/merchant/lots/{own_lot.code}/events/new/",
                                 inspection_data(test_1_passed=""))
    assert response.status_code == 400
    assert "第2行检验项目" in response.content.decode()
    assert own_lot.events.count() == 2


def test_typed_fields_per_kind(staff_client, own_lot):
    page = staff_client.get(f"/merchant/lots/{own_lot.code}/events/new/?kind=quarantine").content.decode()
    assert "检疫证明编号" in page
    response = staff_client.post(f"/merchant/lots/{own_lot.code}/events/new/", {
        "kind": "processing", "event_time": "2025-09-02T09:00", "responsible_party": "合作社加工厂",
        "data_process": "红参", "data_input": "鲜参", "data_input_quantity": "100", "data_input_uom": "KGM",
        "data_output": "红参", "data_output_quantity": "30", "data_output_uom": "KGM",
    })
    assert response.status_code == 302
    assert response["Location"] == f"/merchant/lots/{own_lot.code}/"
    event = own_lot.events.order_by("-sequence").first()
    assert event.kind == "processing" and event.event_type == TraceEvent.TRANSFORMATION
    assert event.data == {"process": "红参", "input": "鲜参", "input_quantity": "100", "input_uom": "KGM",
                          "output": "红参", "output_quantity": "30", "output_uom": "KGM"}
    # Quantities are numbers with a unit chosen from the list, not free text.
    response = staff_client.post(f"/merchant/lots/{own_lot.code}/events/new/", {
        "kind": "processing", "event_time": "2025-09-02T09:00", "responsible_party": "合作社加工厂",
        "data_input_quantity": "100 千克"})
    assert response.status_code == 400 and "请填写数字" in response.content.decode()


def test_future_event_time_is_refused(staff_client, own_lot):
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = staff_client.post(f"/merchant/lots/{own_lot.code}/events/new/", inspection_data(event_time=future))
    assert response.status_code == 400
    assert "不能晚于现在" in response.content.decode()


def test_correct_an_event(staff_client, own_lot):
    wrong = own_lot.events.get(sequence=1)
    page = staff_client.get(f"/merchant/lots/{own_lot.code}/events/{wrong.pk}/correct/").content.decode()
    assert "长春市朝阳区" in page  # pre-filled with the event's values
    response = staff_client.post(f"/merchant/lots/{own_lot.code}/events/{wrong.pk}/correct/", {
        "kind": wrong.kind, "event_time": "2025-08-01T08:00", "location_name": "抚松县万良镇",
        "responsible_party": wrong.responsible_party, "data_quantity": "480", "correction_reason": "地点填错",
    })
    assert response.status_code == 302
    assert response["Location"] == f"/merchant/lots/{own_lot.code}/"
    correction = own_lot.events.order_by("-sequence").first()
    assert correction.corrects == wrong and correction.correction_reason == "地点填错"
    assert correction.location_name == "抚松县万良镇" and correction.data["quantity"] == "480"  # decimal text
    wrong.refresh_from_db()
    assert wrong.location_name == "长春市朝阳区"  # the original stays
    assert verify_chain(own_lot).intact


def test_correction_needs_a_reason(staff_client, own_lot):
    wrong = own_lot.events.get(sequence=1)
    response = staff_client.post(f"/merchant/lots/{own_lot.code}/events/{wrong.pk}/correct/", {
        "kind": wrong.kind, "event_time": "2025-08-01T08:00", "responsible_party": "x"})
    assert response.status_code == 400
    assert own_lot.events.count() == 2


def test_publish_commitment_creates_the_next_version_prefilled(staff_client, shop, staff):
    page = staff_client.get("/merchant/commitments/").content.decode()
    assert "所售商品均为正品" in page  # the last version's text, so nothing is typed twice
    response = staff_client.post("/merchant/commitments/", {
        "standards": "GB/T 19001-2016\nDB22/T 3343-2022", "quality_promise": "林下参参龄不少于15年。",
        "returns_promise": "未拆封七日无理由退货。", "after_sales_promise": "质量问题包退。",
        "contact_name": "刘社长", "contact_phone": "0439-6200001", "contact_hours": "每天 8:00–17:00",
    })
    assert response.status_code == 302
    assert response["Location"] == "/merchant/commitments/"
    latest = QualityCommitment.objects.filter(merchant=shop).order_by("-version").first()
    assert latest.version == 2 and latest.created_by == staff
    assert latest.standards == ["GB/T 19001-2016", "DB22/T 3343-2022"]
    assert merchant_work.commitment_in_force(merchant=shop) == latest


def test_publish_commitment_with_missing_fields_keeps_input(staff_client, shop):
    response = staff_client.post("/merchant/commitments/", {"quality_promise": "保证质量。", "contact_name": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "这一项必须填写" in page and "保证质量。" in page
    assert shop.quality_commitments.count() == 1


def test_label_sheet_has_n_labels(staff_client, own_lot):
    response = staff_client.get(f"/merchant/lots/{own_lot.code}/labels.svg", {"count": 7})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.count("扫码查看来源与检验") == 7
    assert svg.count(own_lot.code) >= 7 and "抚松生晒参" in svg
    assert f"/01/{own_lot.gtin}/10/{own_lot.lot_number}" in svg
    assert staff_client.get(f"/merchant/lots/{own_lot.code}/labels.svg", {"count": 99}).status_code == 400
    assert staff_client.get(f"/merchant/lots/{own_lot.code}/labels/").status_code == 200


@pytest.mark.parametrize("path", [
    "/merchant/lots/{code}/",
    "/merchant/lots/{code}/events/new/?kind=packing",
    "/merchant/lots/{code}/labels/",
    "/merchant/lots/{code}/labels.svg",
])
def test_another_merchants_lot_is_not_found(staff_client, rival_lot, path):
    assert staff_client.get(path.format(code=rival_lot.code)).status_code == 404


def test_cannot_add_or_correct_events_on_another_merchants_lot(staff_client, shop, rival_lot):
    event = rival_lot.events.first()
    assert staff_client.post(f"/merchant/lots/{rival_lot.code}/events/new/", inspection_data()).status_code == 404
    response = staff_client.post(f"/merchant/lots/{rival_lot.code}/events/{event.pk}/correct/", {
        "kind": event.kind, "event_time": "2025-08-01T08:00", "responsible_party": "x", "correction_reason": "y"})
    assert response.status_code == 404
    with pytest.raises(merchant_work.NotYourLot):
        merchant_work.add_event(merchant=shop, lot=rival_lot, kind="other", event_time=timezone.now(),
                                responsible_party="x")
    assert rival_lot.events.count() == 3


def test_event_of_another_lot_cannot_be_corrected_through_own_lot(staff_client, own_lot, ginseng):
    second = factories.lot(product_=ginseng, events=1)
    event = second.events.get()
    response = staff_client.post(f"/merchant/lots/{own_lot.code}/events/{event.pk}/correct/", {
        "kind": event.kind, "event_time": "2025-08-01T08:00", "responsible_party": "x", "correction_reason": "y"})
    assert response.status_code == 404
    assert own_lot.events.count() == 2 and second.events.count() == 1


def test_event_pages_render(staff_client, own_lot):
    page = staff_client.get(f"/merchant/lots/{own_lot.code}/events/new/").content.decode()
    assert "请选择要记录的环节" in page and "?kind=inspection" in page
    page = staff_client.get(f"/merchant/lots/{own_lot.code}/events/new/?kind=inspection").content.decode()
    assert "标准限值" in page and "检验报告文件" in page and 'enctype="multipart/form-data"' in page
    page = staff_client.get(f"/merchant/lots/{own_lot.code}/").content.decode()
    assert "更正这条记录" in page and "打印二维码标签" in page
