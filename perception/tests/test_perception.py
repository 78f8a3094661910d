"""The TSM perception survey from sample design to published figures and the TSM return."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.models import Message
from perception import selectors, services, stats
from perception.models import PerceptionSurvey, SampleMember
from perception.tests.factories import households
from surveys import services as survey_services
from surveys.models import Invitation
from tsm.measures import margin_of_error, margin_of_error_published, minimum_sample_size_published
from tsm.returns import tsm_return

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def officer(make_user):
    return make_user(Role.INVOLVEMENT_OFFICER, username="officer")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, username="manager")


def _codes(population):
    return list(population.survey.versions.get().questions.values_list("code", flat=True))


def test_each_stock_gets_the_regulators_questions_locked_in(org, officer):
    households(org, north=3, south=2, shared_owners=2)
    perception = services.perception_survey_create(organisation=org, actor=officer, year_starting=YEAR)
    lcra, lcho = perception.populations.get(stock="lcra"), perception.populations.get(stock="lcho")
    assert _codes(lcra) == ["tp01", "repair", "tp02", "tp03", "tp04", "tp05", "communal", "tp10", "tp11", "tp12",
                            "tp06", "tp07", "tp08", "complained", "tp09"]  # fmt: skip
    # Shared owners are not asked about repairs (TP02-TP04).
    assert _codes(lcho) == ["tp01", "tp05", "communal", "tp10", "tp11", "tp12", "tp06", "tp07", "tp08",
                            "complained", "tp09"]  # fmt: skip
    questions = {q.code: q for q in lcra.survey.versions.get().questions.all()}
    assert questions["tp01"].text.startswith("Taking everything into account") and org.name in questions["tp01"].text
    assert questions["tp01"].options[-1] == "Very dissatisfied"  # no "don't know" on TP01-TP04
    assert questions["tp08"].options[0] == "Strongly agree"  # asked as agreement
    assert questions["tp05"].options[-1] == services.NOT_APPLICABLE
    assert (questions["tp02"].show_if_code, questions["tp02"].show_if_values) == ("repair", ["Yes"])
    assert all(q.locked and q.section.questions.count() == 1 for q in questions.values())  # one a page
    with pytest.raises(ValidationError, match="standard"):
        survey_services.question_remove(question=questions["tp09"], actor=officer)
    with pytest.raises(ValidationError, match="already"):
        services.perception_survey_create(organisation=org, actor=officer, year_starting=YEAR)


def test_the_draw_is_stratified_by_area_reproducible_from_its_seed_and_honours_exclusions(org, officer):
    hh = households(org)
    perception = services.perception_survey_create(organisation=org, actor=officer, year_starting=YEAR)
    lcra = perception.populations.get(stock="lcra")
    left_out = hh["lcra"][0]  # in the north
    with pytest.raises(ValidationError) as caught:
        services.exclusion_record(perception=perception, actor=officer, resident=left_out, reason="other")
    assert "note" in caught.value.message_dict
    services.exclusion_record(perception=perception, actor=officer, resident=left_out, reason="legal")
    design = selectors.design(population=lcra, expected_response_rate=100)
    # 100 households (the lead tenants; not the joint tenant, shared owners or leaseholders).
    assert (design.population, design.excluded, design.frame) == (100, 1, 99)
    assert design.minimum_sample == minimum_sample_size_published(100) == 80
    assert design.to_ask == 80
    lcra = services.sample_draw(population=lcra, actor=officer, approach="sample", expected_response_rate=100, seed=7)
    assert (lcra.population, lcra.frame, lcra.drawn, lcra.seed, lcra.approach) == (100, 99, 80, 7, "sample")
    # 80 of 99 in proportion: north 59 × 80/99 = 47.7, south 40 × 80/99 = 32.3; the spare one to the north.
    assert [(a["label"], a["frame"], a["drawn"]) for a in lcra.allocation] == [("North", 59, 48), ("South", 40, 32)]
    members = set(SampleMember.objects.filter(population=lcra).values_list("resident_id", flat=True))
    assert left_out.pk not in members
    frame = {}
    for r in hh["lcra"][1:]:
        frame.setdefault(str(r.home.area_id), []).append(r.pk)
    again = stats.stratified_sample(frame, 80, 7)
    assert members == {pk for ids in again.values() for pk in ids}
    assert members != {pk for ids in stats.stratified_sample(frame, 80, 8).values() for pk in ids}
    with pytest.raises(ValidationError, match="already been drawn"):
        services.sample_draw(population=lcra, actor=officer, approach="sample", expected_response_rate=100)
    with pytest.raises(ValidationError, match="drawn"):
        services.exclusion_record(perception=perception, actor=officer, resident=hh["lcra"][1], reason="asked")
    # Twelve shared owners need twelve answers: asking them all is a census.
    lcho = services.sample_draw(population=perception.populations.get(stock="lcho"), actor=officer,
                                approach="sample", expected_response_rate=25)  # fmt: skip
    assert (lcho.approach, lcho.drawn, lcho.population) == ("census", 12, 12) and lcho.seed is not None


def _answer(survey, officer, members, values):
    for resident in members:
        survey_services.response_enter(survey=survey, actor=officer, method="phone", values=values,
                                       resident=resident)  # fmt: skip


def test_a_year_runs_from_the_draw_to_published_figures_in_the_tsm_return(client, org, officer, manager):
    hh = households(org)
    perception = services.perception_survey_create(organisation=org, actor=officer, year_starting=YEAR,
                                                   carried_out_by="Acme Research")  # fmt: skip
    lcra = perception.populations.get(stock="lcra")
    services.sample_draw(population=lcra, actor=officer, approach="census", expected_response_rate=30)
    services.sample_draw(population=perception.populations.get(stock="lcho"), actor=officer, approach="census",
                         expected_response_rate=30)  # fmt: skip
    with pytest.raises(ValidationError, match="Publish"):
        services.sample_invite(population=lcra, actor=officer)
    today = timezone.localdate()
    services.perception_open(perception=perception, actor=officer, opens_on=today,
                             closes_on=today + datetime.timedelta(days=30))  # fmt: skip
    lcra.refresh_from_db()
    hh["lcra"][0].contact_by_email = True
    hh["lcra"][0].save()
    assert services.sample_invite(population=lcra, actor=officer) == 100
    assert Invitation.objects.filter(survey=lcra.survey).count() == 100
    assert Message.objects.filter(template="survey_invitation").count() == 100
    assert services.sample_invite(population=lcra, actor=officer) == 0  # nobody twice

    north = [r for r in hh["lcra"] if r.area.name == "North"]
    south = [r for r in hh["lcra"] if r.area.name == "South"]
    # 30 answers from the north (60 households) and 10 from the south (40): the south is under-represented.
    _answer(lcra.survey, officer, north[:10], {"tp01": "Very satisfied", "repair": "Yes", "tp02": "Fairly satisfied",
                                               "tp05": "Very satisfied", "tp08": "Strongly agree"})  # fmt: skip
    _answer(lcra.survey, officer, north[10:30], {"tp01": "Very satisfied", "repair": "No", "tp02": "Very dissatisfied",
                                                 "tp05": "Very satisfied", "tp08": "Agree"})  # fmt: skip
    _answer(lcra.survey, officer, south[:5], {"tp01": "Very dissatisfied", "tp05": services.NOT_APPLICABLE,
                                              "tp08": "Disagree"})  # fmt: skip
    _answer(lcra.survey, officer, south[5:10], {"tp01": "Very dissatisfied", "tp05": "Very dissatisfied"})

    result = selectors.population_results(population=lcra)
    assert (result.population, result.achieved, result.by_method) == (100, 40, [("Telephone", 40)])
    assert result.minimum_sample == 80 and not result.meets_minimum
    assert result.margin == margin_of_error_published(100, 40)
    tp01, tp02, tp05, tp08 = (result.measure(c) for c in ("TP01", "TP02", "TP05", "TP08"))
    assert (tp01.satisfied, tp01.base, tp01.shown) == (30, 40, Decimal("75.0"))
    assert tp01.margin == margin_of_error(100, 40)
    # TP02 counts only those who had a repair (the "No"s' answers were never asked, so never kept).
    assert (tp02.base, tp02.shown) == (10, Decimal("100.0"))
    # "Not applicable / don't know" is left out of the base.
    assert (tp05.not_applicable, tp05.base, tp05.shown) == (5, 35, Decimal("85.7"))
    assert (tp08.base, tp08.shown) == (35, Decimal("85.7"))  # agreement: strongly agree or agree
    assert result.measure("TP09").base == 0 and result.measure("TP09").shown is None

    # Weighted by area: the north's 30 stand for 60% of households, the south's 10 for 40%.
    services.perception_details_update(perception=perception, actor=officer, carried_out_by="Acme Research",
                                       contractor_role="Interviews by telephone", incentives="",
                                       weighting="area", methodological_issues="", other_information="")  # fmt: skip
    lcra.perception_survey.refresh_from_db()
    weighted = selectors.population_results(population=lcra)
    assert weighted.measure("TP01").weighted_shown == Decimal("60.0")
    assert weighted.measure("TP01").shown == Decimal("75.0")
    north_cell = next(c for c in weighted.cells if c.category == "North")
    assert (north_cell.population, north_cell.respondents) == (60, 30) and north_cell.weight == pytest.approx(0.8)
    assert weighted.effective_sample == pytest.approx(40 / (30 * 0.64 + 10 * 2.56) * 40)
    # Raking by area and age band agrees here (everyone in the north is under 35, the south 65+).
    perception.weighting = PerceptionSurvey.Weighting.AREA_AGE
    perception.save()
    lcra.perception_survey.refresh_from_db()
    raked = selectors.population_results(population=lcra)
    assert raked.converged and raked.measure("TP01").weighted_shown == Decimal("60.0")
    assert {c.variable for c in raked.cells} == {"Area", "Age band"}

    perception.weighting = PerceptionSurvey.Weighting.AREA
    perception.save()
    with pytest.raises(ValidationError, match="Close"):
        services.perception_publish(perception=perception, actor=manager)
    services.perception_close(perception=perception, actor=officer)
    with pytest.raises(ValidationError, match="closed"):
        _answer(lcra.survey, officer, south[10:11], {"tp01": "Very satisfied"})
    with pytest.raises(PermissionDenied):
        services.perception_publish(perception=perception, actor=officer)  # a manager signs it off
    services.perception_publish(perception=perception, actor=manager)
    perception.refresh_from_db()
    published = perception.published_results["populations"][0]
    assert published["stock"] == "lcra" and published["achieved"] == 40
    with pytest.raises(ValidationError, match="published"):
        services.perception_details_update(perception=perception, actor=officer, carried_out_by="", contractor_role="",
                                           incentives="", weighting="none", methodological_issues="",
                                           other_information="")  # fmt: skip

    # The TSM return takes the published, weighted figures.
    ret = tsm_return(organisation=org, year_starting=YEAR)
    line = next(line for line in ret.perception if line.code == "TP01" and line.stock == "lcra")
    assert line.shown == Decimal("60.0") and any("unweighted 75.0%" in note for note in line.notes)
    assert "published" in line.source and "40 responses from 100 households" in line.source
    lcho_line = next(line for line in ret.perception if line.code == "TP01" and line.stock == "lcho")
    assert lcho_line.shown is None and lcho_line.not_shown

    # ...and is compared with every landlord in the regulator's latest published data.
    from tsm.models import TsmDataset, TsmLandlord, TsmResult

    dataset = TsmDataset.objects.create(reporting_year=2024, source_name="test.xlsx")
    for code, value in (("A", 50), ("B", 70), ("C", 80)):
        landlord = TsmLandlord.objects.create(dataset=dataset, code=code, name=f"Landlord {code}")
        TsmResult.objects.create(landlord=landlord, measure="TP01", tenure="lcra", value=value)
    client.force_login(manager)
    return_page = client.get(reverse("tsm:return"), {"year": YEAR}).content.decode()
    # 60.0 among 50, 70, 80 and itself: third of four, the third quarter; the median of the four is 65.
    assert "Third quarter: 3 of 4; median 65.0%" in return_page
    client.logout()

    page = client.get(reverse("perception:published", args=[org.slug])).content.decode()
    assert "60.0%" in page and "Acme Research" in page and "Interviews by telephone" in page
    assert f"±{margin_of_error_published(100, 40)} percentage points" in page
    # What was published does not move when the register changes afterwards.
    south[0].delete()
    assert "60.0%" in client.get(reverse("perception:published", args=[org.slug])).content.decode()


def test_staff_pages_and_the_sample_size_calculator(client, org, officer):
    households(org, north=6, south=4, shared_owners=0)
    client.force_login(officer)
    start = client.get(reverse("perception:list"))
    assert start.status_code == 200
    form = start.context["form"]
    made = client.post(reverse("perception:list"), {"year_starting": YEAR, "carried_out_by": "",
                                                    "submission_key": form.initial["submission_key"]})  # fmt: skip
    perception = PerceptionSurvey.objects.get()
    assert made["Location"] == reverse("perception:detail", args=[perception.pk])
    assert perception.populations.count() == 1  # no shared owners on the register
    detail = client.get(made["Location"]).content.decode()
    assert "Minimum sample" in detail and "10 lead tenants" in detail
    bad = client.post(
        reverse("perception:exclusions", args=[perception.pk]), {"person_ref": "nobody", "reason": "asked"}
    )
    assert "No resident of yours" in bad.content.decode()
    drawn = client.post(reverse("perception:draw", args=[perception.pk, "lcra"]),
                        {"lcra-approach": "sample", "lcra-expected_response_rate": "100", "lcra-seed": "42"})  # fmt: skip
    assert drawn.status_code == 302 and perception.populations.get().seed == 42
    calc = client.get(reverse("perception:sample-size"), {"population": "26840", "achieved": "2000"}).content.decode()
    assert "2,204 responses" in calc and "±2 percentage points" in calc and "±2.1 percentage points" in calc
    assert "not enough" in calc
    assert "Enter a whole number" in client.get(reverse("perception:sample-size"), {"population": "x"}).content.decode()
    assert client.get(reverse("perception:results", args=[perception.pk])).status_code == 200
