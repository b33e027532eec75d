import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from oscar.apps.partner.strategy import Default
from oscar.core.loading import get_model
from oscar.test.factories import ShippingAddressFactory, create_order

from catalog.models import CatalogueListing
from tests import factories
from traceability import regulation
from traceability.availability import REASON_LISTING_EXITED, REASON_LISTING_SUSPENDED, REASON_LOT_SUSPENDED
from traceability.models import AuditEntry, Lot, TraceEvent

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")


@pytest.fixture
def regulator():
    return factories.user(role="regulator", email="inspector@amr.jl.gov.cn")


@pytest.fixture
def regulator_client(client, regulator):
    client.force_login(regulator)
    return client


@pytest.fixture
def product():
    return factories.sellable_product(title="电子血压计")


@pytest.fixture
def lot(product):
    return product.lots.get()


def basket_add(client, product):
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    return response, messages


def basket_quantity(shopper, product) -> int:
    basket = Basket.objects.filter(owner=shopper).first()
    return basket.product_quantity(product) if basket else 0


@pytest.fixture
def shopper_client(product):
    from django.test import Client

    shopper = factories.user(role="shopper")
    client = Client()
    client.force_login(shopper)
    client.shopper = shopper
    return client


def test_the_product_can_be_bought_before_any_action(shopper_client, product):
    basket_add(shopper_client, product)
    assert basket_quantity(shopper_client.shopper, product) == 1


def test_suspending_a_listing_blocks_basket_add_and_reinstating_restores(regulator_client, shopper_client,
                                                                         product, lot, regulator):
    listing = product.catalogue_listings.get()
    url = f"/regulator/lots/{lot.code}/listing/"
    response = regulator_client.post(url, {"listing": listing.pk, "action": "suspend", "reason": "抽检不合格"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.status == CatalogueListing.SUSPENDED and listing.status_reason == "抽检不合格"
    entry = AuditEntry.objects.get(action=regulation.SUSPEND_LISTING)
    assert (entry.actor, entry.target_id, entry.reason) == (regulator, str(listing.pk), "抽检不合格")

    response, messages = basket_add(shopper_client, product)
    assert basket_quantity(shopper_client.shopper, product) == 0
    assert any(str(REASON_LISTING_SUSPENDED) in message for message in messages)

    response = regulator_client.post(url, {"listing": listing.pk, "action": "reinstate", "reason": "复检合格"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=regulation.REINSTATE_LISTING, reason="复检合格").exists()
    basket_add(shopper_client, product)
    assert basket_quantity(shopper_client.shopper, product) == 1


def test_exiting_a_listing_blocks_with_its_own_reason(regulator_client, shopper_client, product, lot):
    listing = product.catalogue_listings.get()
    regulator_client.post(f"/regulator/lots/{lot.code}/listing/",
                          {"listing": listing.pk, "action": "exit", "reason": "不再符合目录条件"})
    listing.refresh_from_db()
    assert listing.status == CatalogueListing.EXITED
    _, messages = basket_add(shopper_client, product)
    assert basket_quantity(shopper_client.shopper, product) == 0
    assert any(str(REASON_LISTING_EXITED) in message for message in messages)
    assert AuditEntry.objects.filter(action=regulation.EXIT_LISTING).count() == 1


def test_suspending_a_lot_blocks_basket_add_and_reinstating_restores(regulator_client, shopper_client,
                                                                     product, lot):
    url = f"/regulator/lots/{lot.code}/status/"
    assert regulator_client.post(url, {"action": "suspend", "reason": "待复检"}).status_code == 302
    lot.refresh_from_db()
    assert lot.status == Lot.SUSPENDED and lot.status_reason == "待复检" and lot.status_changed_at
    _, messages = basket_add(shopper_client, product)
    assert basket_quantity(shopper_client.shopper, product) == 0
    assert any(str(REASON_LOT_SUSPENDED) in message for message in messages)

    assert regulator_client.post(url, {"action": "reinstate", "reason": "复检合格"}).status_code == 302
    lot.refresh_from_db()
    assert lot.status == Lot.ACTIVE
    basket_add(shopper_client, product)
    assert basket_quantity(shopper_client.shopper, product) == 1
    assert list(AuditEntry.objects.order_by("at").values_list("action", flat=True)) == [
        regulation.SUSPEND_LOT, regulation.REINSTATE_LOT]


def test_actions_without_a_reason_change_nothing(regulator_client, product, lot):
    listing = product.catalogue_listings.get()
    response = regulator_client.post(f"/regulator/lots/{lot.code}/status/", {"action": "suspend", "reason": "  "})
    assert response.status_code == 400
    assert "请填写原因" in response.content.decode()
    response = regulator_client.post(f"/regulator/lots/{lot.code}/listing/", {"listing": listing.pk, "action": "exit"})
    assert response.status_code == 400
    response = regulator_client.post(f"/regulator/lots/{lot.code}/recall/", {"reason": ""})
    assert response.status_code == 400
    lot.refresh_from_db()
    listing.refresh_from_db()
    assert lot.status == Lot.ACTIVE and listing.status == CatalogueListing.LISTED
    assert not AuditEntry.objects.exists()


def test_a_listing_of_another_product_cannot_be_changed_through_this_lot(regulator_client, lot):
    other = factories.sellable_product().catalogue_listings.get()
    response = regulator_client.post(f"/regulator/lots/{lot.code}/listing/",
                                     {"listing": other.pk, "action": "suspend", "reason": "试图越权"})
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.status == CatalogueListing.LISTED


def _order_for(lot, *, user, first_name, phone, number, quantity=2):
    basket = Basket.objects.create(owner=user)
    basket.strategy = Default()
    basket.add_product(lot.product, quantity=quantity)
    address = ShippingAddressFactory(first_name=first_name, last_name="", phone_number=phone)
    order = create_order(number=number, basket=basket, user=user, shipping_address=address)
    order.lines.update(lot=lot)
    return order


def test_recall_lists_the_orders_and_customers_who_bought_from_the_lot(regulator_client, lot, regulator):
    buyer = factories.user(role="shopper", email="wang.laoshi@example.com")
    other_buyer = factories.user(role="shopper", email="li@example.com")
    bought = _order_for(lot, user=buyer, first_name="王老师", phone="+8613912345678", number="SM-RECALL-001",
                        quantity=3)
    other_lot = factories.lot(product_=factories.product())
    elsewhere = _order_for(other_lot, user=other_buyer, first_name="李阿姨", phone="+8613800000000", number="SM-OTHER-002")

    response = regulator_client.post(f"/regulator/lots/{lot.code}/recall/", {"reason": "菌落总数超标"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/regulator/lots/{lot.code}/orders/")
    lot.refresh_from_db()
    assert lot.status == Lot.RECALLED and lot.status_reason == "菌落总数超标"
    entry = AuditEntry.objects.get(action=regulation.RECALL_LOT)
    assert entry.actor == regulator and entry.target_id == str(lot.pk)

    page = regulator_client.get(response["Location"]).content.decode()
    assert bought.number in page
    assert "王老师" in page and "wang.laoshi@example.com" in page and "13912345678" in page
    assert ">3</td>" in page
    assert elsewhere.number not in page and "李阿姨" not in page


def test_recall_service_returns_affected_lines_and_cannot_be_reinstated(lot, regulator):
    buyer = factories.user(role="shopper")
    order = _order_for(lot, user=buyer, first_name="张大爷", phone="+8613700000000", number="SM-RECALL-003")
    lines = regulation.recall_lot(lot=lot, reason="标签错误", actor=regulator)
    assert [line.order_id for line in lines] == [order.pk]
    with pytest.raises(ValidationError):
        regulation.reinstate_lot(lot=lot, reason="误操作", actor=regulator)
    lot.refresh_from_db()
    assert lot.status == Lot.RECALLED


def _tamper(lot):
    last = lot.events.order_by("-sequence").first()
    TraceEvent.objects.bulk_create([TraceEvent(
        lot=lot, sequence=last.sequence + 1, kind="other", event_type=TraceEvent.OBJECT, action="OBSERVE",
        biz_step="other", event_time=timezone.now(), responsible_party="?", previous_hash=last.hash, hash="0" * 63 + "1",
    )])


def test_verify_button_shows_the_result_and_records_it(regulator_client, lot, regulator):
    response = regulator_client.post(f"/regulator/lots/{lot.code}/verify/")
    assert response.status_code == 200
    assert "记录完整，未被修改" in response.content.decode()
    _tamper(lot)
    response = regulator_client.post(f"/regulator/lots/{lot.code}/verify/")
    assert "第 4 个事件有问题" in response.content.decode()
    lot.refresh_from_db()
    assert lot.chain_status == Lot.CHAIN_BROKEN
    entries = AuditEntry.objects.filter(action=regulation.VERIFY_LOT).order_by("at")
    assert [e.details["intact"] for e in entries] == [True, False]
    assert entries.last().actor == regulator


def test_verify_all_checks_every_lot_and_names_broken_ones(regulator_client, lot):
    good = factories.lot(product_=factories.product())
    _tamper(lot)
    response = regulator_client.post("/regulator/verify-all/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "共校验 2 个批次，1 个未通过" in page
    assert lot.code in page and good.code not in page
    entry = AuditEntry.objects.get(action=regulation.VERIFY_ALL)
    assert entry.details["broken"] == [lot.code]
    lot.refresh_from_db()
    assert lot.chain_status == Lot.CHAIN_BROKEN


def test_lot_search_filters(regulator_client, lot):
    other = factories.lot(product_=factories.product(title="助行器"), produced_on=date.today() - timedelta(days=400))
    page = regulator_client.get("/regulator/lots/", {"product": "血压"}).content.decode()
    assert lot.code in page and other.code not in page
    page = regulator_client.get("/regulator/lots/", {"gtin": other.gtin[1:]}).content.decode()
    assert other.code in page and lot.code not in page
    page = regulator_client.get("/regulator/lots/", {"merchant": other.merchant.pk}).content.decode()
    assert other.code in page and lot.code not in page
    response = regulator_client.get("/regulator/lots/", {"gtin": "123"})
    assert response.status_code == 200
    assert "GTIN" in response.content.decode() and lot.code not in response.content.decode()


def test_find_lots_by_every_criterion(lot, regulator):
    old = factories.lot(product_=factories.product(title="拐杖"), produced_on=date(2024, 1, 10))
    regulation.suspend_lot(lot=old, reason="待查", actor=regulator)
    assert list(regulation.find_lots(merchant=lot.merchant)) == [lot]
    assert list(regulation.find_lots(product="拐杖")) == [old]
    assert list(regulation.find_lots(product=lot.product)) == [lot]
    assert list(regulation.find_lots(gtin=lot.gtin)) == [lot]
    assert list(regulation.find_lots(lot_number=old.lot_number.lower())) == [old]
    assert list(regulation.find_lots(date_from=date(2024, 1, 1), date_to=date(2024, 1, 31))) == [old]
    assert list(regulation.find_lots(status=Lot.SUSPENDED)) == [old]
    assert set(regulation.find_lots()) == {lot, old}


def test_audit_page_lists_entries(regulator_client, lot, regulator):
    regulation.suspend_lot(lot=lot, reason="群众举报", actor=regulator)
    page = regulator_client.get("/regulator/audit/").content.decode()
    assert "暂停批次销售" in page and "群众举报" in page and regulator.email in page and lot.code in page


def test_csv_export_downloads_the_filtered_lots_and_is_audited(regulator_client, lot, regulator):
    other = factories.lot(product_=factories.product(title="轮椅"))
    response = regulator_client.get("/regulator/export.csv", {"product": "血压"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    codes = {row[0] for row in rows[1:]}
    assert codes == {lot.code}
    assert len(rows) - 1 == lot.events.count()
    assert other.code not in text
    entry = AuditEntry.objects.get(action=regulation.EXPORT_CSV)
    assert entry.actor == regulator and entry.details["count"] == 1


def test_jsonld_export_validates_against_the_epcis_schema(regulator_client, lot, epcis_validator):
    factories.lot(product_=factories.product())
    response = regulator_client.get("/regulator/export.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    errors = [error.message for error in epcis_validator.iter_errors(document)]
    assert errors == []
    assert document["type"] == "EPCISDocument"
    assert len(document["epcisBody"]["eventList"]) == 6
    assert AuditEntry.objects.filter(action=regulation.EXPORT_JSONLD).count() == 1


def test_export_with_bad_filter_is_refused(regulator_client, lot):
    response = regulator_client.get("/regulator/export.csv", {"gtin": "12345678901234"})
    assert response.status_code == 400
    assert "校验位" in response.content.decode()
    assert not AuditEntry.objects.exists()
