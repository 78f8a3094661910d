#!/usr/bin/env python
"""Time the ranked list of residents matching a task-and-finish opportunity, among 100,000.

    .venv/bin/python bench/match_opportunity.py                 # SQLite file in bench/out/
    .venv/bin/python bench/match_opportunity.py --postgres      # PostgreSQL database involve_bench (dropped and recreated)
    .venv/bin/python bench/match_opportunity.py --residents 5000 --runs 10

Builds a fresh database (migrate, then `people.demo.build_demo`, which also runs this app's demo),
adds a realistic task-and-finish opportunity (mystery-shop the repairs line: two interests, one
area, three involvement levels, training required, large print offered) with recent invitations
so "asked too often" has work to do, then times `opportunities.selectors.match_residents` (the
best 50, with reasons) and the staff page that shows them: three warm-up runs, then --runs timed
ones. Prints the median and 95th percentile and their ratio to the 300 ms target. --reuse keeps
the database from the last run.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
import warnings

from _common import machine_line, percentile, prepare_database  # noqa: E402  (bench/ is the script directory)

TARGET_MS = 300.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--postgres", action="store_true", help="Use PostgreSQL at 127.0.0.1:5432 (database involve_bench)"
    )
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30, help="Timed runs per scenario (after 3 warm-ups)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="Keep the database of the last run (no rebuild)")
    args = parser.parse_args()

    url = prepare_database(postgres=args.postgres, name="match_opportunity", reuse=args.reuse)

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User
    from opportunities.models import Invitation, Opportunity
    from opportunities.selectors import match_residents
    from people.demo import build_demo, demo_exists
    from people.models import Area, Consent, FormatNeed, Interest, Resident
    from resources.models import TrainingCourse, TrainingRecord

    print(f"Database: {connection.vendor} {url}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    if not (args.reuse and demo_exists()):
        summary = build_demo(residents=args.residents, seed=args.seed, reset=True)
        print(f"build_demo({args.residents:,}): {summary.seconds:.1f} s")

    officer = User.objects.get(username="officer")
    org = officer.organisation
    title = "Bench: mystery shop the repairs line"
    opportunity = Opportunity.objects.filter(organisation=org, title=title).first()
    if opportunity is None:
        course = TrainingCourse.objects.get(organisation=org, code="mystery-shopping")
        consenting = (
            Resident.objects.filter(organisation=org, status="active")
            .exclude(involvement_level__in=["", "informed"])
            .filter(
                pk__in=Consent.objects.filter(purpose="involvement_contact", withdrawn_at__isnull=True).values(
                    "resident_id"
                )
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        ids = list(consenting)
        # A tenth of the candidates trained (a busy mystery-shopping programme), some asked lately.
        TrainingRecord.objects.bulk_create(
            [
                TrainingRecord(resident_id=pk, course=course, completed_on=datetime.date(2026, 1, 10))
                for pk in ids[::10]
            ],
            ignore_conflicts=True,
        )
        opportunity = Opportunity.objects.create(
            organisation=org,
            title=title,
            description="Phone the repairs line three times and fill in the form.",
            starts_at=timezone.now() + datetime.timedelta(days=20),
            place="From home",
            capacity=10,
            levels=["armchair", "involved", "decision_making"],
            time_needed="year",
        )
        opportunity.interests.set(Interest.objects.filter(code__in=["repairs", "complaints"]))
        opportunity.areas.set(Area.objects.filter(organisation=org, name="North", level="area"))
        opportunity.training_required.set([course])
        opportunity.format_support.set(FormatNeed.objects.filter(code="large-print"))
        others = list(Opportunity.objects.filter(organisation=org).exclude(pk=opportunity.pk)[:3])
        recent = timezone.now() - datetime.timedelta(days=5)
        Invitation.objects.bulk_create(
            [
                Invitation(organisation=org, opportunity=other, resident_id=pk, key=f"b{n}{pk}", invited_at=recent)
                for n, other in enumerate(others)
                for pk in ids[n::7]
            ],
            ignore_conflicts=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    total = Resident.objects.filter(organisation=org).count()
    client = Client()
    client.force_login(officer)
    page_url = f"/staff/opportunities/{opportunity.pk}/matches/"

    def run_selector() -> object:
        return match_residents(user=officer, opportunity=opportunity, limit=50)

    def run_page() -> object:
        response = client.get(page_url)
        assert response.status_code == 200
        return response

    print(f"Residents of {org}: {total:,}; {args.runs} timed runs per scenario after 3 warm-ups")
    print()
    header = f"{'scenario':<34} {'candidates':>10} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'median/300':>10} {'p95/300':>8}"
    print(header)
    print("-" * len(header))
    results = []
    for label, run in (("match_residents (best 50)", run_selector), ("matches page (best 50, rendered)", run_page)):
        for _ in range(3):
            run()
        with CaptureQueriesContext(connection) as captured:
            run()
        queries = len(captured.captured_queries)
        samples = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            run()
            samples.append((time.perf_counter() - t0) * 1000)
        median, p95 = statistics.median(samples), percentile(samples, 95)
        results.append((label, median, p95))
        found = run_selector()
        print(
            f"{label:<34} {found.total:>10,} {queries:>7} {median:>10.1f} {p95:>8.1f} "  # type: ignore[attr-defined]
            f"{median / TARGET_MS:>10.2f} {p95 / TARGET_MS:>8.2f}"
        )
    best = run_selector()
    print()
    print("Top 3:")
    for match in best.matches[:3]:  # type: ignore[attr-defined]
        print(f"  {match.score:>3}  {match.resident.full_name}: {'; '.join(match.reasons)}")
    median = results[0][1]
    print()
    print(
        f"Ranked matching list: median {median:.1f} ms ({median / TARGET_MS:.2f} of the {TARGET_MS:.0f} ms target) — "
        f"{'within target' if median <= TARGET_MS else 'OVER TARGET'}"
    )
    print(machine_line())


if __name__ == "__main__":
    main()
