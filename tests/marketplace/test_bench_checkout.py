"""The checkout benchmark's shopper really buys over HTTP (against Django's live server)."""

from urllib.parse import urlparse

import pytest
from oscar.core.loading import get_model

from marketplace.bench import checkout
from tests import factories

Order = get_model("order", "Order")


@pytest.mark.django_db(transaction=True)
def test_shoppers_place_orders_and_every_step_is_timed(live_server, settings):
    factories.reference_data()
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    item = factories.sellable_product(title="手杖")
    url = urlparse(live_server.url)
    steps, placed = checkout.run_checkout(url.hostname, url.port, {item.pk: item.get_absolute_url()},
                                          concurrency=1, duration=2.0)
    assert placed >= 1
    assert Order.objects.count() == placed
    assert all(result.errors == 0 for result in steps.values()), {k: v.error_samples for k, v in steps.items()}
    assert steps["checkout: place order"].requests == placed
    text = checkout.markdown(steps, placed, {}, {}, 0, buyers=0)
    assert f"{placed} orders placed" in text and "| checkout: address |" in text
