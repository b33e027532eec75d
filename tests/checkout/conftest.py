import pytest

from tests import factories


@pytest.fixture
def walker(settings):
    """A sellable walking frame, five units in its lot, with an 8 yuan delivery charge."""
    settings.SHIPPING_FLAT_CHARGE = "8.00"
    merchant = factories.merchant(name="长春康复辅具店")
    item = factories.product(merchant_=merchant, title="四脚助行器", price="199.00", product_class="mobility-aids")
    factories.listing(product_=item)
    factories.lot(product_=item, quantity=5)
    return item
