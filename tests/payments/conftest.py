import json

import pytest

from tests import factories
from tests.payments.stripe_standin import StripeStandin, sign

WEBHOOK_SECRET = "whsec_test_standin"
WEBHOOK_PATH = "/checkout/stripe/webhook/"


@pytest.fixture
def stripe_standin():
    standin = StripeStandin().start()
    yield standin
    standin.stop()


@pytest.fixture
def stripe_on(settings, stripe_standin):
    settings.STRIPE_SECRET_KEY = stripe_standin.api_key
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_standin"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = stripe_standin.url
    settings.STRIPE_PAYMENT_METHODS = ["card", "alipay", "wechat_pay"]
    return stripe_standin


def deliver(client, event: dict, *, secret: str = WEBHOOK_SECRET, signature: str | None = None):
    """POST an event to the webhook, signed as Stripe signs it."""
    payload = json.dumps(event)
    header = signature if signature is not None else sign(payload, secret)
    return client.post(WEBHOOK_PATH, data=payload, content_type="application/json",
                       HTTP_STRIPE_SIGNATURE=header)


def place_stripe_order(*, product=None, quantity=2, user=None, price="88.80"):
    """A 待付款 Stripe order with its units allocated, as checkout leaves it before the redirect."""
    from decimal import Decimal

    from marketplace.checkout.placement import place_order
    from marketplace.checkout.shipping import courier

    product = product or factories.sellable_product(price=Decimal(price))
    buyer = user or factories.user()
    cart = factories.basket(items=[(product, quantity)], owner=buyer)
    order = place_order(basket=cart, user=buyer, shipping_address=factories.shipping_address(),
                        shipping_method=courier(), payment_method="stripe")
    return order, product
