"""Let a transactional test's flush empty the append-only tables, then put their guards back.

pytest-django empties the database after a ``transaction=True`` test with TRUNCATE
(PostgreSQL) or DELETE (SQLite), which the append-only triggers refuse, as they should.
Only in tests: just before that flush the triggers are set aside (disabled on PostgreSQL,
dropped and remembered on SQLite), and they are restored before the next test starts.
"""

from __future__ import annotations

from django.db import connection

_set_aside: dict[str, list] = {"postgresql": [], "sqlite": []}


def set_aside() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal")
            tables = [row[0] for row in cursor.fetchall()]
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            _set_aside["postgresql"] = tables
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            _set_aside["sqlite"] = [sql for _name, sql in triggers]


def restore() -> None:
    if not any(_set_aside.values()):
        return
    with connection.cursor() as cursor:
        for table in _set_aside["postgresql"]:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        for sql in _set_aside["sqlite"]:
            cursor.execute(sql)
    _set_aside.update(postgresql=[], sqlite=[])
