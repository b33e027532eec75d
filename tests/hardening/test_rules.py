"""Classes 4, 10, 11, 13: borrowed GTINs, plausible dates and sizes, awaiting lots, headers, the key file."""

import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tests import factories
from traceability import merchant_work
from traceability.models import Lot


@pytest.fixture
def shops(db):
    a, b = factories.merchant(name="甲"), factories.merchant(name="乙")
    factories.commitment(partner=a)
    factories.commitment(partner=b)
    return a, b, factories.product(merchant_=a), factories.product(merchant_=b)


def _lot(merchant, product, **overrides):
    fields = {"gtin": product.upc, "lot_number": "L-1", "produced_on": date.today() - timedelta(days=3),
              "quantity": 10}
    fields.update(overrides)
    return merchant_work.create_lot(merchant=merchant, product=product, **fields)


def test_a_merchant_cannot_make_lots_under_another_merchants_gtin(shops):
    a, b, product_a, product_b = shops
    # B adds a stock record for A's product (as a reseller might) and tries to squat its lot numbers.
    from oscar.core.loading import get_model

    get_model("partner", "StockRecord").objects.create(product=product_a, partner=b, partner_sku="B-1", price=1)
    with pytest.raises(ValidationError) as error:
        _lot(b, product_a)
    assert "厂商识别代码" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        _lot(a, product_a, gtin=product_b.upc)
    assert "不一致" in error.value.messages[0]
    lot = _lot(a, product_a, gtin="０" + product_a.upc[1:].translate(str.maketrans("0123456789", "０１２３４５６７８９")),
               lot_number="l-1")
    assert (lot.gtin, lot.lot_number) == (product_a.upc, "L-1")
    with pytest.raises(ValidationError):
        _lot(a, product_a, lot_number="L-1")  # the same lot number, spelled differently, is a duplicate


@pytest.mark.parametrize("overrides, message", [
    ({"produced_on": date(1, 1, 1)}, "太早"),
    ({"produced_on": date(9999, 12, 31)}, "不能晚于今天"),
    ({"expires_on": date(9999, 12, 31)}, "30 年"),
    ({"quantity": 2**31}, "数量不能超过"),
    ({"quantity": -1}, "数量至少为 1"),
])
def test_service_refuses_implausible_dates_and_quantities(shops, overrides, message):
    a, _, product_a, _ = shops
    with pytest.raises(ValidationError) as error:
        _lot(a, product_a, **overrides)
    assert message in error.value.messages[0]


def test_event_time_in_the_future_or_year_one_is_refused_by_the_service(shops):
    from datetime import UTC, datetime

    a, _, product_a, _ = shops
    lot = _lot(a, product_a)
    for when in (datetime(1, 1, 2, tzinfo=UTC), datetime(9999, 12, 30, tzinfo=UTC)):
        with pytest.raises(ValidationError):
            merchant_work.add_event(merchant=a, lot=lot, kind="packing", event_time=when, responsible_party="x")


def test_a_new_lot_awaits_its_records_and_raises_no_alarm(shops, capsys):
    a, _, product_a, _ = shops
    lot = _lot(a, product_a)
    call_command("verify_traceability")  # raises CommandError (non-zero exit) on an alarm
    out = capsys.readouterr().out
    assert "1 个待录入" in out
    assert lot.code in out
    assert Lot.objects.get(pk=lot.pk).chain_status == Lot.CHAIN_AWAITING
    assert Lot.objects.get(pk=lot.pk).get_chain_status_display() == "待录入"


@pytest.mark.django_db
def test_security_headers_on_the_storefront_and_relaxed_policy_only_for_admins(client):
    page = client.get("/accounts/login/")
    policy = page["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                      "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-inline" in client.get("/cms/login/")["Content-Security-Policy"]
    assert page["X-Content-Type-Options"] == "nosniff"


def test_hsts_on_in_production_off_in_demo():
    code = "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)"
    base = {"DJANGO_SETTINGS_MODULE": "marketplace.settings", "SECRET_KEY": "x", "PATH": "/usr/bin:/bin"}
    prod = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code],
                          env=base, capture_output=True, text=True, check=True)
    demo = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code],
                          env={**base, "DEMO_MODE": "true"}, capture_output=True, text=True, check=True)
    assert int(prod.stdout.strip()) >= 31536000
    assert demo.stdout.strip() == "0"


def test_settings_read_the_secret_key_file_that_make_run_writes(tmp_path):
    (tmp_path / "secret_key").write_text("from-the-file\n")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"],
        env={"DJANGO_SETTINGS_MODULE": "marketplace.settings", "VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "from-the-file"
