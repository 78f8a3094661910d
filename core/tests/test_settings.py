"""Production mode refuses to start without a real secret key and passes check --deploy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "INVOLVE_ENV", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_without_secret_key_refuses_to_start():
    result = _manage("check", INVOLVE_ENV="production", ALLOWED_HOSTS="involve.example.org")
    assert result.returncode != 0
    assert "needs a real SECRET_KEY" in result.stderr


def test_production_with_secret_key_passes_check_deploy():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        INVOLVE_ENV="production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-for-tests-only-9f8e7d",
        ALLOWED_HOSTS="involve.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_app_with_tests_is_collected():
    """pytest only looks in pytest.ini's testpaths: a new app left out would have its tests
    silently skipped by bin/test and CI."""
    import configparser
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    config = configparser.ConfigParser()
    config.read(Path(settings.BASE_DIR) / "pytest.ini")
    testpaths = set(config["pytest"]["testpaths"].split())
    ours = {
        c.name
        for c in apps.get_app_configs()
        if Path(c.path).is_relative_to(settings.BASE_DIR) and (Path(c.path) / "tests").is_dir()
    }
    assert ours - testpaths == set()
