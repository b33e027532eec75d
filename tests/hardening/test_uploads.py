"""Class 1: an upload can never become a page on our origin, leak a position, or exhaust memory."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from marketplace import uploads
from tests import factories
from traceability import merchant_work

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def png_bytes(size=(40, 30), exif=None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    image.save(out, "PNG", **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (43.0, 52.0, 0.0), 3: "E", 4: (125.0, 19.0, 0.0)}  # GPS IFD: 长春
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def pixel_bomb_png(width=20000, height=20000) -> bytes:
    """A tiny file whose header claims 20000×20000 pixels (400 million)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")


POLYGLOTS = {
    "pdf_header_html_named_html": ("report.html", b"%PDF-1.4\n" + HTML),
    "pdf_header_html_with_eof": ("report.pdf", b"%PDF-1.4\n" + HTML + b"\n%%EOF\n"),
    "pdf_with_javascript": ("report.pdf", b"%PDF-1.4\n1 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n%%EOF\n"),
    "png_header_svg_named_svg": ("chart.svg", b"\x89PNG\r\n\x1a\n" + b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "html": ("report.html", HTML),
    "svg": ("report.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "gif": ("report.gif", b"GIF89a" + b"\0" * 50),
    "truncated_png": ("report.png", png_bytes((400, 300))[:120]),
    "pixel_bomb": ("bomb.png", pixel_bomb_png()),
    "empty": ("report.pdf", b""),
}


@pytest.mark.parametrize("name", POLYGLOTS)
def test_hostile_files_are_refused_in_plain_words(name):
    filename, content = POLYGLOTS[name]
    with pytest.raises(ValidationError) as error:
        uploads.clean_upload(SimpleUploadedFile(filename, content, content_type="application/pdf"),
                             kinds=uploads.REPORT_KINDS, purpose="报告")
    message = " ".join(error.value.messages)
    assert any(word in message for word in ("只能是", "网页或脚本", "不是完整的 PDF", "损坏或不完整", "太大", "空的"))


def test_oversize_file_is_refused_before_it_is_read():
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (uploads.REPORT_MAX_BYTES + 1))
    with pytest.raises(ValidationError) as error:
        uploads.clean_upload(upload, kinds=uploads.REPORT_KINDS, purpose="报告")
    assert "不能超过 10 MB" in error.value.messages[0]


def test_gps_exif_is_stripped_and_the_name_is_the_servers():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the fixture does carry GPS
    cleaned = uploads.clean_upload(SimpleUploadedFile("../../家里.jpg.html", original), kinds=uploads.IMAGE_KINDS)
    assert cleaned.name.endswith(".jpg") and "/" not in cleaned.name and "html" not in cleaned.name
    reread = Image.open(io.BytesIO(cleaned.read()))
    assert reread.format == "JPEG"
    assert not reread.getexif().get_ifd(0x8825)
    assert 0x010F not in reread.getexif()


def test_png_exif_is_stripped():
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (43.0, 52.0, 0.0)}
    cleaned = uploads.clean_upload(SimpleUploadedFile("a.png", png_bytes(exif=exif)), kinds=uploads.IMAGE_KINDS)
    assert cleaned.name.endswith(".png")
    assert not Image.open(io.BytesIO(cleaned.read())).getexif()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["pdf_header_html_named_html", "png_header_svg_named_svg", "pixel_bomb", "truncated_png"])
def test_merchant_report_upload_refuses_polyglots_and_keeps_what_was_typed(name):
    partner = factories.merchant()
    product = factories.sellable_product(merchant_=partner)
    lot = product.lots.get()
    client = Client()
    client.force_login(factories.merchant_staff(partner))
    filename, content = POLYGLOTS[name]
    before = lot.events.count()
    response = client.post(f"/merchant/lots/{lot.code}/events/new/", {
        "kind": "inspection", "event_time": "2025-09-01T10:30", "responsible_party": "吉林省产品质量监督检验院",
        "data_report_number": "JL2025-0901", "attachment": SimpleUploadedFile(filename, content),
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="JL2025-0901"' in page
    assert lot.events.count() == before


@pytest.mark.django_db
def test_stored_report_is_server_named_and_served_as_an_attachment(settings):
    partner = factories.merchant()
    lot = factories.sellable_product(merchant_=partner).lots.get()
    event = merchant_work.add_event(
        merchant=partner, lot=lot, kind="inspection", event_time=timezone.now(), responsible_party="检验院",
        attachment=SimpleUploadedFile("report.html", PDF, content_type="text/html"),
    )
    assert event.attachment.name.endswith(".pdf")
    assert "report" not in event.attachment.name.rsplit("/", 1)[-1]
    response = Client().get(event.attachment.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.django_db
@pytest.mark.parametrize("stored_name", ["old/report.html", "old/x.svg", "old/page.htm", "old/a.pdf"])
def test_files_stored_before_the_rules_are_never_served_as_html(settings, stored_name):
    path = settings.MEDIA_ROOT / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4\n" + HTML)
    response = Client().get(f"/media/{stored_name}")
    assert response.status_code == 200
    assert "html" not in response["Content-Type"] and "svg" not in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_wagtail_and_size_settings_are_in_place(settings):
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE <= 10 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS <= 40_000_000
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == []
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024


@pytest.mark.django_db
def test_wagtail_document_form_checks_content():
    from wagtail.documents.forms import get_document_form
    from wagtail.documents.models import Document
    from wagtail.models import Collection

    Collection.get_first_root_node() or Collection.add_root(name="Root")
    form_class = get_document_form(Document)
    root = Collection.get_first_root_node()
    bad = form_class({"title": "坏文件", "collection": root.pk},
                     {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n" + HTML)})
    assert not bad.is_valid()
    assert "网页或脚本" in str(bad.errors) or "不是完整的 PDF" in str(bad.errors)
    good = form_class({"title": "检验报告", "collection": root.pk}, {"file": SimpleUploadedFile("x.pdf", PDF)})
    assert good.is_valid(), good.errors


@pytest.mark.django_db
def test_dashboard_product_image_is_re_encoded():
    product = factories.product()
    from oscar.core.loading import get_model

    ProductImage = get_model("catalogue", "ProductImage")
    image = ProductImage(product=product, original=SimpleUploadedFile("me.jpg", jpeg_with_gps()))
    image.full_clean()
    image.save()
    assert image.original.name.endswith(".jpg") and "me" not in image.original.name.rsplit("/", 1)[-1]
    with image.original.open("rb") as stored:
        assert not Image.open(stored).getexif().get_ifd(0x8825)
    with pytest.raises(ValidationError):
        ProductImage(product=product, original=SimpleUploadedFile("x.svg", POLYGLOTS["svg"][1])).full_clean()
