#!/usr/bin/env python
"""Time the resident import on a 100,000-row housing-system export, and its peak memory.

    .venv/bin/python bench/import_residents.py                 # SQLite file in bench/out/
    .venv/bin/python bench/import_residents.py --postgres      # PostgreSQL database involve_bench (dropped and recreated)
    .venv/bin/python bench/import_residents.py --rows 5000

Writes a CSV the way a housing management system exports it (its own column names, "Secure" and
"Starter" for tenures, dd/mm/yyyy dates, Y/N for the lead tenant), then runs the same pipeline as
`manage.py import_data` and the import pages: batch_create → batch_check → batch_commit, timing
each stage and recording the process's peak resident memory (ru_maxrss). Then imports the same
file again, which must change nothing (created 0, updated 0). Targets: 60 s and 500 MB.

--tracemalloc also reports the peak of Python allocations (it slows the run several times over).
"""

from __future__ import annotations

import argparse
import csv
import resource
import time
import tracemalloc
import warnings
from pathlib import Path

from _common import OUT, ROOT, machine_line, prepare_database  # noqa: E402  (bench/ is the script directory)

TARGET_SECONDS = 60.0
TARGET_MB = 500.0

HEADERS = [
    "Person ID",
    "Tenancy Number",
    "Prop Ref",
    "Title",
    "Forename",
    "Surname",
    "Email Address",
    "Telephone",
    "Mobile Phone",
    "Address 1",
    "Address 2",
    "Town",
    "Post Code",
    "UPRN",
    "Patch",
    "Block",
    "Tenancy Type",
    "Start Date",
    "Main Tenant",
]
# How housing systems tend to spell each tenure (all understood by people.imports.TENURE_WORDS).
TENURE_WORDING = {
    "secure_assured": ("Secure", "Assured", "General Needs"),
    "introductory": ("Starter",),
    "leaseholder": ("Leasehold",),
    "shared_owner": ("Shared Ownership",),
    "private_tenant": ("Private Rented",),
    "owner_occupier": ("Owner Occupier",),
    "advocate": ("Advocate",),
}


def peak_mb() -> float:
    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_csv(path: Path, rows: int, seed: int) -> int:
    """Write `rows` residents, about 1.4 to a tenancy, streaming. Returns the number of homes."""
    from people.demo import MAIN_GEOGRAPHY, Generator

    gen = Generator(seed)
    rng = gen.rng
    estates = [(area, estate) for area, hoods in MAIN_GEOGRAPHY for _, names in hoods for estate in names]
    addresses = [gen.addresses(f"RV{n + 1}") for n in range(len(estates))]
    written = homes = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        while written < rows:
            homes += 1
            place = rng.randrange(len(estates))
            area, estate = estates[place]
            line_1, line_2, postcode, is_flat = next(addresses[place])
            tenure = gen.tenure(is_flat)
            start = gen.start_date(tenure)
            uprn = str(990_000_000_000 + homes) if rng.random() < 0.9 else ""
            for position, person in enumerate(gen.household(gen.size(rng))):
                if written >= rows:
                    break
                written += 1
                writer.writerow(
                    [
                        f"CUS{written:07d}",
                        f"TEN/{homes:06d}",
                        f"PROP{homes:06d}",
                        person.title,
                        person.first_name,
                        person.last_name,
                        person.email,
                        person.phone,
                        person.mobile,
                        line_1,
                        line_2,
                        "Riverton",
                        postcode,
                        uprn,
                        area,
                        estate,
                        rng.choice(TENURE_WORDING[tenure]),
                        start.strftime("%d/%m/%Y") if start else "",
                        "Y" if position == 0 else "N",
                    ]
                )
    return homes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--postgres", action="store_true", help="Use PostgreSQL at 127.0.0.1:5432 (database involve_bench)"
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--tracemalloc", action="store_true", help="Also measure the peak of Python allocations")
    args = parser.parse_args()

    url = prepare_database(postgres=args.postgres, name="import_residents")

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()

    from auditlog.models import LogEntry
    from django.core.files import File
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import Organisation, Role, User
    from core.imports import batch_check, batch_commit, batch_create
    from people.models import Home, Resident, Tenancy

    print(f"Database: {connection.vendor} {url}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")

    path = OUT / f"residents_{args.rows}.csv"
    started = time.perf_counter()
    homes = write_csv(path, args.rows, args.seed)
    print(
        f"Wrote {path.relative_to(ROOT)}: {args.rows:,} rows, {homes:,} homes, "
        f"{path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s"
    )

    org = Organisation.objects.create(name="Bench Housing", slug="bench-housing")
    officer = User.objects.create(username="bench-officer", role=Role.INVOLVEMENT_OFFICER, organisation=org)

    def run(label: str) -> dict[str, float]:
        figures: dict[str, float] = {"rss_before": peak_mb()}
        if args.tracemalloc:
            tracemalloc.start()
        t0 = time.perf_counter()
        with path.open("rb") as handle:
            batch = batch_create(
                organisation=org, kind="residents", file=File(handle), filename=path.name, actor=officer
            )
        t1 = time.perf_counter()
        unmapped = [h for h in HEADERS if h not in batch.mapping.values()]
        assert not unmapped, f"columns not recognised: {unmapped}"
        batch = batch_check(batch=batch, actor=officer)
        t2 = time.perf_counter()
        figures["check_rss"] = peak_mb()
        assert batch.invalid_rows == 0, [e.messages for e in batch.row_errors.all()[:5]]
        batch = batch_commit(batch=batch, actor=officer, valid_only=False)
        t3 = time.perf_counter()
        figures.update(
            upload=t1 - t0,
            check=t2 - t1,
            commit=t3 - t2,
            total=t3 - t0,
            rss_peak=peak_mb(),
            created=batch.created_count,
            updated=batch.updated_count,
            unchanged=batch.unchanged_count,
        )
        if args.tracemalloc:
            figures["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
        print(
            f"\n{label}: {batch.total_rows:,} rows — created {batch.created_count:,}, updated {batch.updated_count:,}, "
            f"unchanged {batch.unchanged_count:,}"
        )
        print(
            f"  upload {figures['upload']:.1f} s, check {figures['check']:.1f} s, commit {figures['commit']:.1f} s; "
            f"total {figures['total']:.1f} s ({figures['total'] / TARGET_SECONDS:.2f} of the {TARGET_SECONDS:.0f} s target)"
        )
        print(
            f"  peak RSS {figures['rss_peak']:.0f} MB ({figures['rss_peak'] / TARGET_MB:.2f} of the {TARGET_MB:.0f} MB target; "
            f"{figures['rss_before']:.0f} MB before the import)"
            + (f"; tracemalloc peak {figures['tracemalloc_peak']:.0f} MB" if args.tracemalloc else "")
        )
        return figures

    first = run("First import")
    print(
        f"  in the database: {Resident.objects.filter(organisation=org).count():,} residents, "
        f"{Tenancy.objects.filter(organisation=org).count():,} tenancies, {Home.objects.filter(organisation=org).count():,} homes, "
        f"{LogEntry.objects.count():,} audit entries"
    )
    again = run("Same file again")
    unchanged = again["created"] == 0 and again["updated"] == 0
    print(f"  re-import changed nothing: {'yes' if unchanged else 'NO'}")

    print()
    within = first["total"] <= TARGET_SECONDS and first["rss_peak"] <= TARGET_MB
    print(
        f"First import {first['total']:.1f} s, peak {first['rss_peak']:.0f} MB; re-import {again['total']:.1f} s: "
        f"{'within targets' if within and unchanged else 'MISSED A TARGET'}"
    )
    print(machine_line())


if __name__ == "__main__":
    main()
