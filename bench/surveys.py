#!/usr/bin/env python
"""Time a survey's results with 50,000 responses to 30 questions, and drawing a sample.

    .venv/bin/python bench/surveys.py               # SQLite file in bench/out/
    .venv/bin/python bench/surveys.py --postgres    # PostgreSQL database involve_bench (dropped and recreated)
    .venv/bin/python bench/surveys.py --responses 5000

Builds a demo landlord (--residents, 100,000 by default), a survey of 30 questions (scales,
single and multiple choice, a grid, numbers and free text) through the services, then writes
--responses responses and their answer rows in bulk as sending them would (area and tenure
copied). Recounts the survey's tally once (as `tally_rebuild` would after a bulk
load; sending responses keeps it up to date). Times `selectors.results` on its own and by area (the cross-tab), the results page
by area, and the TSM perception survey's stratified draw of 5,000 households from the register
(`perception.services.sample_draw`: the frame query, the draw and writing who was drawn). Targets: results
with cross-tabs by area under 1 s; the sample under 1 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import warnings

from _common import machine_line, percentile, prepare_database  # noqa: E402  (bench/ is the script directory)

RESULTS_TARGET_MS = 1000.0
SAMPLE_TARGET_MS = 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", action="store_true", help="Use PostgreSQL (database involve_bench)")
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    url = prepare_database(postgres=args.postgres, name="surveys")

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from people.demo import build_demo
    from people.models import Area, Resident
    from surveys import selectors, services
    from surveys.models import Answer, Response

    print(f"Database: {connection.vendor} {url}")
    call_command("migrate", verbosity=0)
    build_demo(residents=args.residents, seed=2026, reset=True)
    officer = User.objects.get(username="officer")
    org = officer.organisation
    survey = services.survey_create(organisation=org, actor=officer, title="Big survey", purpose="Benchmark.")
    page = survey.versions.get().sections.get()
    scale = ["Very satisfied", "Fairly satisfied", "Neither", "Fairly dissatisfied", "Very dissatisfied"]
    kinds = (["scale"] * 18) + (["single"] * 4) + (["multiple"] * 3) + ["matrix"] + (["number"] * 2) + (["text"] * 2)
    for i, kind in enumerate(kinds, start=1):
        options = scale if kind in ("scale", "matrix") else [f"Option {n}" for n in range(1, 6)]
        services.question_add(survey=survey, actor=officer, section=page, kind=kind, text=f"Question {i}",
                              options=options if kind not in ("number", "text") else [],
                              rows=["Speed", "Politeness", "Tidiness"] if kind == "matrix" else [],
                              required=False)  # fmt: skip
    services.survey_publish(survey=survey, actor=officer)
    survey.refresh_from_db()
    version = survey.live_version
    questions = list(version.questions.all())
    areas = list(Area.objects.filter(organisation=org, parent__isnull=True).values_list("pk", flat=True))
    tenures = ["secure_assured", "secure_assured", "secure_assured", "leaseholder", "shared_owner"]
    rng = random.Random(50_000)
    started = time.perf_counter()
    now = timezone.now()
    batch = 2_000
    answers_written = 0
    with transaction.atomic():
        for start in range(0, args.responses, batch):
            responses = Response.objects.bulk_create(
                [
                    Response(
                        survey=survey,
                        version=version,
                        method="online",
                        area_id=rng.choice(areas),
                        tenure=rng.choice(tenures),
                        submitted_at=now,
                    )  # fmt: skip
                    for _ in range(min(batch, args.responses - start))
                ]
            )
            rows = []
            for r in responses:
                for q in questions:
                    base = {"response_id": r.pk, "survey_id": survey.pk, "question_id": q.pk, "area_id": r.area_id,
                            "tenure": r.tenure}  # fmt: skip
                    if q.kind in ("scale", "single"):
                        rows.append(Answer(**base, choice=rng.choice(q.options)))
                    elif q.kind == "multiple":
                        rows += [Answer(**base, choice=o) for o in rng.sample(q.options, rng.randint(1, 3))]
                    elif q.kind == "matrix":
                        rows += [Answer(**base, row=row, choice=rng.choice(q.options)) for row in q.rows]
                    elif q.kind == "number":
                        rows.append(Answer(**base, number=rng.randint(0, 40)))
                    elif rng.random() < 0.3:
                        rows.append(Answer(**base, text="The caretaker is great but the lift is often broken."))
            Answer.objects.bulk_create(rows, batch_size=5_000)
            answers_written += len(rows)
    print(
        f"Wrote {args.responses:,} responses and {answers_written:,} answers in {time.perf_counter() - started:.1f} s"
    )
    # Sending a response adds to the tally as it goes; a bulk load recounts it once.
    started = time.perf_counter()
    tally_rows = services.tally_rebuild(survey=survey)
    print(f"Recounted the tally ({tally_rows:,} rows) in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:  # as autovacuum would after a bulk load
        cursor.execute("ANALYZE")

    client = Client()
    client.force_login(officer)

    def timed(run) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        run()
        samples = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            run()
            samples.append((time.perf_counter() - t0) * 1000)
        return statistics.median(samples), percentile(samples, 95)

    def page_by_area() -> None:
        response = client.get(f"/staff/surveys/{survey.pk}/results/?by=area")
        assert response.status_code == 200

    residents = Resident.objects.filter(organisation=org).count()
    print(f"Register: {residents:,} residents")

    from perception import services as perception_services
    from perception.models import Population, SampleMember

    perception = perception_services.perception_survey_create(organisation=org, actor=officer,
                                                              year_starting=timezone.localdate().year)  # fmt: skip
    population = perception.populations.get(stock="lcra")
    households = perception_services.population_queryset(organisation=org, stock="lcra").count()

    def draw() -> None:
        """The TSM draw as staff make it: the frame from the register, stratified by area, 5,000
        drawn with a seed and recorded (the members written). Undone after each run."""
        perception_services.sample_draw(population=population, actor=officer, approach="sample",
                                        expected_response_rate=50, seed=2026, size=5_000)  # fmt: skip
        SampleMember.objects.filter(population=population).delete()
        Population.objects.filter(pk=population.pk).update(drawn_at=None)

    header = f"{'scenario':<40} {'median ms':>10} {'p95 ms':>8} {'target ms':>10} {'median/target':>13}"
    print(header)
    print("-" * len(header))
    for label, run, target in (
        ("results (selector)", lambda: selectors.results(survey=survey), RESULTS_TARGET_MS),
        ("results by area (selector)", lambda: selectors.results(survey=survey, by="area"), RESULTS_TARGET_MS),
        ("results by area (page)", page_by_area, RESULTS_TARGET_MS),
        (f"TSM draw of 5,000 from {households:,} households", draw, SAMPLE_TARGET_MS),
    ):
        median, p95 = timed(run)
        print(f"{label:<40} {median:>10.1f} {p95:>8.1f} {target:>10.0f} {median / target:>13.2f}")
    print(machine_line())


if __name__ == "__main__":
    main()
