"""What both benchmarks share: a fresh database before django.setup(), and a line describing
the machine and software the figures were measured on."""

from __future__ import annotations

import math
import os
import platform
import sqlite3
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_URL = "postgres://postgres@127.0.0.1:5432/involve_bench"


def prepare_database(*, postgres: bool, name: str, reuse: bool = False) -> str:
    """Point Django at a fresh database (before django.setup()) and return its URL."""
    OUT.mkdir(parents=True, exist_ok=True)
    if postgres:
        if not reuse:
            import psycopg

            with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS involve_bench WITH (FORCE)")
                conn.execute("CREATE DATABASE involve_bench")
        url = PG_URL
    else:
        path = OUT / f"{name}.sqlite3"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "involve.settings"
    # Measure as deployed: no DEBUG query logging. Development settings otherwise (not production,
    # where the demo refuses to run).
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("MEDIA_ROOT", str(OUT / "media"))  # uploaded files are copied here
    sys.path.insert(0, str(ROOT))
    return url


def machine_line() -> str:
    import django
    from django.db import connection

    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version
        engine = f"PostgreSQL {version // 10000}.{version % 10000}"
    else:
        engine = f"SQLite {sqlite3.sqlite_version}"
    return (
        f"{time.strftime('%Y-%m-%d %H:%M')}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {engine}; single-thread speed {single_thread_us():.1f} µs"
    )


def single_thread_us() -> float:
    """Best of five `sum(range(1000))` in microseconds, as `python -m timeit` reports it: a yardstick
    for comparing figures taken on different machines (a busy or slower core shows a larger number)."""
    loops = 10_000
    best = min(timeit.repeat("sum(range(1000))", number=loops, repeat=5))
    return best / loops * 1e6


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]
