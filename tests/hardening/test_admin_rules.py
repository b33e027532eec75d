"""Class 9: the Django admin has no back door around the regulation services and their audit."""

import pytest
from django.test import Client

from catalog.models import CatalogueListing
from tests import factories
from traceability import regulation
from traceability.models import AuditEntry, Lot


@pytest.fixture
def admin_client(db):
    admin = factories.user()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    return client


def test_lot_status_cannot_be_edited_in_the_admin(admin_client):
    product = factories.sellable_product()
    lot = product.lots.get()
    regulation.recall_lot(lot=lot, reason="抽检不合格", actor=None)
    page = admin_client.get(f"/django-admin/traceability/lot/{lot.pk}/change/")
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    admin_client.post(f"/django-admin/traceability/lot/{lot.pk}/change/", {"status": Lot.ACTIVE, "status_reason": "x"})
    assert Lot.objects.get(pk=lot.pk).status == Lot.RECALLED
    assert admin_client.get("/django-admin/traceability/lot/add/").status_code == 403


def test_admin_actions_ask_for_a_reason_and_write_the_audit_entry(admin_client):
    lot = factories.sellable_product().lots.get()
    url = "/django-admin/traceability/lot/"
    ask = admin_client.post(url, {"action": "suspend", "_selected_action": [lot.pk]})
    assert ask.status_code == 200
    assert "原因" in ask.content.decode()
    assert Lot.objects.get(pk=lot.pk).status == Lot.ACTIVE
    empty = admin_client.post(url, {"action": "suspend", "_selected_action": [lot.pk], "apply_reason": "1", "reason": " "})
    assert "请填写原因" in empty.content.decode()
    assert Lot.objects.get(pk=lot.pk).status == Lot.ACTIVE
    admin_client.post(url, {"action": "recall", "_selected_action": [lot.pk], "apply_reason": "1", "reason": "抽检不合格"})
    assert Lot.objects.get(pk=lot.pk).status == Lot.RECALLED
    entry = AuditEntry.objects.get(action=regulation.RECALL_LOT)
    assert entry.reason == "抽检不合格"
    # A recalled lot cannot be put back on sale through the admin either.
    response = admin_client.post(url, {"action": "reinstate", "_selected_action": [lot.pk], "apply_reason": "1",
                                       "reason": "想恢复"}, follow=True)
    assert Lot.objects.get(pk=lot.pk).status == Lot.RECALLED
    assert "不能执行这个操作" in response.content.decode()


def test_listing_status_goes_through_the_service(admin_client):
    product = factories.sellable_product()
    listing = product.catalogue_listings.get()
    page = admin_client.get(f"/django-admin/catalogue/cataloguelisting/{listing.pk}/change/").content.decode()
    assert 'name="status"' not in page
    admin_client.post("/django-admin/catalogue/cataloguelisting/", {
        "action": "exit_catalogue", "_selected_action": [listing.pk], "apply_reason": "1", "reason": "动态退出"})
    assert CatalogueListing.objects.get(pk=listing.pk).status == CatalogueListing.EXITED
    assert AuditEntry.objects.filter(action=regulation.EXIT_LISTING, reason="动态退出").exists()


def test_commitment_version_is_numbered_by_the_service(admin_client):
    partner = factories.merchant()
    factories.commitment(partner=partner)
    page = admin_client.get("/django-admin/traceability/qualitycommitment/add/").content.decode()
    assert 'name="version"' not in page
    admin_client.post("/django-admin/traceability/qualitycommitment/add/", {
        "merchant": partner.pk, "standards": '["GB/T 1"]', "quality_promise": "正品", "returns_promise": "七天",
        "after_sales_promise": "一年", "contact_name": "张", "contact_phone": "0431-88880000",
        "effective_from_0": "2026-01-01", "effective_from_1": "00:00:00"})
    assert list(partner.quality_commitments.values_list("version", flat=True).order_by("version")) == [1, 2]
