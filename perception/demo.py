"""This app's part of the demo landlord: last reporting year's TSM perception survey, run the way a
landlord would and published, so the results page, the public page and the TSM return have real
figures. Called by people.demo.build_demo after residents exist.

The design steps go through the services (exclusions, the stratified draw with seed 2025, opening
and closing, a manager publishing). The fieldwork is simulated: a third of those drawn answer,
by telephone, online and on paper, with some areas and younger tenants answering less, so the
weighting by area has something to correct (the demo register holds few dates of birth, so it is
weighted by area alone; raking by area and age band is there for landlords that hold them). Their answers are written in bulk, as a research company's
data file would be loaded, and the tally recounted once; invitations are recorded without
sending hundreds of demo messages."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from perception import services
from perception.models import Exclusion, PerceptionSurvey, SampleMember
from surveys import services as survey_services
from surveys.models import Answer, Invitation, Response

# Chance of each point on the five-point scale (very satisfied first, then N/A where offered).
LEANING = {
    "tp01": (30, 42, 12, 9, 7), "tp02": (32, 38, 10, 11, 9), "tp03": (28, 36, 11, 13, 12),
    "tp04": (27, 41, 13, 11, 8), "tp05": (35, 43, 10, 6, 4, 2), "tp06": (20, 34, 22, 13, 8, 3),
    "tp07": (26, 42, 16, 9, 5, 2), "tp08": (33, 45, 12, 5, 3, 2), "tp09": (12, 22, 20, 22, 20, 4),
    "tp10": (22, 38, 16, 14, 8, 2), "tp11": (20, 36, 26, 9, 5, 4), "tp12": (18, 32, 22, 12, 9, 7),
}  # fmt: skip
SCREENS = {"repair": 0.62, "communal": 0.55, "complained": 0.16}
METHODS = (("phone", 55), ("online", 30), ("paper", 15))


def build(*, organisation: Any, users: dict[str, Any], seed: int, now: Any) -> None:
    officer, manager = users["officer"], users["manager"]
    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    year = today.year - 1 if today.month >= 4 else today.year - 2  # the last year that has ended
    rng = random.Random(seed + 6)
    perception = services.perception_survey_create(organisation=organisation, actor=officer, year_starting=year,
                                                   carried_out_by="Northern Research Partnership")  # fmt: skip
    services.perception_details_update(
        perception=perception, actor=officer, carried_out_by="Northern Research Partnership",
        contractor_role="Drew the sample from our list of tenants, carried out the telephone interviews, sent the "
        "online and paper questionnaires and worked out the results.",
        incentives="A prize draw for three £50 shopping vouchers.",
        weighting=PerceptionSurvey.Weighting.AREA, methodological_issues="", other_information="",
    )  # fmt: skip
    for resident, reason in zip(
        services.population_queryset(organisation=organisation, stock="lcra").order_by("pk")[:4],
        (Exclusion.Reason.LEGAL, Exclusion.Reason.SAFEGUARDING, Exclusion.Reason.BEREAVEMENT, Exclusion.Reason.ASKED),
        strict=False,
    ):
        services.exclusion_record(perception=perception, actor=officer, resident=resident, reason=reason)
    for population in perception.populations.all():
        services.sample_draw(population=population, actor=officer, approach="sample", expected_response_rate=35,
                             seed=year)  # fmt: skip
    opens = datetime.date(year, 10, 1)
    services.perception_open(perception=perception, actor=officer, opens_on=opens,
                             closes_on=datetime.date(year, 11, 14))  # fmt: skip
    for population in perception.populations.select_related("survey"):
        _fieldwork(population, rng, opens)
    services.perception_close(perception=perception, actor=officer)
    services.perception_publish(perception=perception, actor=manager)
    # Published in June after the year end, as the regulator's timetable has it (if that has passed).
    published = timezone.make_aware(datetime.datetime(year + 1, 6, 20, 10))
    if published < timezone.now():
        PerceptionSurvey.objects.filter(pk=perception.pk).update(published_at=published)


def _fieldwork(population: Any, rng: random.Random, opens: datetime.date) -> None:
    survey = population.survey
    version = survey.live_version
    questions = {q.code: q for q in version.questions.all()}
    members = list(
        SampleMember.objects.filter(population=population).select_related(
            "resident__home", "resident__equality_profile"
        )
    )
    areas = sorted({m.stratum for m in members})
    quieter = set(areas[: max(1, len(areas) // 3)])  # some areas answer less often
    sent_at = timezone.make_aware(datetime.datetime.combine(opens, datetime.time(9)))
    invitations = Invitation.objects.bulk_create(
        [Invitation(survey=survey, resident=m.resident, sent_at=sent_at) for m in members]
    )
    by_resident = {i.resident_id: i for i in invitations}
    chosen = []
    for m in members:
        born = getattr(getattr(m.resident, "equality_profile", None), "date_of_birth", None)
        young = born is not None and (opens - born).days < 40 * 365
        chance = 0.42 * (0.6 if m.stratum in quieter else 1) * (0.65 if young else 1)
        if rng.random() < chance:
            chosen.append(m.resident)
    responses = []
    for resident in chosen:
        day = opens + datetime.timedelta(days=rng.randrange(44))
        when = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(rng.randrange(9, 20), rng.randrange(60)))
        )
        method = rng.choices([m for m, _ in METHODS], [w for _, w in METHODS])[0]
        responses.append(
            Response(
                survey=survey,
                version=version,
                resident=resident,
                invitation=by_resident[resident.pk],
                method=method,
                area_id=resident.home.area_id if resident.home else resident.area_id,
                tenure=resident.tenure,
                started_at=when,
                submitted_at=when,
            )  # fmt: skip
        )
    responses = Response.objects.bulk_create(responses)
    answers = []
    for response in responses:
        given: dict[str, str] = {}
        for code, q in questions.items():
            if q.show_if_code and given.get(q.show_if_code) not in q.show_if_values:
                continue
            if code in SCREENS:
                given[code] = "Yes" if rng.random() < SCREENS[code] else "No"
            else:
                weights = LEANING[code][: len(q.options)]
                given[code] = rng.choices(q.options, weights)[0]
            answers.append(Answer(response=response, survey=survey, question=q, choice=given[code],
                                  area_id=response.area_id, tenure=response.tenure))  # fmt: skip
    Answer.objects.bulk_create(answers, batch_size=2000)
    for response in responses:
        Invitation.objects.filter(pk=response.invitation_id).update(responded_at=response.submitted_at)
    survey_services.tally_rebuild(survey=survey)
