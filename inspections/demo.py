"""This app's part of the demo landlord; called by people.demo.build_demo after residents exist.

A mystery-shopping course and a handful of trained shoppers (the `panel` account among them,
with one exercise to fill in), five scenarios with a year of scored results, a case study, the
walkabout procedure in two versions and four walkabouts with findings open, in progress and
closed. Every row is written in a few bulk inserts, so the time does not grow with the number of
residents."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from inspections.models import (
    Answer,
    CaseObservation,
    CaseStudy,
    Exercise,
    Finding,
    FindingUpdate,
    Question,
    Scenario,
    Service,
    Walkabout,
    WalkaboutProcedure,
)
from inspections.services import _weighted_score
from people.models import Area, Resident
from resources.models import TrainingCourse, TrainingRecord

SHOPPERS = 8

# title, kind, service, code of the local-offer measure tested (Oxford preset; "" for none), brief,
# questions (text, kind, weight)
SCENARIOS: tuple[tuple[str, str, str, str, str, tuple[tuple[str, str, int], ...]], ...] = (
    (
        "Report a leaking kitchen tap by phone",
        Scenario.Kind.PHONE_CALL,
        Service.REPAIRS,
        "rep-appointment-made",
        "Phone the repairs line. Say your kitchen tap has been dripping for a week and you cannot turn it off fully. "
        "Ask when someone can come. Do not say you are a mystery shopper.",
        (
            ("Was the call answered within 60 seconds?", Question.Kind.YES_NO, 2),
            ("Did the call handler give their name?", Question.Kind.YES_NO, 1),
            ("Were you offered an appointment slot?", Question.Kind.YES_NO, 3),
            ("How polite and helpful was the call handler?", Question.Kind.SCORE, 2),
            ("Tell us what happened", Question.Kind.TEXT, 1),
        ),
    ),
    (
        "Report a communal light out online",
        Scenario.Kind.REPAIR_REPORT,
        Service.REPAIRS,
        "rep-cat3",
        "Use the website to report that the light on your block's stairwell has not worked for three nights.",
        (
            ("Could you find the repair form in under two minutes?", Question.Kind.YES_NO, 1),
            ("Did you get a reference number straight away?", Question.Kind.YES_NO, 2),
            ("Was the light fixed within 5 working days?", Question.Kind.YES_NO, 3),
            ("How easy was the form to use?", Question.Kind.SCORE, 1),
        ),
    ),
    (
        "Complain about a missed bin collection",
        Scenario.Kind.COMPLAINT,
        Service.COMPLAINTS,
        "",
        "Make a stage 1 complaint by email that the communal bins were not emptied for two weeks.",
        (
            ("Was the complaint acknowledged within 5 working days?", Question.Kind.YES_NO, 2),
            ("Did the reply explain what would happen next?", Question.Kind.YES_NO, 2),
            ("How well did the reply deal with your complaint?", Question.Kind.SCORE, 3),
            ("Anything that could be better?", Question.Kind.TEXT, 1),
        ),
    ),
    (
        "Ask about a transfer at the estate office",
        Scenario.Kind.VISIT,
        Service.LETTINGS,
        "",
        "Visit the estate office in opening hours and ask how to apply to move to a smaller home.",
        (
            ("Were you greeted within 5 minutes?", Question.Kind.YES_NO, 1),
            ("Were you given written information to take away?", Question.Kind.YES_NO, 2),
            ("How clean and welcoming was the office?", Question.Kind.SCORE, 1),
            ("How clear was the advice?", Question.Kind.SCORE, 3),
        ),
    ),
    (
        "Email the rent team for a statement",
        Scenario.Kind.EMAIL_ONLINE,
        Service.RENT,
        "",
        "Email the rent team asking for a statement of your rent account for the last six months.",
        (
            ("Did you get a reply within 5 working days?", Question.Kind.YES_NO, 3),
            ("Was the statement attached or sent?", Question.Kind.YES_NO, 2),
            ("How easy was the statement to understand?", Question.Kind.SCORE, 1),
        ),
    ),
)

# How likely a good answer is for each service at the start of the year, and how much it improves.
QUALITY = {Service.REPAIRS: (0.55, 0.25), Service.COMPLAINTS: (0.5, 0.1), Service.LETTINGS: (0.8, 0.0),
           Service.RENT: (0.7, 0.1)}  # fmt: skip

FINDINGS = (
    (Finding.Category.LITTER, "Fly-tipped sofa and black bags", "Bin store behind {n} {street}",
     "Bulky waste removal, then check the store's lock"),
    (Finding.Category.LIGHTING, "Two lamps out on the footpath", "Footpath between {street} and the park",
     "Report to the street lighting contractor"),
    (Finding.Category.GROUNDS, "Grass verges not cut since spring", "Verges along {street}",
     "Add to the grounds maintenance schedule"),
    (Finding.Category.GRAFFITI, "Offensive graffiti on the garage doors", "Garage block off {street}",
     "Remove within 24 hours as it is offensive"),
    (Finding.Category.COMMUNAL_REPAIRS, "Entrance door does not close, so the block is not secure",
     "Main entrance, {n}–{m} {street}", "Raise an emergency repair for the door closer"),
    (Finding.Category.PLAY, "Broken swing seat in the play area", "Play area by {street}",
     "Take the swing out of use and order a replacement"),
    (Finding.Category.PATHS, "Loose paving slabs, a trip hazard", "Outside {n} {street}",
     "Re-lay the slabs"),
    (Finding.Category.SAFETY, "Residents worried about drug dealing at night", "Alleyway behind {street}",
     "Pass to the neighbourhood police team and ask for patrols"),
)  # fmt: skip
STREETS = ("Larkhill Road", "Ashfield Close", "Mill Lane", "Canal Walk", "Orchard Way", "Victoria Street")


def _months_later(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def build(*, organisation: Any, users: dict[str, Any], seed: int, now: Any) -> None:
    """Add this app's demo records for `organisation`. Deterministic for a given seed."""
    rng = random.Random(f"inspections-{seed}")
    today = timezone.localdate(now)
    officer = users["officer"]

    # --- Trained shoppers ------------------------------------------------------------------------
    course, _ = TrainingCourse.objects.get_or_create(
        organisation=organisation,
        code="mystery-shopping",
        defaults={
            "name": "Mystery shopping",
            "description": "What a mystery shopper does, how to follow a script and how to fill in the assessment.",
        },
    )
    panel = Resident.objects.filter(organisation=organisation, user=users["panel"]).first()
    candidates = list(
        Resident.objects.filter(organisation=organisation, status=Resident.Status.ACTIVE)
        .exclude(involvement_level="")
        .exclude(user__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    shopper_ids = rng.sample(candidates, min(SHOPPERS, len(candidates)))
    if panel is not None:
        shopper_ids.append(panel.pk)
    if not shopper_ids:
        return
    # Trained before the year of results (or recently, if this landlord's course must be refreshed).
    records = []
    for pk in shopper_ids:
        if course.valid_for_months:
            completed = today - datetime.timedelta(days=rng.randint(5, 25))
            expires: datetime.date | None = _months_later(completed, course.valid_for_months)
        else:
            completed, expires = today - datetime.timedelta(days=rng.randint(380, 420)), None
        records.append(
            TrainingRecord(
                resident_id=pk, course=course, completed_on=completed, expires_on=expires, recorded_by=officer
            )
        )
    TrainingRecord.objects.bulk_create(records, ignore_conflicts=True)

    # --- Scenarios and a year of results --------------------------------------------------------
    scenarios = Scenario.objects.bulk_create(
        [
            Scenario(organisation=organisation, title=title, kind=kind, service=service, brief=brief,
                     required_course=course, created_by=officer)
            for title, kind, service, _code, brief, _ in SCENARIOS
        ]
    )  # fmt: skip
    questions: dict[int, list[Question]] = {}
    all_questions = []
    for scenario, spec in zip(scenarios, SCENARIOS, strict=True):
        questions[scenario.pk] = [
            Question(scenario=scenario, position=i, text=text, kind=kind, weight=weight, is_required=kind != "text")
            for i, (text, kind, weight) in enumerate(spec[5], start=1)
        ]
        all_questions.extend(questions[scenario.pk])
    Question.objects.bulk_create(all_questions)

    exercises: list[Exercise] = []
    answers_for: list[list[Answer]] = []
    others = [pk for pk in shopper_ids if panel is None or pk != panel.pk]
    for month in range(12, 0, -1):
        for _ in range(rng.randint(3, 5)):
            scenario = rng.choice(scenarios)
            done_on = today - datetime.timedelta(days=30 * month - rng.randint(0, 27))
            start, gain = QUALITY[Service(scenario.service)]
            chance = start + gain * (12 - month) / 11
            answers = []
            for question in questions[scenario.pk]:
                answer = Answer(question=question)
                if question.kind == Question.Kind.YES_NO:
                    answer.yes_no = rng.random() < chance
                elif question.kind == Question.Kind.SCORE:
                    answer.score = max(1, min(5, round(rng.gauss(1 + 4 * chance, 0.8))))
                else:
                    answer.text = rng.choice(("Friendly and quick.", "Had to call back twice.", "No problems.", ""))
                answers.append(answer)
            submitted = timezone.make_aware(datetime.datetime.combine(done_on, datetime.time(16, 0)))
            exercises.append(
                Exercise(
                    organisation=organisation,
                    scenario=scenario,
                    shopper_id=rng.choice(others or shopper_ids),
                    due_on=done_on + datetime.timedelta(days=rng.randint(0, 7)),
                    status=Exercise.Status.SUBMITTED,
                    assigned_by=officer,
                    assigned_at=submitted - datetime.timedelta(days=14),
                    carried_out_on=done_on,
                    score=_weighted_score(answers),
                    submitted_at=submitted,
                    submitted_by=officer if rng.random() < 0.3 else None,
                    entered_from_paper=False,
                )
            )
            answers_for.append(answers)
    for exercise in exercises:
        if exercise.submitted_by is not None:
            exercise.entered_from_paper = True
    Exercise.objects.bulk_create(exercises)
    flat = []
    for exercise, answers in zip(exercises, answers_for, strict=True):
        for answer in answers:
            answer.exercise = exercise
            flat.append(answer)
    Answer.objects.bulk_create(flat)

    # Exercises still to do: one for the panel account to fill in, and one or two for others.
    to_do = []
    if panel is not None:
        to_do.append((scenarios[0], panel.pk, today + datetime.timedelta(days=10)))
    for scenario, pk in zip(scenarios[2:4], others, strict=False):
        to_do.append((scenario, pk, today + datetime.timedelta(days=rng.randint(5, 20))))
    Exercise.objects.bulk_create(
        [
            Exercise(organisation=organisation, scenario=s, shopper_id=pk, due_on=due, assigned_by=officer,
                     assigned_at=now - datetime.timedelta(days=3))
            for s, pk, due in to_do
        ]
    )  # fmt: skip

    # --- A case study -----------------------------------------------------------------------------
    followed = rng.choice(candidates) if candidates else shopper_ids[0]
    case = CaseStudy.objects.create(
        organisation=organisation,
        title=CASE_STUDY_TITLE,
        resident_id=followed,
        service=Service.REPAIRS,
        case_reference="REP-448213",
        started_on=today - datetime.timedelta(days=60),
        created_by=officer,
    )
    CaseObservation.objects.bulk_create(
        [
            CaseObservation(case_study=case, observed_on=today - datetime.timedelta(days=60), recorded_by=officer,
                            note="Resident reported mould in the bedroom by phone.", standard="not_judged"),
            CaseObservation(case_study=case, observed_on=today - datetime.timedelta(days=55), recorded_by=officer,
                            note="Surveyor visited within 5 working days and took readings.", standard="met"),
            CaseObservation(case_study=case, observed_on=today - datetime.timedelta(days=30), recorded_by=officer,
                            note="Mould wash done; extractor fan still not fitted after 4 weeks.", standard="partly"),
        ]
    )  # fmt: skip

    # --- Walkabouts ------------------------------------------------------------------------------
    first_version = WalkaboutProcedure.objects.create(
        organisation=organisation,
        version=1,
        text="Walkabouts are held on every estate twice a year. The housing officer agrees the route with the "
        "residents' association, invites residents, councillors and the neighbourhood police team at least two "
        "weeks before, and records every finding as an action with an owner and a due date.",
        effective_from=today - datetime.timedelta(days=500),
        created_by=officer,
    )
    current = WalkaboutProcedure.objects.create(
        organisation=organisation,
        version=2,
        text=first_version.text + " A plain-English summary of what was found and what is being done is published "
        "for the estate's residents within 10 working days. Actions are reviewed monthly until closed.",
        change_note="Summaries for residents and monthly review of actions added",
        effective_from=today - datetime.timedelta(days=200),
        created_by=officer,
    )
    estates = list(Area.objects.filter(organisation=organisation, level=Area.Level.ESTATE).order_by("name")[:4])
    attendees = candidates[:40]
    walk_specs = [
        (Walkabout.Kind.WALKABOUT, 120, Walkabout.Status.COMPLETED),
        (Walkabout.Kind.EVA, 45, Walkabout.Status.COMPLETED),
        (Walkabout.Kind.INSPECTION, 15, Walkabout.Status.COMPLETED),
        (Walkabout.Kind.WALKABOUT, -14, Walkabout.Status.PLANNED),
    ]
    walkabouts = []
    for (kind, days_ago, status), estate in zip(walk_specs, estates, strict=False):
        day = today - datetime.timedelta(days=days_ago)
        walkabouts.append(
            Walkabout(
                organisation=organisation,
                kind=kind,
                area=estate,
                date=day,
                start_time=datetime.time(10, 30),
                meeting_point="Outside the community centre",
                route=f"From the community centre along {rng.choice(STREETS)}, round the garage block, "
                "through the play area and back past the bin stores.",
                status=status,
                other_residents=rng.randint(0, 6) if status == Walkabout.Status.COMPLETED else 0,
                staff_attending="Housing officer\nEstate services supervisor",
                others_attending="Ward councillor\nNeighbourhood police team" if kind != "inspection" else "",
                public_summary=(
                    f"Residents, staff and partners walked the {estate.name} estate on {day:%-d %B}. "
                    "We looked at the bin stores, paths, lighting, play area and garages. Below is what we found "
                    "and what we are doing about each thing."
                    if status == Walkabout.Status.COMPLETED
                    else ""
                ),
                procedure=current if day >= current.effective_from else first_version,
                completed_at=now - datetime.timedelta(days=days_ago) if status == Walkabout.Status.COMPLETED else None,
                created_by=officer,
            )
        )
    Walkabout.objects.bulk_create(walkabouts)
    through = Walkabout.residents_attending.through
    through.objects.bulk_create(
        [
            through(walkabout_id=w.pk, resident_id=pk)
            for w in walkabouts
            if w.status == Walkabout.Status.COMPLETED
            for pk in rng.sample(attendees, min(len(attendees), rng.randint(2, 5)))
        ]
    )
    findings, closing = [], []
    for walkabout in walkabouts:
        if walkabout.status != Walkabout.Status.COMPLETED:
            continue
        age = (today - walkabout.date).days
        for category, description, location, action in rng.sample(FINDINGS, rng.randint(4, 6)):
            n = rng.randint(1, 60)
            due = walkabout.date + datetime.timedelta(days=rng.choice((7, 14, 28)))
            closed = rng.random() < min(0.9, age / 100)
            finding = Finding(
                organisation=organisation,
                walkabout=walkabout,
                category=category,
                description=description,
                location=location.format(n=n, m=n + 8, street=rng.choice(STREETS)),
                action=action,
                owner=officer if rng.random() < 0.5 else None,
                owner_team=rng.choice(("Estate services", "Repairs contractor", "Grounds maintenance", "")),
                due_on=due,
                status=Finding.Status.CLOSED
                if closed
                else rng.choice((Finding.Status.OPEN, Finding.Status.IN_PROGRESS)),
                created_by=officer,
                created_at=now - datetime.timedelta(days=age),
            )
            if not finding.owner and not finding.owner_team:
                finding.owner_team = "Estate services"
            if closed:
                finding.closed_at = now - datetime.timedelta(days=max(0, age - rng.randint(3, 20)))
                finding.closed_by = officer
                finding.closing_note = "Done and checked on site."
                closing.append(finding)
            findings.append(finding)
    Finding.objects.bulk_create(findings)
    FindingUpdate.objects.bulk_create(
        [
            FindingUpdate(finding=f, note=f.closing_note, status=Finding.Status.CLOSED, created_by=officer,
                          created_at=f.closed_at)
            for f in closing
        ]
    )  # fmt: skip


CASE_STUDY_TITLE = "Damp and mould in a ground-floor flat"
CASE_STUDY_MEASURE = "rep-cat3"


def link_measures(*, organisation: Any) -> int:
    """Link the demo's scenarios and case study to the local-offer measures they test (the
    fourth item of each entry in SCENARIOS). The standards demo calls this once the local offer
    is loaded, since it is built after this app's demo. Returns how many were linked."""
    from standards.models import Measure

    measures = {m.code: m for m in Measure.objects.filter(organisation=organisation)}
    linked = 0
    for title, _kind, _service, code, _brief, _questions in SCENARIOS:
        if code in measures:
            linked += Scenario.objects.filter(organisation=organisation, title=title, measure__isnull=True).update(
                measure=measures[code]
            )
    if CASE_STUDY_MEASURE in measures:
        linked += CaseStudy.objects.filter(
            organisation=organisation, title=CASE_STUDY_TITLE, measure__isnull=True
        ).update(measure=measures[CASE_STUDY_MEASURE])
    return linked
