"""The checkout benchmark's shopper really buys over HTTP (against Django's live server)."""

from urllib.parse import urlparse

import pytest
from oscar.core.loading import get_model

from marketplace.bench import checkout
from tests import factories

Order = get_model("order", "Order")


@pytest.fixture
def shop(live_server, settings):
    """The live server's host and port, and a cane with 500 units to sell there."""
    factories.reference_data()
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    item = factories.product(title="手杖")
    factories.listing(product_=item)
    factories.lot(product_=item, quantity=500)
    url = urlparse(live_server.url)
    return url.hostname, url.port, {item.pk: item.get_absolute_url()}


@pytest.mark.django_db(transaction=True)
def test_shoppers_place_orders_and_every_step_is_timed(shop):
    host, port, products = shop
    steps, placed = checkout.run_checkout(host, port, products, concurrency=1, duration=2.0)
    assert placed >= 1
    assert Order.objects.count() == placed
    assert all(result.errors == 0 for result in steps.values()), {k: v.error_samples for k, v in steps.items()}
    assert steps["checkout: place order"].requests == placed
    text = checkout.markdown(steps, placed, {}, [], clients=16)
    assert f"{placed} orders placed" in text and "| checkout: address |" in text


def test_the_mixed_run_compares_wrk_p95_alone_and_while_selling():
    from marketplace.bench.wrk import WrkResult

    alone = {"product": WrkResult(rps=600, requests=3000, percentiles_ms={95: 40.0}, statuses={200: 3000})}
    mixed = {"product": WrkResult(rps=450, requests=2250, percentiles_ms={95: 58.0}, statuses={200: 2249, 500: 1})}
    run = checkout.MixedRun("4 clients place 2 orders/s", mixed, placed=30, seconds=12.0, client_cpu=0.125)
    text = checkout.markdown({}, 0, alone, [run], clients=16)
    assert "| product | 16 | 600 | 450 | 40 | 58 | 1.45× | 1 |" in text
    assert ("while 4 clients place 2 orders/s (30 orders placed meanwhile, 2.5 orders/s, the buyers' client "
            "using 0.12 of the cores)") in text
    assert "product while 4 clients place 2 orders/s: {200: 2249, 500: 1}" in text
    # Measured just before the mixed run, alone is the baseline, not the page table's figure.
    paired = checkout.MixedRun("4 clients place 2 orders/s", mixed, placed=30, seconds=12.0, alone={
        "product": WrkResult(rps=500, requests=2500, percentiles_ms={95: 50.0}, statuses={200: 2500})})
    assert "| product | 16 | 500 | 450 | 50 | 58 | 1.16× | 1 |" in checkout.markdown({}, 0, alone, [paired], clients=16)


@pytest.mark.django_db(transaction=True)
def test_paced_shoppers_start_orders_on_schedule_not_as_fast_as_they_can(shop):
    host, port, products = shop
    # One shopper: on SQLite the live server's threads share one in-memory connection, so
    # concurrent requests would interleave their transactions.
    _, paced = checkout.run_checkout(host, port, products, concurrency=1, duration=4.0, orders_per_second=0.5)
    _, free = checkout.run_checkout(host, port, products, concurrency=1, duration=4.0)
    assert 1 <= paced <= 2  # orders start at 0 s and 2 s; the next would start at 4 s, at the end
    assert free > 2


@pytest.mark.django_db(transaction=True)
def test_the_mixed_run_times_each_page_alone_then_while_orders_are_placed(postgres, shop):
    """Against the live server (PostgreSQL: the buyers and wrk's clients are concurrent)."""
    from marketplace.bench import wrk
    from tests.conftest import need

    need(wrk.available(), "wrk is not installed (make test installs Debian's package)")
    host, port, products = shop
    run = checkout.run_mixed(host, port, products, {"product": next(iter(products.values()))},
                             label="1 client places 1 order/s", browsers=2, buyers=1, duration=2.0,
                             orders_per_second=1.0)
    alone, mixed = run.alone["product"], run.pages["product"]
    assert alone.requests > 0 and mixed.requests > 0
    assert alone.errors(frozenset({200})) == 0 and mixed.errors(frozenset({200})) == 0
    assert run.placed >= 1 and Order.objects.count() == run.placed  # placed only while mixed
    assert 3.0 <= run.seconds < 10  # the buying ran for the mixed half only


@pytest.mark.django_db
def test_in_process_times_every_request_of_each_purchase_with_its_sql(settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    factories.reference_data()
    item = factories.sellable_product(title="手杖")
    item.lots.update(quantity=10)
    timings = checkout.in_process({item.pk: item.get_absolute_url()}, orders=2)
    assert list(timings) == [step for step, *_ in checkout.walk(item.pk, item.get_absolute_url())]
    assert all(len(times) == len(counts) == 2 for times, counts in timings.values())
    assert all(count > 0 for count in timings["checkout: place order"][1])
    assert Order.objects.count() == 3  # the warm-up purchase and the two timed
    assert item.lots.get().quantity == 7
