#!/usr/bin/env python
"""Time loading the regulator's published TSM dataset and the peer-benchmarking page built from it.

    .venv/bin/python bench/tsm_benchmark.py               # SQLite file in bench/out/
    .venv/bin/python bench/tsm_benchmark.py --postgres    # PostgreSQL database involve_bench (dropped and recreated)

Needs the regulator's 2023/24 spreadsheet at ../shared/reference/data/ (see tsm/demo.py); it is not
in the repository. Builds a fresh database, times `tsm.services.tsm_dataset_import` on the real file
(358 landlords), builds a small demo landlord matched to one of them, then times
`tsm.selectors.benchmark` (every measure and tenure against four peer groups) and the rendered
page and CSV: three warm-ups, then --runs timed runs each. Targets: import under 30 s (it is a
once-a-year administrator task) and the page under 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings

from _common import machine_line, percentile, prepare_database  # noqa: E402  (bench/ is the script directory)

IMPORT_TARGET_S = 30.0
PAGE_TARGET_MS = 300.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="Use PostgreSQL (database involve_bench)")
    parser.add_argument("--runs", type=int, default=30, help="Timed runs per scenario (after 3 warm-ups)")
    args = parser.parse_args()

    url = prepare_database(postgres=args.postgres, name="tsm_benchmark")

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from people.demo import build_demo
    from tsm.demo import REFERENCE_DATASET
    from tsm.models import TsmResult
    from tsm.selectors import benchmark, dataset_latest, landlord_for, profile_get
    from tsm.services import tsm_dataset_import

    if not REFERENCE_DATASET.is_file():
        sys.exit(f"The regulator's TSM dataset is not at {REFERENCE_DATASET}; nothing to measure.")

    print(f"Database: {connection.vendor} {url}")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    tsm_dataset_import(file=REFERENCE_DATASET, actor=None, reporting_year=2024)
    import_s = time.perf_counter() - started
    print(f"tsm_dataset_import: {import_s:.2f} s, {TsmResult.objects.count():,} published values")
    build_demo(residents=1_000, seed=2026, reset=True)  # the demo matches its landlord to LH0884

    officer = User.objects.get(username="officer")
    dataset = dataset_latest()
    profile = profile_get(user=officer)
    assert dataset is not None and profile is not None
    landlord = landlord_for(dataset=dataset, provider_code=profile.provider_code)
    assert landlord is not None
    client = Client()
    client.force_login(officer)

    def run_selector() -> object:
        return benchmark(dataset=dataset, landlord=landlord)

    def page(path: str):  # type: ignore[no-untyped-def]
        def run() -> object:
            response = client.get(path)
            assert response.status_code == 200, response.status_code
            return response

        return run

    header = f"{'scenario':<32} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'median/300':>10}"
    print(header)
    print("-" * len(header))
    for label, run in (
        ("benchmark() selector", run_selector),
        ("benchmark page (rendered)", page("/staff/tsm/")),
        ("benchmark CSV", page("/staff/tsm/benchmark.csv")),
    ):
        for _ in range(3):
            run()
        with CaptureQueriesContext(connection) as captured:
            run()
        # A test client request closes the connection at its end, which loses the capture: count
        # the selector's queries only.
        queries = str(len(captured.captured_queries)) if run is run_selector else "–"
        samples = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            run()
            samples.append((time.perf_counter() - t0) * 1000)
        median, p95 = statistics.median(samples), percentile(samples, 95)
        print(f"{label:<32} {queries:>7} {median:>10.1f} {p95:>8.1f} {median / PAGE_TARGET_MS:>10.2f}")
    print()
    print(
        f"Import {import_s:.2f} s ({import_s / IMPORT_TARGET_S:.2f} of the {IMPORT_TARGET_S:.0f} s target); "
        f"rows for {landlord.name}: {len(run_selector()):,}"  # type: ignore[arg-type]
    )
    print(machine_line())


if __name__ == "__main__":
    main()
