"""No sale without a current lot, an intact chain, a commitment in force and a live listing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import CatalogueListing
from tests import factories
from traceability import availability
from traceability.availability import sale_status
from traceability.models import Lot

pytestmark = pytest.mark.django_db


def _basket_quantity(client):
    response = client.get("/basket/")
    return response.context["basket"].num_items


def test_a_complete_product_can_be_bought(client):
    product = factories.sellable_product()
    client.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    assert _basket_quantity(client) == 2


def test_without_a_lot_the_product_cannot_be_bought(client):
    product = factories.product()
    factories.listing(product_=product)
    assert sale_status(product).reason == str(availability.REASON_NO_LOT)
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": 1}, follow=True)
    assert _basket_quantity(client) == 0
    assert str(availability.REASON_NO_LOT) in response.content.decode()


def test_without_a_commitment_in_force_the_product_cannot_be_bought():
    product = factories.product()
    partner = product.stockrecords.get().partner
    future = factories.commitment(partner=partner, effective_from=timezone.now() + timedelta(days=3))
    factories.lot(product_=product, commitment=future)
    assert sale_status(product).reason == str(availability.REASON_NO_COMMITMENT)


def test_a_broken_chain_stops_the_sale():
    product = factories.sellable_product()
    lot = product.lots.get()
    Lot.objects.filter(pk=lot.pk).update(chain_status=Lot.CHAIN_BROKEN)
    assert sale_status(product).reason == str(availability.REASON_CHAIN_BROKEN)


def test_an_expired_lot_is_not_sold():
    product = factories.sellable_product()
    Lot.objects.filter(product=product).update(expires_on=timezone.localdate() - timedelta(days=1))
    assert not sale_status(product).can_sell


def test_many_lots_cost_one_row_and_the_newest_sellable_lot_is_current(django_assert_num_queries, monkeypatch):
    """A product that has had many lots: the status reads its current lot alone, not every lot."""
    product = factories.sellable_product()
    older = product.lots.get()
    for days in range(2, 40):
        factories.lot(product_=product, events=1, produced_on=timezone.localdate() - timedelta(days=60 + days))
    newest = factories.lot(product_=product, events=1, produced_on=timezone.localdate() - timedelta(days=1))
    Lot.objects.filter(pk=newest.pk).update(quantity=0)  # sold out: the next newest takes over
    loaded = []
    real_from_db = Lot.from_db.__func__
    monkeypatch.setattr(Lot, "from_db", classmethod(lambda cls, *a: loaded.append(1) or real_from_db(cls, *a)))
    with django_assert_num_queries(2):
        status = sale_status(product)
    assert status.can_sell and status.lot.pk == older.pk and len(loaded) == 1
    Lot.objects.filter(product=product).update(quantity=0)
    assert sale_status(product).reason == str(availability.REASON_SOLD_OUT)


@pytest.mark.parametrize(
    "status,reason",
    [(CatalogueListing.SUSPENDED, availability.REASON_LISTING_SUSPENDED),
     (CatalogueListing.EXITED, availability.REASON_LISTING_EXITED)],
)
def test_listing_suspension_blocks_basket_add_and_reinstatement_restores_it(client, status, reason):
    product = factories.sellable_product()
    CatalogueListing.objects.filter(product=product).update(status=status)
    response = client.post(f"/basket/add/{product.pk}/", {"quantity": 1}, follow=True)
    assert _basket_quantity(client) == 0
    assert str(reason) in response.content.decode()

    CatalogueListing.objects.filter(product=product).update(status=CatalogueListing.LISTED)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    assert _basket_quantity(client) == 1


def test_suspension_after_basket_add_stops_checkout_and_reinstatement_restores_it(client):
    product = factories.sellable_product()
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    Lot.objects.filter(product=product).update(status=Lot.SUSPENDED)

    response = client.get("/checkout/preview/", follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].endswith("/basket/")
    assert str(availability.REASON_LOT_SUSPENDED) in response.content.decode()

    Lot.objects.filter(product=product).update(status=Lot.ACTIVE)
    response = client.get("/checkout/", follow=True)
    final_url = response.redirect_chain[-1][0] if response.redirect_chain else "/checkout/"
    assert final_url.startswith("/checkout/")
    assert str(availability.REASON_LOT_SUSPENDED) not in response.content.decode()


# Order placement records the lot and re-verifies its chain: tests/traceability/test_sale.py.


def test_sellable_answers_as_sale_status_in_every_state():
    """``sellable`` (the yes-or-no read listings use) agrees with ``sale_status_for`` product by
    product, whatever keeps a product off sale, in one query for all of them."""
    today = timezone.localdate()
    products = {"sellable": factories.sellable_product(), "no lot": factories.product()}
    for state in ["expired", "lot suspended", "lot recalled", "chain broken", "chain unverified",
                  "sold out", "listing suspended", "listing exited",
                  "newest sold out, older sells", "newest broken, older sells",
                  "newer lot from an uncommitted merchant"]:
        products[state] = factories.sellable_product()
    products["commitment not yet in force"] = factories.product()
    factories.lot(product_=products["commitment not yet in force"], commitment=factories.commitment(
        partner=products["commitment not yet in force"].stockrecords.get().partner,
        effective_from=timezone.now() + timedelta(days=2)))
    lots = {name: product.lots.get() for name, product in products.items() if name != "no lot"}
    Lot.objects.filter(pk=lots["expired"].pk).update(expires_on=today - timedelta(days=1))
    Lot.objects.filter(pk=lots["lot suspended"].pk).update(status=Lot.SUSPENDED)
    Lot.objects.filter(pk=lots["lot recalled"].pk).update(status=Lot.RECALLED)
    Lot.objects.filter(pk=lots["chain broken"].pk).update(chain_status=Lot.CHAIN_BROKEN)
    Lot.objects.filter(pk=lots["chain unverified"].pk).update(chain_status=Lot.CHAIN_UNVERIFIED)
    Lot.objects.filter(pk=lots["sold out"].pk).update(quantity=0)
    CatalogueListing.objects.filter(product=products["listing suspended"]).update(status=CatalogueListing.SUSPENDED)
    CatalogueListing.objects.filter(product=products["listing exited"]).update(status=CatalogueListing.EXITED)
    for name, change in [("newest sold out, older sells", {"quantity": 0}),
                         ("newest broken, older sells", {"chain_status": Lot.CHAIN_BROKEN})]:
        newer = factories.lot(product_=products[name], events=1, produced_on=today - timedelta(days=1))
        Lot.objects.filter(pk=newer.pk).update(**change)
    stranger = factories.merchant()
    future = factories.commitment(partner=stranger, effective_from=timezone.now() + timedelta(days=5))
    factories.lot(product_=products["newer lot from an uncommitted merchant"], partner=stranger,
                  commitment=future, events=1, produced_on=today - timedelta(days=1))

    ids = [product.pk for product in products.values()]
    statuses = availability.sale_status_for(ids)
    expected = {pk for pk in ids if statuses[pk].can_sell}
    assert expected == {products[name].pk for name in
                        ["sellable", "newest sold out, older sells", "newest broken, older sells"]}
    with CaptureQueriesContext(connection) as captured:
        assert availability.sellable(ids) == expected
    assert len(captured) == 1
    assert availability.sellable([]) == set()
