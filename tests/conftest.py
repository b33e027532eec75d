import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(condition: bool, reason: str) -> None:
    """Skip locally when a component is missing; in CI the component must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's database setup, but on PostgreSQL the test database is cloned from a
    template of the same migrations when there is one (tests/template_db.py)."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from tests import template_db

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        postgres = connection.vendor == "postgresql"
        test_name = connection.creation._get_test_db_name() if postgres else None
        cloned = postgres and template_db.clone_template(test_name)
        db_cfg = setup_databases(verbosity=verbosity, interactive=False, aliases=aliases,
                                 serialized_aliases=serialized_aliases, keepdb=bool(cloned))
        if postgres and not cloned:
            template_db.keep_as_template(test_name)
    yield
    with django_db_blocker.unblock():
        try:
            teardown_databases(db_cfg, verbosity=verbosity)  # drops the clone too (keepdb only guards setup)
        except Exception as exc:  # noqa: BLE001
            request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))


@pytest.fixture
def postgres(db):
    from django.db import connection

    need(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL=postgres://...)")
    return connection


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /en/… leaves English active in this thread; the next test starts in Chinese
    (reverse() and get_absolute_url() would otherwise build /en/ paths)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from marketplace import storefront_cache
    from search.versioned import Versioned

    cache.clear()
    Versioned.reset_all()  # their versions lived in the cache just cleared
    storefront_cache.forget_local()
    yield
    cache.clear()


def _is_transactional_item(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in getattr(item, "fixturenames", ()) or bool(
        marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    )


def _is_transactional(request) -> bool:
    return _is_transactional_item(request.node)


def _restore_migrated_data_after(item) -> None:
    """A transactional test ends by emptying every table, data migrations' rows included (product
    classes, roles, the Wagtail tree): with a serialized rollback, the next one starts from them again."""
    if not _is_transactional_item(item):
        return
    marker = item.get_closest_marker("django_db")
    kwargs = dict(marker.kwargs) if marker else {}
    kwargs.update(transaction=True, serialized_rollback=True)
    item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(autouse=True)
def _append_only_guards(request, django_db_blocker):
    """Transactional tests end with a flush the append-only triggers refuse: see tests/append_only_flush.py."""
    from tests import append_only_flush

    with django_db_blocker.unblock():
        append_only_flush.restore()
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")  # set up now, so torn down (flushed) after this fixture
    yield
    with django_db_blocker.unblock():
        append_only_flush.set_aside()


@pytest.fixture
def sqlite(db):
    from django.db import connection

    need(connection.vendor == "sqlite", "needs SQLite (leave DATABASE_URL unset)")
    return connection


def pytest_collection_modifyitems(config, items):
    """Each backend's own tests run on that backend; the other's are deselected, not skipped.

    CI runs the suite once per backend and says which one it expects (EXPECT_DB_VENDOR), so a
    misconfigured run cannot quietly deselect the PostgreSQL tests.
    """
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    vendor = "postgresql" if "postgresql" in engine else "sqlite" if "sqlite" in engine else engine
    expected = os.environ.get("EXPECT_DB_VENDOR")
    if expected and expected != vendor:
        raise pytest.UsageError(f"this run should use {expected}, but the database is {vendor}")
    other = {"postgresql": "sqlite", "sqlite": "postgres"}.get(vendor)
    keep, drop = [], []
    for item in items:
        _restore_migrated_data_after(item)
        fixtures = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        if callspec is not None:  # a test parametrized over backends: vendor="postgresql" / "sqlite"
            fixtures.add({"postgresql": "postgres"}.get(callspec.params.get("vendor"), callspec.params.get("vendor")))
        for name in ("postgres", "sqlite"):
            if name in fixtures:
                item.add_marker(getattr(pytest.mark, name))
        (drop if other and other in fixtures else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
