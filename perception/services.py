"""Writes for the TSM perception survey. Each function checks the actor's permission through the
one policy, owns its transaction and records the acting user in the audit log.

The order of work: create the year's survey (one questionnaire per stock type, with the
regulator's questions locked in), record exclusions, draw each population's sample (or take a
census), open the questionnaires and invite the sample, collect answers (online, by link, on
paper or by telephone through `surveys.services`), close, and publish the results with the
information the regulator requires. Published figures are frozen: what residents read never changes.
"""

from __future__ import annotations

import datetime
import math
import secrets
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.permissions import can_act_on
from core.services import submit_once
from perception import stats
from perception.models import Exclusion, PerceptionSurvey, Population, SampleMember
from surveys import services as surveys
from surveys.models import Survey
from tsm.measures import MEASURES, Kind, Tenure, minimum_sample_size_published

# The register's tenures in each of the regulator's populations. Leaseholders and other owners
# are not in either: the TSMs are about tenants of low-cost rental and shared owners.
STOCK_TENURES = {
    Population.Stock.LCRA: ("secure_assured", "introductory"),
    Population.Stock.LCHO: ("shared_owner",),
}
NOT_APPLICABLE = "Not applicable / don't know"
FIRST_YEAR = 2023


def _require(actor: Any, action: str, obj: Any) -> None:
    if not can_act_on(actor, action, obj):
        raise PermissionDenied


def population_queryset(*, organisation: Any, stock: str) -> Any:
    """The population: active lead tenants of the stock type, one per household, with the stratum
    (the home's top-level area, else the resident's) each is drawn from."""
    from people.models import Resident

    return Resident.objects.filter(
        organisation=organisation,
        status=Resident.Status.ACTIVE,
        is_lead_tenant=True,
        tenure__in=STOCK_TENURES[Population.Stock(stock)],
    ).annotate(stratum=Coalesce(F("home__area_id"), F("area_id")))


# --- The questionnaire ---------------------------------------------------------------------------

# The regulator's questions in the order they are usually asked, with the screening questions that
# decide who is asked TP02/TP03 (a repair in the last 12 months), TP10 (communal areas) and TP09
# (a complaint in the last 12 months). One question a page. None is required: someone who would
# rather not answer one is simply not in that measure's base, as the regulator counts.
SCREENING = {
    "repair": "Has [your landlord] carried out a repair to your home in the last 12 months?",
    "communal": "Do you live in a building with communal areas, either inside or outside, that [your landlord] "
    "is responsible for maintaining?",
    "complained": "Have you made a complaint to [your landlord] in the last 12 months?",
}
ORDER = ("TP01", "repair", "TP02", "TP03", "TP04", "TP05", "communal", "TP10", "TP11", "TP12", "TP06", "TP07",
         "TP08", "complained", "TP09")  # fmt: skip
ASKED_IF = {"TP02": "repair", "TP03": "repair", "TP10": "communal", "TP09": "complained"}
PERCEPTION = {m.code: m for m in MEASURES if m.kind == Kind.PERCEPTION}


def _words(text: str, organisation: Any) -> str:
    return text.replace("[your landlord]", organisation.name)


def _questionnaire(survey: Survey, actor: Any, stock: str) -> None:
    tenure = Tenure(stock)
    section = survey.versions.get().sections.get()
    first = True
    for code in ORDER:
        measure = PERCEPTION.get(code)
        decides = [PERCEPTION[c] for c, screen in ASKED_IF.items() if screen == code]
        if measure is not None and tenure not in measure.tenures:
            continue  # TP02-TP04 are not asked of shared owners
        if decides and not any(tenure in m.tenures for m in decides):
            continue  # nor is whether they had a repair
        if not first:
            section = surveys.section_add(survey=survey, actor=actor, title=measure.title if measure else "About you")
        else:
            section.title = measure.title if measure else ""
            section.save(update_fields=["title"])
        first = False
        if measure is None:
            surveys.question_add(survey=survey, actor=actor, section=section, kind="single", code=code,
                                 text=_words(SCREENING[code], survey.organisation), options=["Yes", "No"],
                                 required=False, locked=True)  # fmt: skip
            continue
        options = list(measure.scale) + ([NOT_APPLICABLE] if measure.not_applicable_offered else [])
        condition = ASKED_IF.get(code, "")
        surveys.question_add(survey=survey, actor=actor, section=section, kind="scale", code=code.lower(),
                             text=_words(measure.question, survey.organisation), options=options, locked=True,
                             required=False,
                             show_if_code=condition, show_if_values=["Yes"] if condition else [])  # fmt: skip


def perception_survey_create(
    *, organisation: Any, actor: Any, year_starting: int, carried_out_by: str = "", submission_key: str = ""
) -> PerceptionSurvey:
    """The year's perception survey, with a questionnaire for each stock type the register holds
    (low-cost rental, and low-cost home ownership if there are shared owners)."""
    _require(actor, "survey.manage", PerceptionSurvey(organisation=organisation))
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year_starting <= this_year + 1:
        raise ValidationError({"year_starting": f"Choose a reporting year from {FIRST_YEAR}/24"})
    if PerceptionSurvey.objects.filter(organisation=organisation, year_starting=year_starting).exists():
        raise ValidationError({"year_starting": "There is already a survey for this year"})

    def make() -> PerceptionSurvey:
        perception = PerceptionSurvey.objects.create(
            organisation=organisation,
            year_starting=year_starting,
            carried_out_by=carried_out_by.strip()[:200],
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        for stock in Population.Stock:
            if (
                stock != Population.Stock.LCRA
                and not population_queryset(organisation=organisation, stock=stock).exists()
            ):
                continue
            survey = surveys.survey_create(
                organisation=organisation,
                actor=actor,
                kind=Survey.Kind.TSM,
                title=f"Tenant satisfaction survey {perception.period}: {stock.label.lower()}",
                purpose=(
                    f"Every year we ask a random sample of our {'tenants' if stock == 'lcra' else 'shared owners'} "
                    "how satisfied they are with our services. The questions are set by the Regulator of "
                    "Social Housing, so results can be compared with other landlords. We publish the results."
                ),
            )
            _questionnaire(survey, actor, stock)
            Population.objects.create(perception_survey=perception, stock=stock, survey=survey)
        return perception

    with transaction.atomic(), set_actor(actor):
        return submit_once(key=submission_key, namespace="perception", make=make)


def perception_details_update(
    *,
    perception: PerceptionSurvey,
    actor: Any,
    carried_out_by: str,
    contractor_role: str,
    incentives: str,
    weighting: str,
    methodological_issues: str,
    other_information: str,
) -> PerceptionSurvey:
    """How the survey was done, for the published summary. Fixed once the results are published."""
    _require(actor, "survey.manage", perception)
    if perception.published_at is not None:
        raise ValidationError("The results are published: how the survey was done can no longer change.")
    if weighting not in PerceptionSurvey.Weighting.values:
        raise ValidationError({"weighting": "Choose how the results are weighted"})
    if carried_out_by.strip() and not contractor_role.strip():
        raise ValidationError({"contractor_role": "Say what the organisation that carried it out did"})
    with transaction.atomic(), set_actor(actor):
        perception.carried_out_by = carried_out_by.strip()[:200]
        perception.contractor_role = contractor_role.strip()
        perception.incentives = incentives.strip()
        perception.weighting = weighting
        perception.methodological_issues = methodological_issues.strip()
        perception.other_information = other_information.strip()
        perception.save()
    return perception


# --- Exclusions and the sample -----------------------------------------------------------------


def exclusion_record(
    *, perception: PerceptionSurvey, actor: Any, resident: Any, reason: str, note: str = ""
) -> Exclusion:
    """Leave a household out of the sampling frame, with the reason. Only before any sample is drawn."""
    _require(actor, "survey.manage", perception)
    errors: dict[str, str] = {}
    if resident is None or resident.organisation_id != perception.organisation_id:
        errors["resident"] = "Choose one of your residents"
    if reason not in Exclusion.Reason.values:
        errors["reason"] = "Choose why they are left out"
    elif reason == Exclusion.Reason.OTHER and not note.strip():
        errors["note"] = "Say what the exceptional reason is"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        PerceptionSurvey.objects.select_for_update().get(pk=perception.pk)
        if perception.populations.filter(drawn_at__isnull=False).exists():
            raise ValidationError("A sample has been drawn: leaving someone out now would change who could be chosen.")
        exclusion, created = Exclusion.objects.get_or_create(
            perception_survey=perception,
            resident=resident,
            defaults={"reason": reason, "note": note.strip()[:300], "recorded_by": actor},
        )
        if not created:
            raise ValidationError({"resident": "This resident is already left out"})
    return exclusion


def exclusion_remove(*, exclusion: Exclusion, actor: Any) -> None:
    perception = exclusion.perception_survey
    _require(actor, "survey.manage", perception)
    with transaction.atomic(), set_actor(actor):
        if perception.populations.filter(drawn_at__isnull=False).exists():
            raise ValidationError("A sample has been drawn: the exclusions are part of how it was drawn.")
        exclusion.delete()


def draw_size(*, population: int, frame: int, expected_response_rate: int) -> int:
    """How many to ask: enough that the expected share answering reaches the regulator's minimum
    sample, never more than the frame holds."""
    if population <= 0 or frame <= 0:
        return 0
    needed = minimum_sample_size_published(population)
    return min(frame, math.ceil(needed * 100 / max(expected_response_rate, 1)))


def sample_draw(
    *,
    population: Population,
    actor: Any,
    approach: str,
    expected_response_rate: int,
    seed: int | None = None,
    size: int | None = None,
) -> Population:
    """Draw the population's sample from the register: the frame is the population less the
    households left out, stratified by area, drawn in proportion with a recorded seed (or everyone,
    for a census). `size` draws exactly that many instead of the number the expected response
    rate needs. Once only: a second draw would let someone pick a 'better' sample."""
    perception = population.perception_survey
    _require(actor, "survey.manage", perception)
    errors: dict[str, str] = {}
    if approach not in Population.Approach.values:
        errors["approach"] = "Choose a sample or a census"
    if not 1 <= expected_response_rate <= 100:
        errors["expected_response_rate"] = "Enter a response rate from 1 to 100"
    if size is not None and size < 1:
        errors["size"] = "Enter a number of 1 or more"
    if errors:
        raise ValidationError(errors)
    from people.models import Area

    with transaction.atomic(), set_actor(actor):
        population = Population.objects.select_for_update().get(pk=population.pk)
        if population.drawn_at is not None:
            raise ValidationError("The sample has already been drawn.")
        everyone = population_queryset(organisation=perception.organisation, stock=population.stock)
        excluded = Exclusion.objects.filter(perception_survey=perception).values("resident_id")
        frame: dict[str, list[int]] = {}
        in_frame = 0
        for pk, stratum in everyone.exclude(pk__in=excluded).values_list("pk", "stratum").iterator(chunk_size=5000):
            frame.setdefault(str(stratum or 0), []).append(pk)
            in_frame += 1
        total = everyone.count()
        if in_frame == 0:
            raise ValidationError("There is nobody in this population to ask.")
        wanted = size or draw_size(population=total, frame=in_frame, expected_response_rate=expected_response_rate)
        if approach == Population.Approach.CENSUS or wanted >= in_frame:
            approach, wanted = Population.Approach.CENSUS, in_frame
        seed = secrets.randbelow(2**31) if seed is None else seed
        drawn = stats.stratified_sample(frame, wanted, seed)
        names = dict(Area.objects.filter(organisation=perception.organisation).values_list("pk", "name"))
        SampleMember.objects.bulk_create(
            [SampleMember(population=population, resident_id=pk, stratum=key) for key, ids in drawn.items()
             for pk in ids],
            batch_size=2000,
        )  # fmt: skip
        population.approach = approach
        population.expected_response_rate = expected_response_rate
        population.population, population.frame, population.seed = total, in_frame, seed
        population.drawn = sum(len(ids) for ids in drawn.values())
        population.allocation = [
            {"stratum": key, "label": names.get(int(key), stats.NOT_KNOWN), "frame": len(frame[key]),
             "drawn": len(drawn[key])}
            for key in sorted(frame, key=lambda k: names.get(int(k), "~"))
        ]  # fmt: skip
        population.drawn_at, population.drawn_by = timezone.now(), actor
        population.save()
    return population


def perception_open(
    *, perception: PerceptionSurvey, actor: Any, opens_on: datetime.date, closes_on: datetime.date
) -> PerceptionSurvey:
    """Open every population's questionnaire for answers, between the fieldwork dates."""
    _require(actor, "survey.manage", perception)
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "The closing date must be on or after the opening date"})
    with transaction.atomic(), set_actor(actor):
        for population in perception.populations.select_related("survey"):
            survey = population.survey
            if population.drawn_at is None:
                raise ValidationError(f"Draw the {population.get_stock_display().lower()} sample first.")
            survey.opens_on, survey.closes_on = opens_on, closes_on
            survey.save(update_fields=["opens_on", "closes_on"])
            if survey.status == Survey.Status.DRAFT or surveys.draft_of(survey) is not None:
                surveys.survey_publish(survey=survey, actor=actor)
    return perception


def sample_invite(*, population: Population, actor: Any, site_url: str = "") -> int:
    """Invite everyone drawn, each in their own channel and format, with a personal link."""
    _require(actor, "survey.manage", population.perception_survey)
    population = Population.objects.select_related("survey").get(pk=population.pk)
    if population.drawn_at is None:
        raise ValidationError("Draw the sample first.")
    members = SampleMember.objects.filter(population=population).values("resident_id")
    return surveys.invitations_send_to(survey=population.survey, actor=actor, resident_ids=members,
                                       site_url=site_url)  # fmt: skip


def perception_close(*, perception: PerceptionSurvey, actor: Any) -> PerceptionSurvey:
    _require(actor, "survey.manage", perception)
    with transaction.atomic(), set_actor(actor):
        for population in perception.populations.select_related("survey"):
            if population.survey.status != Survey.Status.CLOSED:
                surveys.survey_close(survey=population.survey, actor=actor)
    return perception


def perception_publish(*, perception: PerceptionSurvey, actor: Any) -> PerceptionSurvey:
    """Publish the results, frozen as they stand, with how the survey was done. The fieldwork must
    be closed; a manager signs it off."""
    from perception import selectors

    _require(actor, "perception.publish", perception)
    with transaction.atomic(), set_actor(actor):
        perception = PerceptionSurvey.objects.select_for_update().get(pk=perception.pk)
        if perception.published_at is not None:
            raise ValidationError("These results are already published.")
        populations = list(perception.populations.select_related("survey"))
        if any(p.survey.status != Survey.Status.CLOSED for p in populations):
            raise ValidationError("Close the survey before publishing its results.")
        results = [selectors.population_results(population=p) for p in populations]
        if not any(r.achieved for r in results):
            raise ValidationError("Nobody has answered: there are no results to publish.")
        perception.published_results = {"populations": [r.as_json() for r in results]}
        perception.published_at, perception.published_by = timezone.now(), actor
        perception.save()
    return perception
