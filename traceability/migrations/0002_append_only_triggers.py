"""The database itself refuses UPDATE and DELETE on append-only tables.

The model and admin refuse too, but raw SQL and other clients go straight to the
database; these triggers stop them there.
"""

from django.db import migrations

TABLES = ("traceability_traceevent", "traceability_qualitycommitment", "traceability_auditentry")


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION silver_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'append-only table %: % is not allowed (追溯记录只能追加)', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'integrity_constraint_violation';
            END;
            $$ LANGUAGE plpgsql;
            """,
            params=None,  # the body's % signs are plpgsql placeholders, not psycopg's
        )
        for table in TABLES:
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
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
        schema_editor.execute("DROP FUNCTION IF EXISTS silver_refuse_change();")
    elif vendor == "sqlite":
        for table in TABLES:
            for operation in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation};")


class Migration(migrations.Migration):
    dependencies = [("traceability", "0001_initial")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
