#!/usr/bin/env python
"""Time the staff resident list against 100,000 residents, through the real view.

    .venv/bin/python bench/resident_list.py                 # SQLite file in bench/out/
    .venv/bin/python bench/resident_list.py --postgres      # PostgreSQL database involve_bench (dropped and recreated)
    .venv/bin/python bench/resident_list.py --residents 5000 --requests 10

Builds a fresh database (migrate, then `people.demo.build_demo`), signs in as the demo's
involvement officer with django.test.Client, and requests /staff/residents/ with each filter
combination: three warm-up requests, then --requests timed ones. Prints the median and 95th
percentile per scenario and their ratio to the 150 ms target. --explain prints the query plans
of the count and page queries; --reuse keeps the database from the last run.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
import warnings

from _common import machine_line, percentile, prepare_database  # noqa: E402  (bench/ is the script directory)

TARGET_MS = 150.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--postgres", action="store_true", help="Use PostgreSQL at 127.0.0.1:5432 (database involve_bench)"
    )
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per scenario (after 3 warm-ups)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--explain", action="store_true", help="Print the query plans")
    parser.add_argument("--reuse", action="store_true", help="Keep the database of the last run (no rebuild)")
    args = parser.parse_args()

    url = prepare_database(postgres=args.postgres, name="resident_list", reuse=args.reuse)

    import django

    # Whitenoise warns that collectstatic has not been run; static files play no part here.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from people.demo import build_demo, demo_exists
    from people.models import Area, Home, Resident

    print(f"Database: {connection.vendor} {url}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    if not (args.reuse and demo_exists()):
        summary = build_demo(residents=args.residents, seed=args.seed, reset=True)
        print(f"build_demo({args.residents:,}): {summary.seconds:.1f} s")
    with connection.cursor() as cursor:
        # Statistics (and on PostgreSQL the visibility map, for index-only counts), as autovacuum
        # would have them on a live database soon after a bulk load.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    officer = User.objects.get(username="officer")
    org = officer.organisation
    total = Resident.objects.filter(organisation=org).count()
    north = Area.objects.get(organisation=org, level=Area.Level.AREA, name="North")
    # The most common surname's first three letters: a typical "start typing a name" search.
    surname = (
        Resident.objects.filter(organisation=org)
        .values("last_name")
        .annotate(n=Count("id"))
        .order_by("-n", "last_name")
        .first()
    )
    prefix = surname["last_name"][:3] if surname else "Smi"
    home = Home.objects.filter(organisation=org).order_by("pk")[Home.objects.filter(organisation=org).count() // 2]
    scenarios: list[tuple[str, dict[str, str]]] = [
        ("no filter", {}),
        ("area", {"area": str(north.pk)}),
        ("area + tenure", {"area": str(north.pk), "tenure": "secure_assured"}),
        ("interest", {"interest": "repairs"}),
        (f"search surname '{prefix}'", {"q": prefix}),
        (f"search postcode '{home.postcode}'", {"q": home.postcode}),
        ("consent", {"consent": "involvement_contact"}),
        ("involvement level", {"level": "involved"}),
        ("page 50", {"page": "50"}),
    ]

    client = Client()
    client.force_login(officer)
    print(f"Residents of {org}: {total:,}; {args.requests} timed requests per scenario after 3 warm-ups")
    print()
    header = f"{'scenario':<32} {'matches':>8} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'median/150':>10} {'p95/150':>8}"
    print(header)
    print("-" * len(header))
    results = []
    for label, params in scenarios:
        for _ in range(3):
            response = client.get("/staff/residents/", params)
            assert response.status_code == 200, (label, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/staff/residents/", params)
        queries = list(captured.captured_queries)  # copy now: the next request clears the log
        # The count from the page's own caption (setup_test_environment would let us read the context,
        # but it instruments template rendering and so slows what is being measured).
        found = re.search(r"([\d,]+) residents?</caption>", response.content.decode())
        matches = int(found.group(1).replace(",", "")) if found else -1
        samples = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get("/staff/residents/", params)
            samples.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        median = statistics.median(samples)
        p95 = percentile(samples, 95)
        results.append((label, matches, len(queries), median, p95))
        print(
            f"{label:<32} {matches:>8,} {len(queries):>7} {median:>10.1f} {p95:>8.1f} "
            f"{median / TARGET_MS:>10.2f} {p95 / TARGET_MS:>8.2f}"
        )
        if args.explain:
            # The plans of the statements the view actually ran against the resident table.
            for query in queries:
                sql = query["sql"]
                if "people_resident" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                    continue
                prefix_sql = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
                with connection.cursor() as cursor:
                    cursor.execute(prefix_sql + sql)
                    plan = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
                print(f"    {sql[:160]}{'…' if len(sql) > 160 else ''}")
                print("      " + plan.replace("\n", "\n      "))
    print()
    worst = max(r[4] for r in results)
    print(
        f"Slowest p95: {worst:.1f} ms ({worst / TARGET_MS:.2f} of the {TARGET_MS:.0f} ms target) — "
        f"{'within target' if worst <= TARGET_MS else 'OVER TARGET'}"
    )
    print(machine_line())


if __name__ == "__main__":
    main()
