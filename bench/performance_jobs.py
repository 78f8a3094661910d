#!/usr/bin/env python
"""A million repairs jobs over two years: import, refresh of every figure, the staff performance
page, and the same figures worked out by DuckDB straight from the CSV as a cross-check.

    .venv/bin/python bench/performance_jobs.py                 # SQLite file in bench/out/
    .venv/bin/python bench/performance_jobs.py --postgres      # PostgreSQL database involve_bench
    .venv/bin/python bench/performance_jobs.py --jobs 50000 --runs 10

Builds a fresh database in a child process (migrate, then `manage.py demo_data`, which loads the
Oxford Local Offer for the demo landlord), so this process's peak memory is the import's. Then:

1. writes `--jobs` repairs jobs reported over the two years up to now for the demo landlord's
   homes, with `performance.generate` (the demo's own repairs jobs are deleted first, so the
   figures are of this file alone);
2. imports it through the real pipeline (`batch_create` → `batch_check` → `batch_commit`, kind
   "repairs"), timing the check and the commit and reporting the peak resident memory;
3. times `performance.services.performance_refresh` (every measure, month, area and category);
4. requests the staff performance page (median and 95th percentile over `--runs`);
5. works out the repairs figures with DuckDB from the same CSV plus three small exports (homes
   and their areas, the landlord's non-working dates, the repairs timescales) and compares every
   (measure, month, area, category) numerator and denominator with the stored figures, printing
   any that differ, and our times as multiples of DuckDB's.

--reuse keeps the database and the imported jobs of the last run (steps 3 to 5 only).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

from _common import OUT, ROOT, machine_line, percentile, prepare_database  # noqa: E402  (bench/ is the script directory)
from performance_reference import compare, duckdb_figures  # noqa: E402

IMPORT_TARGET_S = 60.0
IMPORT_TARGET_MB = 1024.0
REFRESH_TARGET_S = 2.0
PAGE_TARGET_MS = 300.0
PREFIX = "BJ"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kilobytes


def build_database(*, residents: int, seed: int) -> float:
    """migrate and the demo in a child process (its memory is not this process's)."""
    started = time.perf_counter()
    env = dict(os.environ)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], check=True, env=env, cwd=ROOT)
    subprocess.run(
        [*manage, "demo_data", "--reset", "--residents", str(residents), "--seed", str(seed)],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def export_inputs(org: object, folder: Path) -> dict[str, Path]:
    """The data DuckDB needs besides the CSV: homes and their areas, non-working dates, timescales."""
    from core.models import BankHoliday, ClosureDay
    from people.models import Home
    from standards.models import Measure, Subject

    paths = {name: folder / f"performance_{name}.csv" for name in ("homes", "closed", "timescales")}
    with paths["homes"].open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["reference", "area_id"])
        writer.writerows(Home.objects.filter(organisation=org).values_list("reference", "area_id").order_by("pk"))
    with paths["closed"].open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date"])
        days = set(BankHoliday.objects.filter(nation=org.nation).values_list("date", flat=True))  # type: ignore[attr-defined]
        days |= set(ClosureDay.objects.filter(organisation=org).values_list("date", flat=True))
        writer.writerows([d.isoformat()] for d in sorted(days))
    measures = (
        Measure.objects.filter(
            organisation=org, subject=Subject.REPAIR, kind=Measure.Kind.WITHIN_TIMESCALE, sets_due=True
        )
        .prefetch_related("categories", "versions")
        .order_by("position", "id")
    )
    with paths["timescales"].open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["measure_id", "position", "category", "starts_on", "ends_on", "effective_from", "amount", "unit"]
        )
        for position, measure in enumerate(measures):
            codes = [c.code for c in measure.categories.all()] or [""]
            for code in codes:
                for version in measure.versions.all():
                    writer.writerow(
                        [
                            measure.pk,
                            position,
                            code,
                            measure.starts_on.isoformat(),
                            measure.ends_on.isoformat() if measure.ends_on else "",
                            version.effective_from.isoformat(),
                            version.timescale_amount or "",
                            version.timescale_unit,
                        ]
                    )
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--postgres", action="store_true", help="Use PostgreSQL at 127.0.0.1:5432 (database involve_bench)"
    )
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30, help="Timed page requests (after 3 warm-ups)")
    parser.add_argument("--residents", type=int, default=7000, help="Demo residents (about 5,150 homes at 7,000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="Keep the database and jobs of the last run")
    args = parser.parse_args()

    url = prepare_database(postgres=args.postgres, name="performance_jobs", reuse=args.reuse)
    warnings.filterwarnings("ignore", message="No directory at")
    if not args.reuse:
        print(
            f"migrate and demo_data (child process): {build_database(residents=args.residents, seed=args.seed):.1f} s"
        )

    import django

    django.setup()

    from django.core.files import File
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from core.calendar import LONDON, calendar_for
    from core.imports import batch_check, batch_commit, batch_create
    from people.models import Home
    from performance import generate
    from performance.models import Figure, RepairJob
    from performance.services import performance_refresh

    print(f"Database: {connection.vendor} {url}")
    officer = User.objects.get(username="officer")
    manager = User.objects.get(username="manager")
    org = officer.organisation
    path = OUT / f"performance_jobs_{args.jobs}.csv"
    now = timezone.localtime(timezone.now(), LONDON).replace(tzinfo=None, second=0, microsecond=0)
    period = generate.Period(start=now.date().replace(year=now.year - 2) + datetime.timedelta(days=1), end=now)
    imported = RepairJob.objects.filter(organisation=org, reference__startswith=PREFIX).count()

    result: dict[str, float] = {}
    if not (args.reuse and imported == args.jobs and path.exists()):
        RepairJob.objects.filter(organisation=org).delete()
        Figure.objects.filter(organisation=org).delete()
        homes = list(Home.objects.filter(organisation=org).order_by("reference").values_list("reference", "area__name"))
        started = time.perf_counter()
        rows = generate.repair_rows(
            homes=[(ref, area or "") for ref, area in homes],
            period=period,
            calendar=calendar_for(org),
            jobs=args.jobs,
            seed=args.seed,
            prefix=PREFIX,
        )
        generate.write_csv(path, rows)
        print(
            f"Wrote {path.relative_to(ROOT)}: {args.jobs:,} jobs for {len(homes):,} homes, {period.start:%d %b %Y} to "
            f"{period.end:%d %b %Y %H:%M}, {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s"
        )
        before = peak_mb()
        t0 = time.perf_counter()
        with path.open("rb") as handle:
            batch = batch_create(organisation=org, kind="repairs", file=File(handle), filename=path.name, actor=manager)
        unmapped = [h for h in generate.REPAIR_HEADERS if h not in batch.mapping.values()]
        assert not unmapped, f"columns not recognised: {unmapped}"
        t1 = time.perf_counter()
        batch = batch_check(batch=batch, actor=manager)
        t2 = time.perf_counter()
        assert batch.invalid_rows == 0, [e.messages for e in batch.row_errors.all()[:5]]
        batch = batch_commit(batch=batch, actor=manager, valid_only=False)
        t3 = time.perf_counter()
        result.update(upload=t1 - t0, check=t2 - t1, commit=t3 - t2, total=t3 - t0, rss=peak_mb())
        print(
            f"\nImport: {batch.total_rows:,} rows, created {batch.created_count:,}; upload {result['upload']:.1f} s, "
            f"check {result['check']:.1f} s, commit {result['commit']:.1f} s; total {result['total']:.1f} s "
            f"({result['total'] / IMPORT_TARGET_S:.2f} of the {IMPORT_TARGET_S:.0f} s target)"
        )
        print(
            f"  peak RSS {result['rss']:.0f} MB ({result['rss'] / IMPORT_TARGET_MB:.2f} of the {IMPORT_TARGET_MB:.0f} MB "
            f"target; {before:.0f} MB before the import)"
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    jobs = RepairJob.objects.filter(organisation=org)
    print(
        f"  in the database: {jobs.count():,} jobs, {jobs.filter(due_rule__isnull=False).count():,} with a due "
        f"moment, {jobs.filter(on_time=True).count():,} on time, {jobs.filter(on_time=False).count():,} late"
    )

    refresh_samples = []
    for _ in range(3):
        t0 = time.perf_counter()
        refreshed = performance_refresh(organisation=org, actor=manager)
        refresh_samples.append(time.perf_counter() - t0)
    refresh = statistics.median(refresh_samples)
    figures = Figure.objects.filter(organisation=org).count()
    print(
        f"\nRefresh (every measure, month, area and category; median of 3): {refresh:.2f} s "
        f"({refresh / REFRESH_TARGET_S:.2f} of the {REFRESH_TARGET_S:.0f} s target); {figures:,} figures; {refreshed}"
    )

    client = Client()
    client.force_login(officer)
    print(f"\nStaff pages, {args.runs} timed requests after 3 warm-ups:")
    medians = []
    for label, page in pages(org):
        try:
            for _ in range(3):
                response = client.get(page)
                assert response.status_code == 200, f"status {response.status_code}"
        except Exception as exc:  # noqa: BLE001  (report a broken page and go on to the cross-check)
            print(f"  {label} ({page}): FAILED, {type(exc).__name__}: {exc}")
            continue
        samples = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            client.get(page)
            samples.append((time.perf_counter() - t0) * 1000)
        median, p95 = statistics.median(samples), percentile(samples, 95)
        medians.append(median)
        print(
            f"  {label} ({page}): median {median:.1f} ms, p95 {p95:.1f} ms "
            f"({median / PAGE_TARGET_MS:.2f} of the {PAGE_TARGET_MS:.0f} ms target)"
        )
    median = medians[0] if medians else float("nan")

    inputs = export_inputs(org, OUT)
    reference = duckdb_figures(
        repairs_csv=path,
        homes_csv=inputs["homes"],
        closed_csv=inputs["closed"],
        timescales_csv=inputs["timescales"],
        office_closes=org.office_closes.strftime("%H:%M"),
        receipt_day_is_day_zero=org.receipt_day_is_day_zero,
    )
    measure_ids = {int(row["measure_id"]) for row in csv.DictReader(inputs["timescales"].open())}
    ours = {
        (m, month.isoformat(), area, category): (numerator, denominator)
        for m, month, area, category, numerator, denominator in Figure.objects.filter(
            organisation=org, measure_id__in=measure_ids, denominator__gt=0
        ).values_list("measure_id", "month", "area_id", "category", "numerator", "denominator")
    }
    problems = compare(ours, reference.figures)
    total_den = sum(d for _, d in reference.figures.values())
    total_num = sum(n for n, _ in reference.figures.values())
    print(
        f"\nDuckDB {__import__('duckdb').__version__} on the CSV: load {reference.load_seconds:.2f} s, figures "
        f"{reference.query_seconds:.2f} s; {len(reference.figures):,} (measure, month, area, category) cells, "
        f"{total_num:,} of {total_den:,} jobs on time"
    )
    if problems:
        print(f"  {len(problems):,} cells DISAGREE with the stored figures:")
        for line in problems[:40]:
            print(f"    {line}")
    else:
        print(f"  every numerator and denominator agrees exactly ({len(ours):,} stored cells)")
    if result:
        print(
            f"  import (check + commit) {result['check'] + result['commit']:.1f} s = "
            f"{(result['check'] + result['commit']) / reference.seconds:.0f}× DuckDB's load and figures "
            f"({reference.seconds:.2f} s)"
        )
    print(f"  refresh {refresh:.2f} s = {refresh / reference.query_seconds:.1f}× DuckDB's figures query")

    print()
    verdict = []
    if result:
        verdict.append(f"import {result['total']:.1f} s / {result['rss']:.0f} MB")
    verdict += [
        f"refresh {refresh:.2f} s",
        f"page median {median:.0f} ms",
        "cross-check " + ("OK" if not problems else "FAILED"),
    ]
    print("; ".join(verdict))
    print(machine_line())
    if problems:
        sys.exit(1)


def pages(org: object) -> list[tuple[str, str]]:
    """The staff performance overview (every measure), and the routine repairs measure's page
    (its trend, by area and by category, and the jobs that missed)."""
    from django.urls import reverse

    from standards.models import Measure

    routine = Measure.objects.get(organisation=org, code="rep-cat3")
    return [
        ("performance overview", reverse("performance:overview")),
        ("routine repairs measure", reverse("performance:measure", args=[routine.pk])),
    ]


if __name__ == "__main__":
    main()
