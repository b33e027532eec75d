"""Sales, unchanged verifications and trace events do not throw away every cached page."""

import pytest

from marketplace import storefront_cache
from marketplace.checkout.placement import place_order
from marketplace.checkout.shipping import courier
from tests import factories
from traceability import chain
from traceability.verification import verify_all


def _sell(item, quantity):
    return place_order(basket=factories.basket(items=[(item, quantity)]), user=None,
                       shipping_address=factories.shipping_address(), shipping_method=courier(),
                       payment_method="cod")


@pytest.mark.django_db(transaction=True)
def test_a_sale_bumps_only_its_product_until_it_sells_out():
    factories.reference_data()
    item = factories.sellable_product(title="手杖")
    other = factories.sellable_product(title="助行器")
    item.lots.update(quantity=3)
    storefront_cache._local.update(version=None, until=0.0)
    before, mine, theirs = storefront_cache.version(), storefront_cache.product_version(item.pk), \
        storefront_cache.product_version(other.pk)
    _sell(item, 1)
    storefront_cache._local.update(version=None, until=0.0)
    assert storefront_cache.version() == before
    assert storefront_cache.product_version(item.pk) != mine
    assert storefront_cache.product_version(other.pk) == theirs
    _sell(item, 2)  # the last units: the product stops selling, and listings show that
    storefront_cache._local.update(version=None, until=0.0)
    assert storefront_cache.version() != before


@pytest.mark.django_db(transaction=True)
def test_emptying_a_lot_when_another_takes_over_keeps_the_listings():
    from datetime import date, timedelta

    from traceability.models import Lot

    factories.reference_data()
    item = factories.sellable_product(title="手杖")
    older = item.lots.get()
    newer = factories.lot(product_=item, quantity=1, produced_on=date.today() - timedelta(days=10))
    storefront_cache._local.update(version=None, until=0.0)
    before, mine = storefront_cache.version(), storefront_cache.product_version(item.pk)
    order = _sell(item, 1)  # the newer lot's last unit: the older lot is current now
    assert order.lines.get().lot_id == newer.pk and Lot.objects.get(pk=newer.pk).quantity == 0
    storefront_cache._local.update(version=None, until=0.0)
    assert storefront_cache.version() == before
    assert storefront_cache.product_version(item.pk) != mine
    assert _sell(item, 1).lines.get().lot_id == older.pk


@pytest.mark.django_db(transaction=True)
def test_a_verification_that_finds_nothing_new_keeps_the_cache():
    factories.reference_data()
    item = factories.sellable_product()
    lot = item.lots.get()
    verify_all([lot.code])
    chain.verify_and_record(lot)
    storefront_cache._local.update(version=None, until=0.0)
    before = storefront_cache.version()
    verify_all([lot.code])
    chain.verify_and_record(lot)
    storefront_cache._local.update(version=None, until=0.0)
    assert storefront_cache.version() == before
    lot.refresh_from_db()
    assert lot.chain_checked_at is not None
