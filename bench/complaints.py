#!/usr/bin/env python
"""Time the complaints pages and the reminder job with 50,000 cases over five years.

    .venv/bin/python bench/complaints.py               # SQLite file in bench/out/
    .venv/bin/python bench/complaints.py --postgres    # PostgreSQL database involve_bench (dropped and recreated)
    .venv/bin/python bench/complaints.py --cases 5000  # smaller, for a quick look

Builds a small demo landlord (its Complaint Handling Code procedure), then writes --cases
complaints received evenly over the last five years, each with its stage 1 (and a fifth with a
stage 2) dated by the landlord's calendar as the services date them: most answered and closed
(in time, with an extension or late), about 2% still open with deadlines late, due today, this
week and later. Then times, signed in as the demo's officer, the "due and late" page
(`/staff/complaints/`) and the annual report page for the last full year, and the reminder job
`reminders_send` twice: the first run sends the reminders and late alerts, the second finds
nothing new (a day's re-run). Targets: due list under 200 ms median, annual report under 2 s,
the reminder scan under 1 s.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import time
import warnings

from _common import machine_line, percentile, prepare_database  # noqa: E402  (bench/ is the script directory)

DUE_TARGET_MS = 200.0
REPORT_TARGET_MS = 2000.0
REMINDER_TARGET_MS = 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="Use PostgreSQL (database involve_bench)")
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20, help="Timed runs of each page (after 2 warm-ups)")
    args = parser.parse_args()

    url = prepare_database(postgres=args.postgres, name="complaints")

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from complaints.models import Case, CaseStage, Procedure
    from complaints.services import reminders_send
    from core.calendar import calendar_for
    from people.demo import build_demo
    from people.models import Resident
    from performance.selectors import financial_year_start

    print(f"Database: {connection.vendor} {url}")
    call_command("migrate", verbosity=0)
    build_demo(residents=2_000, seed=2026, reset=True)
    officer = User.objects.get(username="officer")
    organisation = officer.organisation
    code = Procedure.objects.get(organisation=organisation, code="complaints")
    stage1, stage2 = code.stages.get(code="stage-1"), code.stages.get(code="stage-2")
    calendar = calendar_for(organisation)
    tz = calendar.tz
    residents = list(Resident.objects.filter(organisation=organisation).values_list("pk", flat=True))
    rng = random.Random(50_000)
    now = timezone.now()
    today = now.astimezone(tz).date()
    start_day = today - datetime.timedelta(days=5 * 365)
    areas = ["Repairs", "Anti-social behaviour", "Estate services", "Customer service", "Damp and mould"]

    def moment(day: datetime.date, hour: int) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, 0), tz)

    started = time.perf_counter()
    first_pk = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    cases, stages = [], []
    T = CaseStage.Timeliness
    for i in range(args.cases):
        day = start_day + datetime.timedelta(days=int(i * 5 * 365 / args.cases))
        day = calendar.working_day_on_or_after(day)
        received = moment(day, 10)
        recent = (today - day).days < 40
        open_case = recent and rng.random() < 0.6
        pk = first_pk + i
        cases.append(
            Case(
                pk=pk,
                organisation=organisation,
                reference=f"CMP-{pk:06d}",
                kind="complaint",
                procedure=code,
                resident_id=rng.choice(residents),
                received_at=received,
                channel="phone",
                summary="Bench case",
                service_area=rng.choice(areas),
                status="open" if open_case else "closed",
                handler=officer,
                closed_at=None if open_case else moment(min(today, day + datetime.timedelta(days=40)), 16),
            )  # fmt: skip
        )
        ack_day = calendar.add_working_days(day, rng.choice((1, 2, 3, 5, 6)))
        acknowledged = ack_day < today and not (open_case and rng.random() < 0.3)
        respond_due = calendar.add_working_days(ack_day, 10) if acknowledged else None
        roll = rng.random()
        extended_due = calendar.add_working_days(respond_due, 10) if respond_due and roll < 0.1 else None
        answered_day = None
        timeliness = ""
        if respond_due and not open_case:
            answered_day = calendar.add_working_days(ack_day, rng.choice((4, 8, 10, 14, 18)))
            timeliness = (T.IN_TIME if answered_day <= respond_due
                          else T.EXTENDED if extended_due and answered_day <= extended_due else T.LATE)  # fmt: skip
        stages.append(
            CaseStage(
                case_id=pk,
                stage=stage1,
                organisation=organisation,
                started_at=received,
                acknowledge_due=calendar.add_working_days(day, 5),
                acknowledged_at=moment(ack_day, 11) if acknowledged else None,
                acknowledged_in_time=(ack_day <= calendar.add_working_days(day, 5)) if acknowledged else None,
                respond_due=respond_due,
                extended_due=extended_due,
                extension_reason="Contractor" if extended_due else "",
                responded_at=moment(answered_day, 14) if answered_day else None,
                outcome=rng.choice(("upheld", "partly_upheld", "not_upheld")) if answered_day else "",
                timeliness=timeliness,
            )  # fmt: skip
        )
        if answered_day and rng.random() < 0.2:
            esc = calendar.add_working_days(answered_day, 5)
            ack2 = calendar.add_working_days(esc, 3)
            due2 = calendar.add_working_days(ack2, 20)
            answered2 = calendar.add_working_days(ack2, rng.choice((10, 18, 24)))
            stages.append(
                CaseStage(
                    case_id=pk,
                    stage=stage2,
                    organisation=organisation,
                    started_at=moment(esc, 9),
                    acknowledge_due=calendar.add_working_days(esc, 5),
                    acknowledged_at=moment(ack2, 11),
                    acknowledged_in_time=True,
                    respond_due=due2,
                    responded_at=moment(answered2, 14),
                    outcome="not_upheld",
                    timeliness=T.IN_TIME if answered2 <= due2 else T.LATE,
                )  # fmt: skip
            )
    with transaction.atomic():
        Case.objects.bulk_create(cases, batch_size=2_000)
        CaseStage.objects.bulk_create(stages, batch_size=2_000)
    with connection.cursor() as cursor:  # as autovacuum would after a bulk load
        cursor.execute("ANALYZE")
    build_s = time.perf_counter() - started
    open_count = CaseStage.objects.filter(responded_at__isnull=True, case__status="open").count()
    print(f"Wrote {len(cases):,} cases and {len(stages):,} stages in {build_s:.1f} s; {open_count:,} stages open")

    client = Client()
    client.force_login(officer)
    year = financial_year_start(today) - 1

    def page(path: str):  # type: ignore[no-untyped-def]
        def run() -> None:
            response = client.get(path)
            assert response.status_code == 200, response.status_code

        return run

    header = f"{'scenario':<34} {'median ms':>10} {'p95 ms':>8} {'target ms':>10} {'median/target':>13}"
    print(header)
    print("-" * len(header))
    for label, run, target, runs in (
        ("due and late list (page)", page("/staff/complaints/"), DUE_TARGET_MS, args.runs),
        (
            f"annual report {year}/{(year + 1) % 100:02d} (page)",
            page(f"/staff/complaints/annual-report/?year={year}"),
            REPORT_TARGET_MS,
            max(5, args.runs // 4),
        ),  # fmt: skip
        (
            "public complaints page",
            page(f"/complaints/{organisation.slug}/?year={year}"),
            REPORT_TARGET_MS,
            max(5, args.runs // 4),
        ),  # fmt: skip
    ):
        for _ in range(2):
            run()
        samples = []
        for _ in range(runs):
            t0 = time.perf_counter()
            run()
            samples.append((time.perf_counter() - t0) * 1000)
        median, p95 = statistics.median(samples), percentile(samples, 95)
        print(f"{label:<34} {median:>10.1f} {p95:>8.1f} {target:>10.0f} {median / target:>13.2f}")

    for label in ("reminder job, first run (sends)", "reminder job, re-run (nothing new)"):
        t0 = time.perf_counter()
        reminded, late = reminders_send(today=today)
        ms = (time.perf_counter() - t0) * 1000
        print(f"{label:<34} {ms:>10.1f} {'':>8} {REMINDER_TARGET_MS:>10.0f} {ms / REMINDER_TARGET_MS:>13.2f}"
              f"   ({reminded} reminded, {late} late)")  # fmt: skip
    print(machine_line())


if __name__ == "__main__":
    main()
