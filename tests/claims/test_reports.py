"""Shopper reports: the form, the status a shopper sees, and the regulators' queue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from marketplace.claims import reports
from marketplace.claims.models import ShopperReport
from marketplace.claims.views import SESSION_KEY
from tests.claims.conftest import png_bytes


def _url(product):
    return f"/catalogue/{product.pk}/report/"


@pytest.mark.django_db
def test_a_guest_reports_with_a_phone_number_and_follows_the_status(world):
    client = Client()
    page = client.get(_url(world.product_a))
    assert page.status_code == 200 and "甲的助行器" in page.content.decode()
    response = client.post(_url(world.product_a), {
        "kind": "claim", "details": "商品页说能治好关节炎", "contact_phone": "１３８ １２３４ ５６７８"})
    report = ShopperReport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/reports/{report.access_token}/")
    assert (report.product, report.kind, report.reporter, report.contact_phone, report.status) == (
        world.product_a, "claim", None, "13812345678", ShopperReport.RECEIVED)
    status = client.get(response["Location"]).content.decode()
    assert report.reference in status and "已收到，等待处理" in status
    assert report.reference in client.get("/reports/").content.decode()
    # Another browser does not see it in its list.
    assert report.reference not in Client().get("/reports/").content.decode()


@pytest.mark.django_db
def test_a_guest_without_a_phone_number_is_asked_for_one_and_keeps_what_was_typed(world):
    client = Client()
    response = client.post(_url(world.product_a), {"kind": "quality", "details": "收到的助行器脚垫裂了"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有登录时，请留下手机号码" in html and "收到的助行器脚垫裂了" in html
    assert not ShopperReport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data, message", [
    ({"details": "x", "contact_phone": "13812345678"}, "请选择是哪一类问题"),
    ({"kind": "claim", "details": "  ", "contact_phone": "13812345678"}, "请写一写哪里不对"),
    ({"kind": "claim", "details": "x", "contact_phone": "12345"}, "手机号码应是 1 开头的 11 位数字"),
    ({"kind": "rumour", "details": "x", "contact_phone": "13812345678"}, "rumour"),
])
def test_bad_input_gets_a_plain_message_and_no_report(world, data, message):
    response = Client().post(_url(world.product_a), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ShopperReport.objects.exists()


@pytest.mark.django_db
def test_a_logged_in_shopper_sees_their_reports_on_their_account_page(world):
    shopper = world.client_for("shopper")
    shopper.post(_url(world.product_b), {"kind": "quality", "details": "血压计读数不准"})
    report = ShopperReport.objects.get()
    assert report.reporter == world.users["shopper"] and report.contact_phone == ""
    assert report.reference in shopper.get("/reports/").content.decode()
    assert report.reference not in world.client_for("family_member").get("/reports/").content.decode()


@pytest.mark.django_db
def test_the_photo_passes_the_upload_checks_and_loses_its_exif(world):
    photo = SimpleUploadedFile("phone.jpg", png_bytes(exif=True), content_type="image/jpeg")
    Client().post(_url(world.product_a), {"kind": "quality", "details": "发霉", "contact_phone": "13812345678",
                                          "photo": photo})
    report = ShopperReport.objects.get()
    assert not report.photo.name.endswith("phone.jpg")
    with report.photo.open("rb") as stored, Image.open(stored) as image:
        assert not image.getexif()


@pytest.mark.django_db
@pytest.mark.parametrize("content, name", [
    (b"%!PS-Adobe not an image", "photo.jpg"),
    (png_bytes()[:60], "truncated.png"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg"),
])
def test_a_bad_photo_is_refused_in_plain_words_and_nothing_is_saved(world, content, name):
    response = Client().post(_url(world.product_a), {
        "kind": "quality", "details": "发霉", "contact_phone": "13812345678",
        "photo": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert "照片" in response.content.decode()
    assert not ShopperReport.objects.exists()


@pytest.mark.django_db
def test_a_huge_photo_is_refused(world, settings):
    from marketplace import uploads

    big = png_bytes(size=(3000, 3000))
    with pytest.raises(Exception) as error:
        uploads.clean_upload(SimpleUploadedFile("big.png", big), kinds=uploads.IMAGE_KINDS, max_pixels=1_000_000,
                             purpose=reports.PHOTO_PURPOSE)
    assert "照片图片太大" in str(error.value)


@pytest.mark.django_db
def test_the_regulator_changes_the_status_with_a_note_the_shopper_sees(world):
    guest = Client()
    guest.post(_url(world.product_a), {"kind": "claim", "details": "说能根治", "contact_phone": "13812345678"})
    report = ShopperReport.objects.get()
    regulator = world.client_for("regulator")
    queue = regulator.get("/regulator/reports/?status=open").content.decode()
    assert report.reference in queue
    detail = regulator.get(f"/regulator/reports/{report.pk}/").content.decode()
    assert "说能根治" in detail and "13812345678" in detail and world.partner_a.display_name in detail
    response = regulator.post(f"/regulator/reports/{report.pk}/", {"status": "resolved", "note": "已责令商家删除"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "resolved"
    change = report.changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("received", "resolved",
                                                                         world.users["regulator"])
    status = guest.get(f"/reports/{report.access_token}/").content.decode()
    assert "已处理" in status and "已责令商家删除" in status
    assert report.reference not in regulator.get("/regulator/reports/?status=open").content.decode()


@pytest.mark.django_db
def test_a_status_change_needs_a_note(world):
    report = reports.submit_report(product=world.product_a, kind="claim", details="x", contact_phone="13812345678")
    response = world.client_for("regulator").post(f"/regulator/reports/{report.pk}/", {"status": "resolved",
                                                                                         "note": " "})
    assert response.status_code == 200 and "请写明处理说明" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "received" and not report.changes.exists()


@pytest.mark.django_db
def test_reports_per_day_are_limited(world):
    for n in range(reports.MAX_REPORTS_PER_DAY):
        reports.submit_report(product=world.product_a, kind="claim", details=f"第{n}条", contact_phone="13812345678")
    with pytest.raises(Exception) as error:
        reports.submit_report(product=world.product_a, kind="claim", details="再一条", contact_phone="13812345678")
    assert "12315" in str(error.value)
    assert ShopperReport.objects.count() == reports.MAX_REPORTS_PER_DAY
    # Another number is not held back.
    reports.submit_report(product=world.product_a, kind="claim", details="x", contact_phone="13912345678")


@pytest.mark.django_db
def test_an_unknown_status_link_is_not_found(world):
    assert Client().get("/reports/not-a-token/").status_code == 404
    assert Client().get("/catalogue/999999/report/").status_code == 404


@pytest.mark.django_db
def test_session_remembers_guest_reports(world):
    client = Client()
    client.post(_url(world.product_a), {"kind": "claim", "details": "x", "contact_phone": "13812345678"})
    assert client.session[SESSION_KEY] == [ShopperReport.objects.get().reference]
