"""Duplicate deliveries at the same moment, on PostgreSQL with real transactions and threads."""

import threading

import pytest
from django.db import connections
from django.test import Client
from oscar.core.loading import get_model

from marketplace.payments.models import StripeCheckout, StripeEvent
from tests.payments.conftest import deliver, place_stripe_order
from tests.payments.test_webhooks import _open

Order = get_model("order", "Order")
Transaction = get_model("payment", "Transaction")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _deliver_all(events, copies):
    barrier = threading.Barrier(len(events) * copies)
    answers = []

    def worker(event):
        try:
            barrier.wait()
            answers.append(deliver(Client(), event).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(event,)) for event in events for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers


def test_concurrent_duplicates_pay_once(postgres, stripe_on):
    order, product = place_stripe_order(quantity=2)
    _, checkout, _ = _open(order, stripe_on)
    event = stripe_on.event("checkout.session.completed", stripe_on.complete(checkout.session_id))
    assert _deliver_all([event], 6) == [200] * 6
    assert Order.objects.get(pk=order.pk).status == "待发货"
    assert Transaction.objects.filter(source__order=order, txn_type="Debit").count() == 1
    record = StripeEvent.objects.get(event_id=event["id"])
    assert (record.outcome, record.deliveries) == ("paid", 6)
    assert product.lots.get().quantity == 98


def test_concurrent_expiry_and_payment_never_lose_the_money(postgres, stripe_on):
    order, product = place_stripe_order(quantity=2)
    _, checkout, _ = _open(order, stripe_on)
    expired = stripe_on.event("checkout.session.expired", dict(stripe_on.sessions[checkout.session_id],
                                                                status="expired"))
    completed = stripe_on.event("checkout.session.completed", stripe_on.complete(checkout.session_id))
    assert _deliver_all([expired, completed], 3) == [200] * 6
    order.refresh_from_db()
    # Whichever came first, the paid order ends up awaiting shipment with its units taken once.
    assert order.status == "待发货"
    assert product.lots.get().quantity == 98
    assert Transaction.objects.filter(source__order=order, txn_type="Debit").count() == 1
    assert StripeEvent.objects.filter(processed_at__isnull=False).count() == 2
    assert StripeCheckout.objects.get(order=order).payment_status == "paid"
