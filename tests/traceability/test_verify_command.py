import io

import pytest
from django.core.management import CommandError, call_command

from tests import factories
from traceability import verification
from traceability.models import Lot


def run(*arguments):
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_traceability", *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def lots(db):
    product = factories.product()
    return factories.lot(product_=product, events=3), factories.lot(product_=product, events=4)


def test_intact_chains_exit_zero_and_are_recorded(lots):
    Lot.objects.update(chain_status=Lot.CHAIN_UNVERIFIED)
    out, err = run()
    assert "已校验 2 个批次、7 个事件：2 个完整，0 个已损坏" in out
    assert err == ""
    assert set(Lot.objects.values_list("chain_status", flat=True)) == {Lot.CHAIN_INTACT}


def test_a_broken_chain_exits_non_zero_naming_lot_event_and_problem(lots):
    first, second = lots
    Lot.objects.filter(pk=second.pk).update(gtin="06900000000020")
    second.refresh_from_db()
    event = second.events.get(sequence=1)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 个批次") as raised:
        call_command("verify_traceability", stdout=out, stderr=err)
    assert raised.value.returncode == 1
    assert f"批次 {second.code}：第1个事件（编号 {event.pk}）" in err.getvalue()
    assert "事件内容与存储的哈希不一致" in err.getvalue()
    assert "1 个完整，1 个已损坏" in out.getvalue()
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.chain_status, second.chain_status) == (Lot.CHAIN_INTACT, Lot.CHAIN_BROKEN)
    assert second.chain_problem.startswith("第1个事件：")


def test_one_lot_only(lots):
    first, second = lots
    Lot.objects.filter(pk=second.pk).update(lot_number="OTHER")
    out, _err = run("--lot", first.code)
    assert "已校验 1 个批次、3 个事件：1 个完整" in out


def test_an_unknown_lot_exits_with_two(lots):
    with pytest.raises(CommandError, match="找不到以下批次：06900000000013-NOPE") as raised:
        run("--lot", "06900000000013-NOPE")
    assert raised.value.returncode == 2


def test_batched_recording_matches_record_verification(lots):
    """verify_all stores what chain.record_verification would."""
    from traceability import chain

    first, second = lots
    Lot.objects.filter(pk=second.pk).update(lot_number="OTHER")
    second.refresh_from_db()
    verification.verify_all()
    stored = Lot.objects.get(pk=second.pk)
    chain.verify_and_record(second)
    second.refresh_from_db()
    assert (stored.chain_status, stored.chain_problem) == (second.chain_status, second.chain_problem)
