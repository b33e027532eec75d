"""Browser tests: Playwright for Python driving Debian's Chromium against ``make run``'s path.

``demo_site`` is what a new operator gets from a fresh ``make run`` (it runs exactly that, with
a throw-away VAR_DIR and a port of its own): a SQLite database migrated and filled by
``seed_demo`` with DEMO_MODE on, collected static files, and gunicorn serving it with DEBUG
off. It starts once per test session. The test
process reads that database directly (``demo_site.sql``) to check what a click changed.

Chromium is Debian's (``make browser`` installs it); Playwright never downloads a browser.
Locally a missing Chromium skips these tests; in CI it fails them (``tests.conftest.need``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import need

# Playwright's sync API keeps an asyncio loop in this thread; Django refuses ORM calls while
# one exists unless told that this process is not serving async requests (it is not).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "var" / "screenshots"
# Chromium's own network chatter fails on this closed network; keep it quiet and quick.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DEMO_PASSWORD = "demo-pass-2026"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class DemoSite:
    base_url: str
    var_dir: Path
    env: dict

    def url(self, path: str) -> str:
        return self.base_url + path

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """Rows from the demo site's own database, for checking what a click changed."""
        with sqlite3.connect(self.var_dir / "db.sqlite3", timeout=20) as connection:
            return connection.execute(query, params).fetchall()

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True,
            timeout=300,
        )
        if result.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout


def _demo_env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"TESTING", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        VAR_DIR=str(var_dir), DATABASE_URL="", DEMO_MODE="true", DEBUG="false",
        SECRET_KEY="browser-test-secret", LOG_LEVEL="ERROR", PYTHONUNBUFFERED="1",
    )
    return env


def _show_server_log(log_path: Path, lines: int = 80) -> None:
    """The end of the demo site's log (gunicorn's access log and errors) on the real stderr, which
    pytest does not capture: when a browser test failed, CI keeps the output, not the VAR_DIR."""
    tail = log_path.read_text(errors="replace").splitlines()[-lines:]
    sys.__stderr__.write(f"\n--- last {len(tail)} lines of {log_path.name} (a browser test failed) ---\n")
    sys.__stderr__.write("\n".join(tail) + "\n")


@pytest.fixture(scope="session")
def demo_site(request):
    need(Path(CHROMIUM).exists(), f"Debian's Chromium at {CHROMIUM} (run `make browser`)")
    var_dir = Path(tempfile.mkdtemp(prefix="silver-browser-"))
    env = _demo_env(var_dir)
    site = DemoSite(base_url="", var_dir=var_dir, env=env)
    port = _free_port()
    log = open(var_dir / "make-run.log", "w")  # noqa: SIM115 - closed below
    # Exactly what the README's first command does on a fresh clone, on a port of its own.
    server = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}", f"VAR_DIR={var_dir}", "WORKERS=2"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    site.base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # migrate + seed_demo + collectstatic first
        while True:
            try:
                with urllib.request.urlopen(site.url("/healthz"), timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("make run did not start:\n" + (var_dir / "make-run.log").read_text()) from None
                time.sleep(0.2)
        env["SECRET_KEY"] = (var_dir / "secret_key").read_text().strip()
        for name in ("tlog_signing_key", "tlog_witness_key"):  # as make run exports them
            if (var_dir / name).exists():
                env[f"{name.upper()}_FILE"] = str(var_dir / name)
        yield site
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # make, and the gunicorn it exec'd, and its workers
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
        if request.session.testsfailed:
            _show_server_log(var_dir / "make-run.log")
        shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def chromium():
    need(Path(CHROMIUM).exists(), f"Debian's Chromium at {CHROMIUM} (run `make browser`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _context(chromium, *, javascript: bool = True, width: int = 1280, height: int = 800):
    return chromium.new_context(
        java_script_enabled=javascript, locale="zh-CN", timezone_id="Asia/Shanghai",
        viewport={"width": width, "height": height},
    )


@pytest.fixture
def new_page(chromium):
    """Open more pages: ``new_page(javascript=False, width=360)``; all close after the test."""
    contexts = []

    def make(*, javascript: bool = True, width: int = 1280, height: int = 800):
        context = _context(chromium, javascript=javascript, width=width, height=height)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def page_nojs(new_page):
    return new_page(javascript=False)


def log_in(page, demo_site, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the shop's own login form, as a person would."""
    page.goto(demo_site.url("/accounts/login/"))
    form = page.locator("form:has(input[name='login-password'])")
    form.locator("input[name='login-username']").fill(email)
    form.locator("input[name='login-password']").fill(password)
    form.locator("button[type='submit'], input[type='submit']").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"login as {email} failed: {page.url}"


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ (not committed) for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations on the page, the target-size rule enabled."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "rules": {"target-size": {"enabled": True}}},
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results.response["violations"]
    ]


def _first_href(page, selector: str) -> str:
    href = page.locator(selector).first.get_attribute("href")
    assert href, f"no link matches {selector} on {page.url}"
    return href


@pytest.fixture(scope="module")
def shop_paths(demo_site, chromium):
    """The paths a shopper walks through, discovered by following links from the home page."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(demo_site.url("/"))
    category = _first_href(page, "a[href^='/catalogue/category/']")
    page.goto(demo_site.url(category))
    product = _first_href(page, ".product-card a[href^='/catalogue/']")
    page.goto(demo_site.url(product))
    trace = _first_href(page, "a[href^='/trace/']")
    context.close()
    return {"home": "/", "category": category, "product": product, "trace": trace}
