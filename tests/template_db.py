"""PostgreSQL test databases cloned from a migrated template, so a run's overhead is not its migrations.

The template is named after a hash of every installed app's migration files (ours, Oscar's,
Wagtail's, Django's): it is reused only while the migrations are exactly the ones it was built
from, so it is as safe as migrating afresh. A run with no matching template migrates as usual and
then keeps its fresh database as the template for the next run. Django still runs ``migrate`` on
the clone (nothing left to apply, but ``post_migrate`` re-syncs roles and content types) and
serializes it for ``serialized_rollback``, exactly as on a freshly migrated database.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

PREFIX = "silver_tpl_"


def migrations_key() -> str:
    from django.apps import apps
    from django.db import connection

    digest = hashlib.sha256(connection.vendor.encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _admin_cursor():
    """A cursor on the server's maintenance database (never the test database itself)."""
    from django.db import connection

    return connection.creation._nodb_cursor()


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def clone_template(test_name: str) -> bool:
    """Create ``test_name`` from the matching template; False when there is none (or it is busy)."""
    from django.db import DatabaseError

    template = PREFIX + migrations_key()
    with _admin_cursor() as cursor:
        if not _exists(cursor, template):
            return False
        try:
            cursor.execute(f'DROP DATABASE IF EXISTS "{test_name}"')
            cursor.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
        except DatabaseError:  # another run is copying it right now: migrate as usual
            return False
    return True


def keep_as_template(test_name: str) -> None:
    """Copy the freshly migrated test database into this migration set's template, and drop
    templates of older migration sets."""
    from django.db import DatabaseError, connections

    template = PREFIX + migrations_key()
    connections.close_all()  # CREATE DATABASE … TEMPLATE needs the source database idle
    with _admin_cursor() as cursor:
        try:
            if not _exists(cursor, template):
                cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{test_name}"')
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                           [PREFIX + "%", template])
            for (old,) in cursor.fetchall():
                cursor.execute(f'DROP DATABASE IF EXISTS "{old}"')
        except DatabaseError:  # another run made it first, or still uses an old one: harmless
            pass
