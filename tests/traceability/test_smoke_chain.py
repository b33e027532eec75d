import pytest

from tests import factories
from traceability.availability import sale_status
from traceability.chain import verify_chain


@pytest.mark.django_db
def test_a_sellable_product_has_an_intact_chain_and_can_be_sold():
    product = factories.sellable_product()
    lot = product.lots.get()
    assert verify_chain(lot).intact
    assert verify_chain(lot).events_checked == 3
    status = sale_status(product)
    assert status.can_sell, status.reason
    assert status.lot == lot
