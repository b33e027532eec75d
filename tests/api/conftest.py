"""A world with two merchants, a two-merchant order, and a token for every role.

Every role's token carries every scope, so the permission tests prove that the endpoint
checks the caller's role at request time and not only the token's scopes.
"""

from decimal import Decimal

import pytest
from django.test import Client

from marketplace import roles
from marketplace.api import tokens
from marketplace.api.models import ApiToken
from marketplace.checkout.placement import place_order
from marketplace.checkout.shipping import courier
from marketplace.claims.models import ShopperReport
from tests import factories

ROLES = ["anonymous", "shopper", "family", "merchant_a", "merchant_b", "regulator", "cms_editor", "platform_admin"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_token(user, scopes=tuple(tokens.SCOPES), name="测试") -> str:
    """A token with any scopes, bypassing issue_token's role check (as if the role was later lost)."""
    secret = tokens.PREFIX + f"test-{user.pk}-{ApiToken.objects.count()}-" + "x" * 30
    ApiToken.objects.create(user=user, name=name, prefix=secret[:10], secret_sha256=tokens.secret_digest(secret),
                            scopes=list(scopes))
    return secret


class World:
    def __init__(self):
        self.partner_a = factories.merchant(name="甲商家")
        self.partner_b = factories.merchant(name="乙商家")
        self.product_a = factories.product(merchant_=self.partner_a, title="甲的人参", product_class="ginseng",
                                           price=Decimal("300.00"))
        self.product_b = factories.product(merchant_=self.partner_b, title="乙的手杖", price=Decimal("80.00"))
        for item in (self.product_a, self.product_b):
            factories.listing(product_=item)
        self.lot_a = factories.lot(product_=self.product_a, quantity=10)
        self.lot_b = factories.lot(product_=self.product_b, quantity=10)
        self.listing_a = self.product_a.catalogue_listings.get()
        self.shopper = factories.user(role=roles.SHOPPER)
        order = place_order(basket=factories.basket(items=[(self.product_a, 1), (self.product_b, 1)],
                                                    owner=self.shopper),
                            user=self.shopper, shipping_address=factories.shipping_address(),
                            shipping_method=courier(), payment_method="cod")
        self.order = order
        self.line_a = order.lines.get(product=self.product_a)
        self.line_b = order.lines.get(product=self.product_b)
        self.lot_a.refresh_from_db()
        self.lot_b.refresh_from_db()
        self.users = {
            "anonymous": None,
            "shopper": self.shopper,
            "family": factories.user(role=roles.FAMILY),
            "merchant_a": factories.merchant_staff(self.partner_a),
            "merchant_b": factories.merchant_staff(self.partner_b),
            "regulator": factories.user(role=roles.REGULATOR),
            "cms_editor": factories.user(role=roles.EDITOR),
            "platform_admin": factories.user(role=roles.PLATFORM_ADMIN),
        }
        self.report = ShopperReport.objects.create(product=self.product_a, kind=ShopperReport.CLAIM,
                                                   details="页面说能治高血压", reporter=self.shopper)
        self.secrets = {role: make_token(user) for role, user in self.users.items() if user is not None}

    def client(self, role) -> Client:
        if role == "anonymous":
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {self.secrets[role]}")


@pytest.fixture
def world(db):
    return World()
