"""The match indexes, per database.

PostgreSQL: a stored generated ``vector`` column (the tokens as a tsvector, built with
``array_to_tsvector`` so PostgreSQL's parser never re-splits them) with a GIN index, and pg_trgm with a trigram index on the lexicon keys.
SQLite: an FTS5 table with the trigram tokenizer over the tokens, kept in step with
the document table by triggers (external content).
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Stored, so neither a match re-check nor a ranking pass rebuilds a tsvector per row.
    "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS vector tsvector "
    "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(btrim(tokens), ' '))) STORED",
    "CREATE INDEX IF NOT EXISTS search_doc_vector_gin ON search_searchdocument USING gin (vector)",
    "ALTER TABLE search_searchdocument ADD COLUMN IF NOT EXISTS rank_vector tsvector "
    "GENERATED ALWAYS AS (array_to_tsvector(string_to_array(btrim(rank_text), ' '))) STORED",
    "CREATE INDEX IF NOT EXISTS search_term_key_trgm ON search_searchterm USING gin (key gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS search_term_key_trgm",
    "DROP INDEX IF EXISTS search_doc_vector_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS rank_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_document_fts USING fts5("
    "tokens, content='search_searchdocument', content_rowid='product_id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS search_doc_ai AFTER INSERT ON search_searchdocument BEGIN "
    "INSERT INTO search_document_fts(rowid, tokens) VALUES (new.product_id, new.tokens); END",
    "CREATE TRIGGER IF NOT EXISTS search_doc_ad AFTER DELETE ON search_searchdocument BEGIN "
    "INSERT INTO search_document_fts(search_document_fts, rowid, tokens) VALUES ('delete', old.product_id, old.tokens); END",
    "CREATE TRIGGER IF NOT EXISTS search_doc_au AFTER UPDATE ON search_searchdocument BEGIN "
    "INSERT INTO search_document_fts(search_document_fts, rowid, tokens) VALUES ('delete', old.product_id, old.tokens); "
    "INSERT INTO search_document_fts(rowid, tokens) VALUES (new.product_id, new.tokens); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_doc_au",
    "DROP TRIGGER IF EXISTS search_doc_ad",
    "DROP TRIGGER IF EXISTS search_doc_ai",
    "DROP TABLE IF EXISTS search_document_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
