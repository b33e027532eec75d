"""Class 6: no GET anywhere changes data. Every URL pattern, as every role, watched at the SQL level."""

import re

import pytest
from django.apps import apps
from django.db import connection

from tests.hardening import urlwalk
from tests.hardening.conftest import ROLES

# Bookkeeping that a read may write: sessions, login throttling, Wagtail's lazily-created user
# profile, the search index and query statistics (derived data, rebuilt from the catalogue), and
# the audit log's record that a regulator downloaded an export (reading is audited).
ALLOWED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog",
                  "wagtailusers_userprofile", "search_searchdocument", "search_searchterm",
                  "basket_basket",  # Oscar opens a signed-in shopper's (empty) basket lazily
                  # Wagtail's editor presence and "notify me" default, kept while a page is open for editing.
                  "wagtailadmin_editingsession", "wagtailcore_pagesubscription"}
WRITE = re.compile(r"^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+\"?([a-z0-9_]+)\"?", re.IGNORECASE)


class WriteWatcher:
    def __init__(self):
        self.writes = []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match and match[2].lower() not in ALLOWED_TABLES:
            self.writes.append(f"{match[1]} {match[2]}")
        return execute(sql, params, many, context)


def _snapshot():
    """Row counts of every table: a backstop for writes that do not go through this connection.

    Unmanaged models are left out: Oscar's category hierarchy is a PostgreSQL materialised view
    that SQLite does not have, and nothing writes to a view.
    """
    return {model._meta.db_table: model._base_manager.count() for model in apps.get_models()
            if model._meta.db_table not in ALLOWED_TABLES and not model._meta.proxy and model._meta.managed}


@pytest.mark.django_db
def test_no_get_changes_state(world):
    urls, unfilled = urlwalk.urls(urlwalk.world_values(world))
    assert len(urls) > 200, "the walk must reach the whole project (shop, dashboard, Wagtail, admin)"
    changes = []
    for role in ROLES:
        client = world.client_for(role)
        before = _snapshot()
        for url, _pattern in urls:
            if "logout" in url:
                continue  # logging out is the one GET-tolerant action in Django; ours is POST anyway
            watcher = WriteWatcher()
            with connection.execute_wrapper(watcher):
                client.get(url)
            audit_of_export = "export" in url and all("traceability_auditentry" in w for w in watcher.writes)
            if watcher.writes and not audit_of_export:
                changes.append((role, url, sorted(set(watcher.writes))))
        after = _snapshot()
        changed_tables = {t for t in before if before[t] != after[t] and t != "traceability_auditentry"}
        if changed_tables:
            changes.append((role, "row counts", sorted(changed_tables)))
    assert changes == []


@pytest.mark.django_db
def test_linking_a_user_to_a_partner_needs_a_post(world):
    admin = world.client_for("platform_admin")
    shopper = world.users["shopper"]
    url = f"/dashboard/partners/{world.partner_a.pk}/users/{shopper.pk}/link/"
    assert admin.get(url).status_code == 405
    assert not world.partner_a.users.filter(pk=shopper.pk).exists()
    assert admin.post(url).status_code == 302
    assert world.partner_a.users.filter(pk=shopper.pk).exists()
