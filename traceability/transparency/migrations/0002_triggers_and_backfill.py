"""Append-only triggers on the log's tables, the head row, and leaves for existing records.

A database that already holds lots, events, commitments and regulator actions gets a
leaf for each (commitments, then lots, then each lot's events in order, then actions),
so the first checkpoint covers everything recorded before the log existed.
"""

from django.db import migrations

from traceability.transparency import merkle, records

TABLES = ("transparency_logleaf", "transparency_signedcheckpoint", "transparency_cosignature")
LOGGED_ACTIONS = ("suspend_listing", "exit_listing", "reinstate_listing", "suspend_lot", "reinstate_lot",
                  "recall_lot")


def backfill(apps, schema_editor):
    LogHead = apps.get_model("transparency", "LogHead")
    LogLeaf = apps.get_model("transparency", "LogLeaf")
    Lot = apps.get_model("traceability", "Lot")
    TraceEvent = apps.get_model("traceability", "TraceEvent")
    QualityCommitment = apps.get_model("traceability", "QualityCommitment")
    AuditEntry = apps.get_model("traceability", "AuditEntry")
    builder = merkle.RootBuilder()
    batch = []

    def add(kind, data, lot_id, key):
        hash_ = merkle.leaf_hash(data)
        closed = builder.add(hash_)
        batch.append(LogLeaf(index=builder.size - 1, kind=kind, lot_id=lot_id, record_key=str(key), data=data,
                             hash=hash_, nodes=b"".join(node for _, _, node in closed)))
        if len(batch) >= 2000:
            LogLeaf.objects.bulk_create(batch)
            batch.clear()

    for values in QualityCommitment.objects.order_by("id").values(*records.COMMITMENT_COLUMNS).iterator():
        add(records.COMMITMENT, records.commitment_leaf(values), None, values["id"])
    codes = {}
    for lot in Lot.objects.select_related("product", "merchant").order_by("id").iterator():
        values = {column: getattr(lot, column) for column in records.LOT_COLUMNS}
        codes[lot.pk] = records.lot_code(lot.gtin, lot.lot_number)
        labels = {"product": lot.product.title, "merchant": lot.merchant.name}
        add(records.LOT, records.lot_leaf(values, labels=labels), lot.pk, lot.pk)
    events = TraceEvent.objects.order_by("lot_id", "sequence").values_list("lot_id", "id", "sequence", "hash")
    for lot_id, event_id, sequence, hash_ in events.iterator():
        data = records.event_leaf(lot=codes[lot_id], event_id=event_id, sequence=sequence, record_sha256=hash_)
        add(records.EVENT, data, lot_id, event_id)
    actions = AuditEntry.objects.filter(action__in=LOGGED_ACTIONS).order_by("at", "id")
    for values in actions.values(*records.AUDIT_COLUMNS).iterator():
        lot_id = int(values["target_id"]) if values["target_type"] == "lot" and values["target_id"].isdigit() else None
        add(records.REGULATOR_ACTION, records.regulator_action_leaf(values, lot=codes.get(lot_id)),
            lot_id if lot_id in codes else None, values["id"])
    LogLeaf.objects.bulk_create(batch)
    LogHead.objects.update_or_create(pk=1, defaults={"size": builder.size, "frontier": b"".join(builder.frontier)})


def unbackfill(apps, schema_editor):
    apps.get_model("transparency", "LogLeaf").objects.all()._raw_delete(schema_editor.connection.alias)
    apps.get_model("transparency", "LogHead").objects.all().delete()


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:  # silver_refuse_change() comes from traceability's migration 0002
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION silver_refuse_change();"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION silver_refuse_change();"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            for operation in ("UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: {operation} is not allowed'); END;"
                )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
        elif vendor == "sqlite":
            for operation in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation};")


class Migration(migrations.Migration):
    dependencies = [
        ("transparency", "0001_initial"),
        ("traceability", "0002_append_only_triggers"),
    ]
    operations = [
        migrations.RunPython(backfill, unbackfill),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
