"""traceability.sale: one truth for stock, locked allocation, idempotent release."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from oscar.core.loading import get_model

from marketplace.checkout.placement import place_order
from marketplace.checkout.shipping import courier
from tests import factories
from tests.traceability.test_chain import TABLE, triggers_off
from traceability import sale
from traceability.models import Lot

StockRecord = get_model("partner", "StockRecord")
Line = get_model("order", "Line")


def _sellable(quantity, **kwargs):
    item = factories.product(**kwargs)
    factories.listing(product_=item)
    batch = factories.lot(product_=item, quantity=quantity)
    return item, batch


def _place(cart, user=None):
    return place_order(basket=cart, user=user, shipping_address=factories.shipping_address(),
                       shipping_method=courier(), payment_method="cod")


@pytest.mark.django_db
def test_placing_takes_units_from_the_lot_and_records_it_on_the_line():
    item, batch = _sellable(5)
    order = _place(factories.basket(items=[(item, 2)]))
    line = order.lines.get()
    batch.refresh_from_db()
    assert line.lot_id == batch.pk
    assert batch.quantity == 3
    assert StockRecord.objects.get(product=item).num_in_stock == 3
    assert order.status == "待发货"


@pytest.mark.django_db
def test_more_than_the_lot_holds_is_refused_in_plain_words_and_nothing_changes():
    item, batch = _sellable(3, title="手杖")
    with pytest.raises(sale.NotAllocated) as refused:
        _place(factories.basket(items=[(item, 4)]))
    assert "现在只剩 3 件" in refused.value.message
    batch.refresh_from_db()
    assert batch.quantity == 3
    assert not Line.objects.exists()


@pytest.mark.django_db
def test_a_sold_out_lot_gives_the_sold_out_message():
    item, batch = _sellable(1, title="助行器")
    cart = factories.basket(items=[(item, 1)])
    _place(factories.basket(items=[(item, 1)]))
    with pytest.raises(sale.NotAllocated) as refused:
        _place(cart)
    assert refused.value.message == "很抱歉，“助行器”已经卖完了。请把它从购物车中删除后再下单。"
    assert sale.check(product_ids=[item.pk])[item.pk].reason == "该商品已经卖完了。"


@pytest.mark.django_db
def test_the_next_lot_becomes_current_when_the_first_is_sold_out():
    item, newer = _sellable(1)
    older = factories.lot(product_=item, quantity=5, produced_on=timezone.localdate() - timedelta(days=200))
    first = _place(factories.basket(items=[(item, 1)]))
    second = _place(factories.basket(items=[(item, 2)]))
    assert first.lines.get().lot_id == newer.pk
    assert second.lines.get().lot_id == older.pk
    assert StockRecord.objects.get(product=item).num_in_stock == 3


@pytest.mark.django_db
def test_suspended_lot_stops_placement():
    item, batch = _sellable(5)
    cart = factories.basket(items=[(item, 1)])
    Lot.objects.filter(pk=batch.pk).update(status=Lot.SUSPENDED)
    with pytest.raises(sale.NotAllocated) as refused:
        _place(cart)
    assert "暂停销售" in refused.value.message


@pytest.mark.django_db
def test_release_gives_units_back_exactly_once():
    item, batch = _sellable(5)
    order = _place(factories.basket(items=[(item, 2)]))
    sale.release_order(order=order)
    sale.release_order(order=order)
    sale.release(line=order.lines.get())
    batch.refresh_from_db()
    assert batch.quantity == 5
    assert StockRecord.objects.get(product=item).num_in_stock == 5
    assert order.lines.get().lot_released_at is not None


@pytest.mark.django_db
def test_allocation_refuses_a_broken_chain_found_at_placement():
    item, batch = _sellable(5)
    cart = factories.basket(items=[(item, 1)])
    with triggers_off() as cursor:  # tamper behind the ORM's back, as an attacker could
        cursor.execute(f"UPDATE {TABLE} SET responsible_party = 'forged' WHERE lot_id = %s", [batch.pk])
    with pytest.raises(sale.NotAllocated) as refused:
        _place(cart)
    assert "未通过完整性校验" in refused.value.message
    batch.refresh_from_db()
    assert batch.chain_status == Lot.CHAIN_BROKEN
    assert batch.quantity == 5


@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_race_for_ten_units(postgres):
    factories.reference_data()
    item, batch = _sellable(10, title="血压计")
    carts = [factories.basket(items=[(item, 1)]) for _ in range(50)]
    barrier = threading.Barrier(50)
    sold, refused, errors = [], [], []

    def buy(cart):
        try:
            barrier.wait()
            sold.append(_place(cart).number)
        except sale.NotAllocated as error:
            refused.append(error.message)
        except Exception as error:  # noqa: BLE001 - reported below
            import traceback

            errors.append(repr(error) + traceback.format_exc()[-1500:])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buy, args=(cart,)) for cart in carts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(sold) == 10
    assert Line.objects.filter(product=item).count() == 10
    batch.refresh_from_db()
    assert batch.quantity == 0
    assert len(refused) == 40
    assert set(refused) == {"很抱歉，“血压计”已经卖完了。请把它从购物车中删除后再下单。"}
    assert StockRecord.objects.get(product=item).num_in_stock == 0

    order = get_model("order", "Order").objects.get(number=sold[0])
    sale.release_order(order=order)
    sale.release_order(order=order)
    batch.refresh_from_db()
    assert batch.quantity == 1
