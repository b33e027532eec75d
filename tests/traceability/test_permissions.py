"""Who may do what: every role against every protected traceability action.

Each case checks the answer (allowed: 200/302; anonymous: 302 to the login page; denied:
403, or 404 for another merchant's lot) and whether the action's side effect happened.
"""

from datetime import date, timedelta

import pytest
from django.test import Client

from catalog.models import CatalogueListing
from marketplace import roles
from tests import factories
from traceability import regulation
from traceability.models import AuditEntry, Lot, QualityCommitment

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Eight users per case: the default password hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


ROLES = ["anonymous", "shopper", "family", "merchant_a", "merchant_b", "regulator", "cms_editor", "platform_admin"]


class World:
    def __init__(self):
        self.partner_a = factories.merchant(name="甲商家")
        self.partner_b = factories.merchant(name="乙商家")
        self.product_a = factories.sellable_product(merchant_=self.partner_a, title="甲的人参")
        self.lot_a = self.product_a.lots.get()
        self.event_a = self.lot_a.events.get(sequence=1)
        self.listing_a = self.product_a.catalogue_listings.get()
        factories.commitment(partner=self.partner_b)
        self.lot_b = factories.lot(product_=factories.product(merchant_=self.partner_b))
        self.users = {
            "anonymous": None,
            "shopper": factories.user(role=roles.SHOPPER),
            "family": factories.user(role=roles.FAMILY),
            "merchant_a": factories.merchant_staff(self.partner_a),
            "merchant_b": factories.merchant_staff(self.partner_b),
            "regulator": factories.user(role=roles.REGULATOR),
            "cms_editor": factories.user(role=roles.EDITOR),
            "platform_admin": factories.user(role=roles.PLATFORM_ADMIN),
        }

    def client_for(self, role):
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client


def _audit(action):
    return lambda w: AuditEntry.objects.filter(action=action).exists()


def _lot_status(status):
    return lambda w: Lot.objects.get(pk=w.lot_a.pk).status == status


def _a_commitments(w):
    return QualityCommitment.objects.filter(merchant=w.partner_a).count() > 1


# name: (method, path, data, side effect that must happen only when allowed)
ACTIONS = {
    "regulator_lots": ("get", lambda w: "/regulator/lots/", None, None),
    "regulator_lot": ("get", lambda w: f"/regulator/lots/{w.lot_a.code}/", None, None),
    "regulator_orders": ("get", lambda w: f"/regulator/lots/{w.lot_a.code}/orders/", None, None),
    "regulator_audit": ("get", lambda w: "/regulator/audit/", None, None),
    "export_csv": ("get", lambda w: "/regulator/export.csv", None, _audit(regulation.EXPORT_CSV)),
    "export_jsonld": ("get", lambda w: "/regulator/export.jsonld", None, _audit(regulation.EXPORT_JSONLD)),
    "verify": ("post", lambda w: f"/regulator/lots/{w.lot_a.code}/verify/", {}, _audit(regulation.VERIFY_LOT)),
    "verify_all": ("post", lambda w: "/regulator/verify-all/", {}, _audit(regulation.VERIFY_ALL)),
    "suspend_lot": ("post", lambda w: f"/regulator/lots/{w.lot_a.code}/status/",
                    {"action": "suspend", "reason": "抽检"}, _lot_status(Lot.SUSPENDED)),
    "suspend_listing": ("post", lambda w: f"/regulator/lots/{w.lot_a.code}/listing/",
                        lambda w: {"listing": w.listing_a.pk, "action": "exit", "reason": "退出"},
                        lambda w: CatalogueListing.objects.get(pk=w.listing_a.pk).status == CatalogueListing.EXITED),
    "recall": ("post", lambda w: f"/regulator/lots/{w.lot_a.code}/recall/", {"reason": "召回"},
               _lot_status(Lot.RECALLED)),
    "merchant_lots": ("get", lambda w: "/merchant/lots/", None, None),
    "merchant_lot": ("get", lambda w: f"/merchant/lots/{w.lot_a.code}/", None, None),
    "create_lot": ("post", lambda w: "/merchant/lots/new/", lambda w: {
        "product": w.product_a.pk, "gtin": w.product_a.upc, "lot_number": "MATRIX-1",
        "produced_on": (date.today() - timedelta(days=1)).isoformat(), "quantity": "5"},
        lambda w: Lot.objects.filter(lot_number="MATRIX-1").exists()),
    "add_event": ("post", lambda w: f"/merchant/lots/{w.lot_a.code}/events/new/", {
        "kind": "packing", "event_time": "2025-09-01T10:00", "responsible_party": "包装车间"},
        lambda w: w.lot_a.events.count() == 4),
    "correct_event": ("post", lambda w: f"/merchant/lots/{w.lot_a.code}/events/{w.event_a.pk}/correct/",
                      lambda w: {"kind": w.event_a.kind, "event_time": "2025-09-01T10:00",
                                 "responsible_party": "甲", "correction_reason": "时间填错"},
                      lambda w: w.lot_a.events.filter(corrects=w.event_a).exists()),
    "publish_commitment": ("post", lambda w: "/merchant/commitments/", {
        "quality_promise": "保证", "returns_promise": "七日退货", "after_sales_promise": "保修",
        "contact_name": "张", "contact_phone": "0431-1"}, _a_commitments),
    "label_page": ("get", lambda w: f"/merchant/lots/{w.lot_a.code}/labels/", None, None),
    "label_sheet": ("get", lambda w: f"/merchant/lots/{w.lot_a.code}/labels.svg", None, None),
}

REGULATOR_ACTIONS = [name for name in ACTIONS if name.startswith(("regulator", "export", "verify", "suspend", "recall"))]
MERCHANT_ACTIONS = [name for name in ACTIONS if name not in REGULATOR_ACTIONS]
# Merchant B's own list and own commitment page work, but never reach merchant A's data.
B_ALLOWED_OWN = {"merchant_lots", "publish_commitment"}


def expected(role: str, action: str):
    """(answer, side effect happens)."""
    if role == "anonymous":
        return "login", False
    if action in REGULATOR_ACTIONS:
        return ("ok", True) if role in ("regulator", "platform_admin") else (403, False)
    if role == "merchant_a":
        return "ok", True
    if role == "merchant_b":
        if action in B_ALLOWED_OWN:
            return "ok", False
        return (400, False) if action == "create_lot" else (404, False)
    return 403, False


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, action):
    world = World()
    method, path, data, effect = ACTIONS[action]
    url = path(world)
    data = data(world) if callable(data) else data
    client = world.client_for(role)
    response = client.post(url, data or {}) if method == "post" else client.get(url)
    answer, happens = expected(role, action)
    if answer == "ok":
        assert response.status_code in (200, 302), response.content[:500]
        if response.status_code == 302:
            # A successful POST lands back in the console or workspace it came from.
            assert response["Location"].startswith(("/regulator/", "/merchant/", "/trace/")), response["Location"]
    elif answer == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == answer
    if effect is not None:
        assert effect(world) is happens
    if role == "merchant_b" and action == "merchant_lots":
        page = response.content.decode()
        assert world.lot_b.code in page and world.lot_a.code not in page
