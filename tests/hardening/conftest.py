"""A small world for the hardening tests: every role, two merchants, products, lots, pages."""

import pytest
from django.test import Client

from marketplace import roles
from tests import factories

ROLES = ["anonymous", "shopper", "family_member", "merchant_a", "merchant_b", "regulator", "cms_editor",
         "platform_admin"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    def __init__(self):
        self.partner_a = factories.merchant(name="甲商家")
        self.partner_b = factories.merchant(name="乙商家")
        self.category = factories.category(name="康复辅具", name_en="Mobility")
        self.product_a = factories.sellable_product(merchant_=self.partner_a, title="甲的助行器",
                                                    category=self.category)
        self.lot_a = self.product_a.lots.get()
        self.event_a = self.lot_a.events.get(sequence=1)
        self.listing_a = self.product_a.catalogue_listings.get()
        self.product_b = factories.sellable_product(merchant_=self.partner_b, title="乙的血压计")
        self.lot_b = self.product_b.lots.get()
        self.home = factories.home_pages(category_slug=self.category.slug)
        editor = factories.user(role=roles.EDITOR)
        editor.is_staff = True  # as the demo editor has it: staff must still not open the back offices
        editor.save()
        admin = factories.user(role=roles.PLATFORM_ADMIN)
        admin.is_staff = admin.is_superuser = True
        admin.save()
        self.users = {
            "anonymous": None,
            "shopper": factories.user(role=roles.SHOPPER),
            "family_member": factories.user(role=roles.FAMILY),
            "merchant_a": factories.merchant_staff(self.partner_a),
            "merchant_b": factories.merchant_staff(self.partner_b),
            "regulator": factories.user(role=roles.REGULATOR),
            "cms_editor": editor,
            "platform_admin": admin,
        }

    def client_for(self, role: str) -> Client:
        client = Client(raise_request_exception=False)
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client


@pytest.fixture
def world(db):
    return World()
