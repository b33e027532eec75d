import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start(env_overrides: dict) -> subprocess.CompletedProcess:
    import tempfile

    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env["VAR_DIR"] = tempfile.mkdtemp()  # no secret_key file left by make run or make bench
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "marketplace.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _start({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "started" not in result.stdout


def test_starts_with_a_secret_key_and_debug_off():
    result = _start({"DEBUG": "false", "SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_starts_in_debug_without_a_secret_key():
    assert _start({"DEBUG": "true"}).returncode == 0
