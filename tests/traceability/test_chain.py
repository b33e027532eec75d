"""Tamper detection: change any stored value of any event and the chain names the change.

The columns come from the database itself, so a column added later is covered (and
this test fails until the hash covers it).
"""

import contextlib
import json
import uuid
from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from tests import factories
from traceability import chain, verification
from traceability.gtin import make_gtin14
from traceability.models import Lot, TraceEvent

TABLE = TraceEvent._meta.db_table
GLN = "6901234000017"


@contextlib.contextmanager
def triggers_off():
    """Let raw SQL past the append-only triggers, as an attacker with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            try:
                yield cursor
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            triggers = cursor.fetchall()
            assert triggers, "the append-only triggers are missing"
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
            try:
                yield cursor
            finally:
                for _name, sql in triggers:
                    cursor.execute(sql)


def set_column(column: str, value, where_id) -> None:
    quoted = connection.ops.quote_name(column)
    with triggers_off() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET {quoted} = %s WHERE id = %s", [value, where_id])
        assert cursor.rowcount == 1


def stored_columns() -> list[str]:
    with connection.cursor() as cursor:
        return [column.name for column in connection.introspection.get_table_description(cursor, TABLE)]


def raw_rows(columns: list[str]) -> list[dict]:
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {TABLE} ORDER BY lot_id, sequence")
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def build_lots():
    """Two lots whose events between them use every kind of stored value."""
    actor = factories.user()
    product = factories.product(product_class="ginseng") if _has_class("ginseng") else factories.product()
    lot = factories.lot(product_=product, events=5)
    first = lot.events.get(sequence=1)
    start = timezone.now() - timedelta(days=5)
    chain.record_event(
        lot=lot, kind="inspection", event_time=start, responsible_party="吉林省产品质量监督检验院",
        location_gln=GLN, location_name="长春市", county="朝阳区", disposition="conformant",
        data={"tests": [{"item": "总皂苷", "value": 3.4, "limit": "≥3.0", "unit": "%", "passed": True}],
              "report_number": "JL-2025-0001"},
        attachment=ContentFile(b"%PDF-1.4 inspection report", name="report.pdf"), actor=actor,
    )
    chain.record_event(
        lot=lot, kind="manufacture", event_time=start + timedelta(hours=1), responsible_party="商家",
        data={"note": "更正生产日期"}, corrects=first, correction_reason="incorrect_data", actor=actor,
    )
    other = factories.lot(product_=product, events=0)
    chain.record_event(lot=other, kind="harvest", event_time=start, responsible_party="抚松县参农合作社",
                       county="抚松县", location_name="万良镇", data={"harvest_date": "2025-09-20"})
    chain.record_event(lot=other, kind="processing", event_time=start + timedelta(days=1),
                       responsible_party="加工厂", location_gln=GLN,
                       data={"input_quantity": 50, "input_uom": "KGM", "output_quantity": 15, "output_uom": "KGM"})
    chain.record_event(lot=other, kind="shipping", event_time=start + timedelta(days=2), responsible_party="物流")
    spare = factories.lot(product_=product, events=0)
    return [lot, other], spare, actor


def _has_class(slug):
    from oscar.core.loading import get_model

    return get_model("catalogue", "ProductClass").objects.filter(slug=slug).exists()


def tampered(column: str, value, *, row: dict, rows: list[dict], spare: Lot, actor):
    """A different value for one stored column, valid for its type and constraints."""
    if column == "lot_id":
        return spare.pk
    if column == "sequence":
        return value + 1000  # a free place in the same lot
    if column == "data":
        return json.dumps({"tampered": True})
    if column == "corrects_id":
        others = [r["id"] for r in rows if r["lot_id"] == row["lot_id"] and r["id"] not in (row["id"], value)]
        return others[0] if value is None else None
    if column == "recorded_by_id":
        return actor.pk if value is None else None
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, uuid.UUID):
        return uuid.uuid4()
    if isinstance(value, datetime):
        return value + timedelta(seconds=1)
    if isinstance(value, str):
        if value == "":
            return "x"
        return value[:-1] + ("1" if value[-1] == "0" else "0")
    pytest.fail(f"no tamper value for column {column} ({type(value).__name__}); add one here")


def assert_detects_every_change():
    lots, spare, actor = build_lots()
    columns = stored_columns()
    assert {*chain.HASHED_FIELDS, "hash"} <= set(columns)
    rows = raw_rows(columns)
    assert {row["lot_id"] for row in rows} == {lot.pk for lot in lots}
    assert all(chain.verify_chain(lot).intact for lot in lots)
    kinds = {row["kind"] for row in rows}
    assert {"inspection", "processing", "harvest"} <= kinds
    assert any(row["location_gln"] for row in rows) and any(not row["location_gln"] for row in rows)
    assert any(row["attachment"] for row in rows) and any(row["corrects_id"] for row in rows)

    cases = detected = 0
    for row in rows:
        lot = next(lot for lot in lots if lot.pk == row["lot_id"])
        for column in columns:
            original = row[column]
            value = tampered(column, original, row=row, rows=rows, spare=spare, actor=actor)
            assert value != original
            set_column(column, value, row["id"])
            current_id = value if column == "id" else row["id"]
            cases += 1
            report = chain.verify_chain(lot)
            fast = verification.verify_all([lot.code, spare.code], record=False)
            assert {r.lot_code: r for r in fast}[lot.code] == report, f"verify_all disagrees for {column}"
            if column == "lot_id":
                # The event left its lot: a gap there (or, for the last event, a stray event in the other lot).
                moved = chain.verify_chain(spare)
                ok = (not report.intact and report.events_checked <= row["sequence"]) or (
                    not moved.intact and moved.broken_event_id == str(_as_uuid(row["id"]))
                )
            elif column == "sequence":
                ok = not report.intact and report.events_checked == row["sequence"]
            else:
                ok = (not report.intact and report.broken_sequence == row["sequence"]
                      and report.broken_event_id == str(_as_uuid(current_id)))
            assert ok, f"change to {column} of event {row['sequence']} of {lot.code} not detected: {report}"
            detected += 1
            set_column(column, original, current_id)
            assert chain.verify_chain(lot).intact, f"restoring {column} failed"
    assert cases == len(rows) * len(columns)
    assert detected == cases
    return cases


def _as_uuid(value):
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


@pytest.mark.django_db
def test_changing_any_column_of_any_event_is_detected():
    cases = assert_detects_every_change()
    print(f"tamper cases detected: {cases}/{cases}")
    assert cases >= 10 * 20


def test_changing_any_column_is_detected_on_postgresql(postgres):
    cases = assert_detects_every_change()
    print(f"tamper cases detected on PostgreSQL: {cases}/{cases}")


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["gtin", "lot_number"])
def test_changing_the_lots_gtin_or_number_is_detected(field):
    lot = factories.lot(product_=factories.product(), events=3)
    new = make_gtin14("0690000099999") if field == "gtin" else "CHANGED-1"
    Lot.objects.filter(pk=lot.pk).update(**{field: new})
    lot.refresh_from_db()
    report = chain.verify_chain(lot)
    assert not report.intact
    assert report.broken_sequence == 1
    assert not verification.verify_all([lot.code])[0].intact


@pytest.mark.django_db
def test_an_event_appended_after_a_break_keeps_the_break():
    lot = factories.lot(product_=factories.product(), events=3)
    second = lot.events.get(sequence=2)
    set_column("responsible_party", "别人", TraceEvent._meta.pk.get_db_prep_value(second.pk, connection))
    chain.verify_and_record(lot)
    chain.record_event(lot=lot, kind="storing", event_time=timezone.now(), responsible_party="仓库")
    report = chain.verify_chain(lot)
    assert (report.broken_sequence, report.broken_event_id) == (2, str(second.pk))
    lot.refresh_from_db()
    assert lot.chain_status == Lot.CHAIN_BROKEN
    assert lot.events.count() == 4


def test_hashes_recorded_before_the_speed_up_still_verify():
    """A fixed event and the hash the first version of chain.canonical_bytes gave it."""
    values = {field: "" for field in chain.HASHED_FIELDS}
    values.update(
        id=uuid.UUID("12345678-1234-5678-1234-567812345678"), lot_id=7, sequence=1, recorded_by_id=None,
        data={"检验": [1, 2.5, True, None], "a": {"z": "\u2028\"", "b": 1}}, corrects_id=None,
        event_time=datetime.fromisoformat("2025-09-01T01:02:03.456789+00:00"),
        recorded_at=datetime.fromisoformat("2025-09-01T09:02:03.000001+08:00"),
        previous_hash=chain.GENESIS_HASH, location_name="抚松县", attachment=FileLike("trace/r.pdf"),
    )
    assert chain.event_hash(values, lot_gtin="06901234567892", lot_number="L1") == EXPECTED_HASH


class FileLike:
    def __init__(self, name):
        self.name = name


EXPECTED_HASH = "dc128f4122fe75c030c02a4040a60abf91a724d2e9b7cfbf32b1ce080e6b5a1f"


@pytest.mark.django_db
def test_an_event_on_an_intact_chain_changes_only_its_own_product_not_the_whole_storefront():
    """Every event used to bump the storefront-wide version (throwing away every cached page)
    and re-index its product; only becoming intact changes what the storefront shows."""
    from marketplace import storefront_cache
    from search import indexing

    product = factories.sellable_product()
    lot = Lot.objects.get(product=product)
    assert lot.chain_status == Lot.CHAIN_INTACT
    indexing.flush()
    shared, own = storefront_cache.version(), storefront_cache.product_version(product.pk)
    event = chain.record_event(lot=lot, kind="storing", event_time=timezone.now(), responsible_party="仓库")
    assert storefront_cache.version() == shared
    assert storefront_cache.product_version(product.pk) != own
    assert not indexing.has_pending()
    lot.refresh_from_db()
    assert (lot.chain_status, lot.chain_checked_at >= event.recorded_at) == (Lot.CHAIN_INTACT, True)


@pytest.mark.django_db
def test_a_lot_whose_chain_becomes_intact_is_announced_to_the_storefront_and_the_index():
    from marketplace import storefront_cache
    from search import indexing

    product = factories.product()
    factories.listing(product_=product)
    lot = factories.lot(product_=product, events=0)
    indexing.flush()
    shared = storefront_cache.version()
    chain.record_event(lot=lot, kind="harvest", event_time=timezone.now(), responsible_party="参农")
    assert storefront_cache.version() != shared
    assert indexing.has_pending()
