"""What one worker process changes, the others show once it commits: on Redis and on the file cache.

The test process changes the catalogue inside real transactions (``transaction=True``); a second
process (tests/marketplace/render_worker.py, a stand-in for another gunicorn worker) renders
pages from the same PostgreSQL test database and the same cache.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from oscar.apps.analytics.models import ProductRecord

from marketplace import storefront_cache
from marketplace.view_counts import flush_view_counts
from tests import factories
from tests.conftest import need
from traceability import availability, regulation
from traceability.models import Lot

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
# Another process's page may lag by the version it remembers, never by more.
STALE_WINDOW = storefront_cache.LOCAL_SECONDS


class Worker:
    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("render_worker.py"))], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        assert json.loads(self.process.stdout.readline()) == {"ready": True}

    def get(self, path: str) -> tuple[int, str]:
        self.process.stdin.write(f"get {path}\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        return answer["status"], answer["html"]

    def wait_for(self, path: str, text: str, *, within: float) -> float:
        """Seconds until the worker's page shows ``text``; fails after ``within`` seconds."""
        started = time.monotonic()
        while True:
            status, html = self.get(path)
            elapsed = time.monotonic() - started
            if status == 200 and text in html:
                return elapsed
            heading = html[html.find("<h1"):html.find("</h1>") + 5] if "<h1" in html else html[:300]
            assert elapsed < within, f"another process still did not show {text!r} after {elapsed:.2f} s: {status} {heading}"
            time.sleep(0.05)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=10)


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _redis_url() -> str:
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        need(False, f"Redis at {url}")
    return url


@pytest.fixture(params=["redis", "file"])
def shared_cache(request, postgres, tmp_path):
    """Settings for the test process and the environment for the worker, naming one shared cache."""
    env = {k: v for k, v in os.environ.items() if k not in {"TESTING", "REDIS_URL"}}
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=_database_url(), DEBUG="true", SECRET_KEY="x", VAR_DIR=str(tmp_path), LOG_LEVEL="ERROR")
    if request.param == "redis":
        url = _redis_url()
        env["REDIS_URL"] = url
        caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
                              "KEY_PREFIX": "silver"}}
    else:
        caches = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                              "LOCATION": str(tmp_path / "cache"), "OPTIONS": {"MAX_ENTRIES": 20000}}}
    with override_settings(CACHES=caches):
        cache.clear()
        storefront_cache.forget_local()
        worker = Worker(env)
        try:
            yield worker
        finally:
            worker.close()
            cache.clear()


def test_a_change_shows_in_another_process_after_commit_and_not_before(shared_cache):
    product = factories.sellable_product(title="测试血压计甲")
    path = product.get_absolute_url()
    shared_cache.wait_for(path, "测试血压计甲", within=15)  # the worker's first page compiles its templates

    with transaction.atomic():
        product.title = "测试血压计乙"
        product.save()
        # Not committed: the other process neither shows it nor caches a page built from it.
        status, html = shared_cache.get(path)
        assert status == 200 and "测试血压计甲" in html and "测试血压计乙" not in html
    lag = shared_cache.wait_for(path, "测试血压计乙", within=STALE_WINDOW + 1.0)
    assert lag <= STALE_WINDOW + 0.5


def test_a_suspension_stops_the_other_process_offering_the_product(shared_cache):
    product = factories.sellable_product(title="测试助听器")
    path = product.get_absolute_url()
    status, html = shared_cache.get(path)
    assert status == 200 and "加入购物车" in html
    regulator = factories.user(role="regulator")
    regulation.suspend_lot(lot=Lot.objects.get(product=product), reason="抽检不合格", actor=regulator)
    shared_cache.wait_for(path, str(availability.REASON_LOT_SUSPENDED), within=STALE_WINDOW + 1.0)
    status, html = shared_cache.get(path)
    assert "加入购物车" not in html


def test_views_counted_in_two_processes_are_flushed_once(shared_cache, client):
    product = factories.sellable_product()
    path = product.get_absolute_url()
    for _ in range(3):
        assert shared_cache.get(path)[0] == 200
    for _ in range(2):
        assert client.get(path).status_code == 200
    assert not ProductRecord.objects.filter(product=product).exists()  # no write on the read path
    assert flush_view_counts() == 1
    assert ProductRecord.objects.get(product=product).num_views == 5
    assert flush_view_counts() == 0  # counted once
    assert ProductRecord.objects.get(product=product).num_views == 5
