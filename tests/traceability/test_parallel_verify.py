"""The whole-database verifier's two-process path, on a table big enough to take it."""

import pytest
from django.db import connection

from traceability import verification
from traceability.management.commands.bench_traceability import Command as BenchTraceability
from traceability.models import Lot, TraceEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_processes_agree_with_one_and_find_a_rewrite_in_the_second_half(postgres):
    BenchTraceability().generate(verification.PARALLEL_THRESHOLD, 100)
    lots = list(Lot.objects.order_by("pk").values_list("pk", "gtin", "lot_number"))
    assert verification._can_fork(2, whole_table=True) is not None  # big enough to share out

    # A database owner rewrites one event's data in a lot that the second process checks.
    victim = lots[len(lots) * 3 // 4]
    event = TraceEvent.objects.filter(lot_id=victim[0], sequence=7).values_list("id", flat=True).get()
    table = TraceEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute(f"UPDATE {table} SET responsible_party = 'someone else' WHERE id = %s", [event])
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")

    parallel = verification.verify_all(workers=2)
    serial = verification._verify_lots(lots)
    assert parallel == serial
    assert len(parallel) == len(lots)
    broken = [report for report in parallel if not report.intact]
    assert [(report.lot_code, report.broken_sequence) for report in broken] == [(f"{victim[1]}-{victim[2]}", 7)]
    assert sum(report.events_checked for report in parallel if report.intact) == (len(lots) - 1) * 100
    # The results were recorded: only the victim is marked broken.
    assert list(Lot.objects.filter(chain_status=Lot.CHAIN_BROKEN).values_list("pk", flat=True)) == [victim[0]]
