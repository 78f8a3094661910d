"""Mystery shopping: assigning trained shoppers, filling in and locking assessments, scoring and results."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from core.models import Message
from inspections import selectors, services
from inspections.models import Answer, Exercise, Question
from inspections.tests.factories import (
    ExerciseFactory,
    QuestionFactory,
    ScenarioFactory,
    TrainingCourseFactory,
    TrainingRecordFactory,
    trained_shopper,
)
from people.tests.factories import ResidentFactory
from standards.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
IN_A_FORTNIGHT = lambda: timezone.localdate() + datetime.timedelta(days=14)  # noqa: E731


@pytest.fixture
def scenario(org):
    measure = MeasureFactory(organisation=org, code="rep-cat1", name="Emergency repairs made safe in 24 hours")
    scenario = ScenarioFactory(organisation=org, title="Report a leaking tap", measure=measure)
    QuestionFactory(scenario=scenario, text="Was the call answered within a minute?", kind="yes_no", weight=2)
    QuestionFactory(scenario=scenario, text="How polite was the call handler?", kind="score", weight=1)
    QuestionFactory(scenario=scenario, text="What happened?", kind="text", is_required=False)
    return scenario


@pytest.fixture
def shopper_user(make_user):
    return make_user(Role.INVOLVED_RESIDENT, username="shopper")


@pytest.fixture
def shopper(org, shopper_user):
    return trained_shopper(org, user=shopper_user, email="shopper@example.org", preferred_channel="email",
                           contact_by_email=True)  # fmt: skip


def _answers(scenario, yes="yes", score="4", text="Quick and helpful"):
    q = {question.kind: question.pk for question in scenario.questions.all()}
    return {q["yes_no"]: yes, q["score"]: score, q["text"]: text}


# --- Assigning ---------------------------------------------------------------------------------


def test_assigning_a_trained_shopper_tells_them(scenario, shopper, officer):
    exercise = services.exercise_assign(scenario=scenario, shopper=shopper, due_on=IN_A_FORTNIGHT(), actor=officer)
    assert exercise.status == Exercise.Status.ASSIGNED
    message = Message.objects.get(template="mystery_shopping_assigned")
    assert message.channel == "email" and message.to == "shopper@example.org"
    assert "Report a leaking tap" in message.body and "Your inspections" in message.body


def test_assigning_twice_makes_one_exercise_and_one_message(scenario, shopper, officer):
    first = services.exercise_assign(scenario=scenario, shopper=shopper, due_on=IN_A_FORTNIGHT(), actor=officer)
    second = services.exercise_assign(scenario=scenario, shopper=shopper, due_on=IN_A_FORTNIGHT(), actor=officer)
    assert first.pk == second.pk
    assert Exercise.objects.count() == 1
    assert Message.objects.filter(template="mystery_shopping_assigned").count() == 1


def test_untrained_shopper_is_refused_with_a_clear_message(org, scenario, officer):
    untrained = ResidentFactory(organisation=org, first_name="Ada", last_name="Lovelace", preferred_name="")
    with pytest.raises(ValidationError) as exc:
        services.exercise_assign(scenario=scenario, shopper=untrained, due_on=IN_A_FORTNIGHT(), actor=officer)
    assert "Ada Lovelace has not completed the Mystery shopping training" in exc.value.message_dict["shopper"][0]
    assert not Exercise.objects.exists()


def test_lapsed_training_is_refused(org, officer):
    course = TrainingCourseFactory(organisation=org, code="refresher", name="Refresher", valid_for_months=12)
    scenario = ScenarioFactory(organisation=org, required_course=course)
    QuestionFactory(scenario=scenario)
    resident = ResidentFactory(organisation=org)
    TrainingRecordFactory(
        resident=resident,
        course=course,
        completed_on=TODAY() - datetime.timedelta(days=800),
        expires_on=TODAY() - datetime.timedelta(days=435),
    )
    with pytest.raises(ValidationError, match="has not completed"):
        services.exercise_assign(scenario=scenario, shopper=resident, due_on=IN_A_FORTNIGHT(), actor=officer)


def test_training_running_out_before_the_due_date_is_refused(org, officer):
    course = TrainingCourseFactory(organisation=org, code="short", name="Short course", valid_for_months=1)
    scenario = ScenarioFactory(organisation=org, required_course=course)
    QuestionFactory(scenario=scenario)
    resident = ResidentFactory(organisation=org)
    TrainingRecordFactory(resident=resident, course=course, expires_on=TODAY() + datetime.timedelta(days=3))
    with pytest.raises(ValidationError) as exc:
        services.exercise_assign(scenario=scenario, shopper=resident, due_on=IN_A_FORTNIGHT(), actor=officer)
    assert "runs out before" in exc.value.message_dict["due_on"][0]


def test_another_landlords_resident_cannot_be_a_shopper(scenario, other_org, officer):
    stranger = trained_shopper(other_org)
    with pytest.raises(ValidationError) as exc:
        services.exercise_assign(scenario=scenario, shopper=stranger, due_on=IN_A_FORTNIGHT(), actor=officer)
    assert "another landlord" in exc.value.message_dict["shopper"][0]


def test_due_date_in_the_past_is_refused(scenario, shopper, officer):
    with pytest.raises(ValidationError) as exc:
        services.exercise_assign(
            scenario=scenario, shopper=shopper, due_on=TODAY() - datetime.timedelta(days=1), actor=officer
        )
    assert "today or in the future" in exc.value.message_dict["due_on"][0]


def test_a_scenario_without_questions_cannot_be_assigned(org, officer):
    scenario = ScenarioFactory(organisation=org)
    with pytest.raises(ValidationError, match="Add at least one question"):
        services.exercise_assign(
            scenario=scenario, shopper=trained_shopper(org), due_on=IN_A_FORTNIGHT(), actor=officer
        )


def test_managers_and_other_landlords_officers_cannot_assign(scenario, shopper, manager, make_user, other_org):
    for actor in (manager, make_user(Role.INVOLVEMENT_OFFICER, organisation=other_org, username="elsewhere")):
        with pytest.raises(PermissionDenied):
            services.exercise_assign(scenario=scenario, shopper=shopper, due_on=IN_A_FORTNIGHT(), actor=actor)


def test_assign_page_lists_only_trained_shoppers_and_refuses_others(client, org, scenario, shopper, officer):
    untrained = ResidentFactory(organisation=org, last_name="Untrained")
    client.force_login(officer)
    url = f"/staff/mystery-shopping/scenarios/{scenario.pk}/assign/"
    page = client.get(url).content.decode()
    assert shopper.last_name in page and "Untrained" not in page
    response = client.post(url, {"shopper": untrained.pk, "due_on": IN_A_FORTNIGHT().strftime("%d/%m/%Y")})
    assert "Choose a shopper who has completed the training for this scenario" in response.content.decode()
    response = client.post(url, {"shopper": shopper.pk, "due_on": IN_A_FORTNIGHT().strftime("%d/%m/%Y")})
    exercise = Exercise.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/exercises/{exercise.pk}/")


# --- Submitting ----------------------------------------------------------------------------------


def test_weighted_score(scenario, shopper, shopper_user, officer):
    exercise = ExerciseFactory(scenario=scenario, shopper=shopper)
    # Yes on a weight-2 question earns 2 of 2; 4 out of 5 on a weight-1 question earns 0.75 of 1: 2.75 / 3.
    done = services.assessment_submit(
        exercise=exercise, answers=_answers(scenario), carried_out_on=TODAY(), actor=shopper_user
    )
    assert done.score == Decimal("91.7")
    other = ExerciseFactory(scenario=scenario, shopper=trained_shopper(scenario.organisation))
    low = services.assessment_submit(
        exercise=other,
        answers=_answers(scenario, yes="no", score="1"),
        carried_out_on=TODAY(),
        actor=officer,
        from_paper=True,
    )
    assert low.score == Decimal("0.0") and low.entered_from_paper
    assert services._weighted_score([]) is None


def test_submitting_twice_makes_one_assessment(scenario, shopper, shopper_user):
    exercise = ExerciseFactory(scenario=scenario, shopper=shopper)
    services.assessment_submit(
        exercise=exercise, answers=_answers(scenario), carried_out_on=TODAY(), actor=shopper_user
    )
    with pytest.raises(services.AssessmentLocked):
        services.assessment_submit(
            exercise=exercise, answers=_answers(scenario, yes="no"), carried_out_on=TODAY(), actor=shopper_user
        )
    assert Answer.objects.filter(exercise=exercise).count() == 3
    assert Answer.objects.get(exercise=exercise, question__kind="yes_no").yes_no is True


def test_double_post_from_the_page_makes_one_assessment(client, scenario, shopper, shopper_user):
    exercise = ExerciseFactory(scenario=scenario, shopper=shopper)
    client.force_login(shopper_user)
    data = {f"q{k}": v for k, v in _answers(scenario).items()} | {"carried_out_on": TODAY().isoformat()}
    first = client.post(f"/your-inspections/{exercise.pk}/", data)
    second = client.post(f"/your-inspections/{exercise.pk}/", data)
    assert first.status_code == second.status_code == 302
    assert Answer.objects.filter(exercise=exercise).count() == 3
    page = client.get(f"/your-inspections/{exercise.pk}/").content.decode()
    assert "Answers sent" in page and "already sent" in page


def test_missing_and_bad_answers_are_refused(scenario, shopper, shopper_user):
    exercise = ExerciseFactory(scenario=scenario, shopper=shopper)
    answers = _answers(scenario, yes="", score="9")
    with pytest.raises(ValidationError) as exc:
        services.assessment_submit(exercise=exercise, answers=answers, carried_out_on=TODAY(), actor=shopper_user)
    messages = " ".join(m for ms in exc.value.message_dict.values() for m in ms)
    assert "Answer the question: Was the call answered within a minute?" in messages
    assert "Choose a score from 1 to 5" in messages
    with pytest.raises(ValidationError, match="today or in the past"):
        services.assessment_submit(
            exercise=exercise,
            answers=_answers(scenario),
            carried_out_on=TODAY() + datetime.timedelta(days=1),
            actor=shopper_user,
        )
    assert not Answer.objects.exists()


def test_a_shopper_cannot_open_or_submit_someone_elses_assignment(client, org, scenario, shopper, make_user):
    exercise = ExerciseFactory(scenario=scenario, shopper=shopper)
    other_user = make_user(Role.INVOLVED_RESIDENT, username="nosy")
    trained_shopper(org, user=other_user)
    client.force_login(other_user)
    assert client.get(f"/your-inspections/{exercise.pk}/").status_code == 404
    data = {f"q{k}": v for k, v in _answers(scenario).items()} | {"carried_out_on": TODAY().isoformat()}
    assert client.post(f"/your-inspections/{exercise.pk}/", data).status_code == 404
    assert f"/your-inspections/{exercise.pk}/" not in client.get("/your-inspections/").content.decode()
    with pytest.raises(PermissionDenied):
        services.assessment_submit(
            exercise=exercise, answers=_answers(scenario), carried_out_on=TODAY(), actor=other_user
        )
    assert not Answer.objects.exists()


def test_officer_enters_a_paper_form(client, scenario, shopper, officer):
    exercise = ExerciseFactory(scenario=scenario, shopper=shopper)
    client.force_login(officer)
    data = {f"q{k}": v for k, v in _answers(scenario).items()} | {"carried_out_on": TODAY().strftime("%d/%m/%Y")}
    response = client.post(f"/staff/mystery-shopping/exercises/{exercise.pk}/paper/", data)
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.entered_from_paper and exercise.submitted_by == officer and exercise.is_locked
    page = client.get(f"/staff/mystery-shopping/exercises/{exercise.pk}/").content.decode()
    assert "paper form entered by" in page and "91.7%" in page


def test_shopper_form_shows_errors_against_the_question(client, scenario, shopper, shopper_user):
    exercise = ExerciseFactory(scenario=scenario, shopper=shopper)
    client.force_login(shopper_user)
    page = client.post(f"/your-inspections/{exercise.pk}/", {"carried_out_on": "31/02/2026"}).content.decode()
    assert "There is a problem" in page
    assert "Answer the question: Was the call answered within a minute?" in page
    assert "real date" in page


def test_questions_cannot_change_once_results_exist(scenario, shopper, shopper_user, officer):
    services.assessment_submit(
        exercise=ExerciseFactory(scenario=scenario, shopper=shopper),
        answers=_answers(scenario),
        carried_out_on=TODAY(),
        actor=shopper_user,
    )
    with pytest.raises(ValidationError, match="Create a new scenario"):
        services.question_add(scenario=scenario, values={"text": "New?", "kind": "yes_no"}, actor=officer)
    with pytest.raises(ValidationError, match="Create a new scenario"):
        services.question_remove(question=scenario.questions.first(), actor=officer)


def test_cancelled_exercise_cannot_be_submitted(scenario, shopper, shopper_user, officer):
    exercise = ExerciseFactory(scenario=scenario, shopper=shopper)
    services.exercise_cancel(exercise=exercise, actor=officer)
    with pytest.raises(services.AssessmentLocked, match="cancelled"):
        services.assessment_submit(
            exercise=exercise, answers=_answers(scenario), carried_out_on=TODAY(), actor=shopper_user
        )


# --- Results -------------------------------------------------------------------------------------------


def test_results_by_service_and_quarter_with_n(org, other_org, officer):
    repairs = ScenarioFactory(organisation=org, service="repairs", title="Repairs call")
    complaints = ScenarioFactory(organisation=org, service="complaints", title="Complaint email")
    elsewhere = ScenarioFactory(organisation=other_org, service="repairs")
    rows = [
        (repairs, datetime.date(2025, 4, 10), "80.0"),
        (repairs, datetime.date(2025, 5, 10), "60.0"),
        (repairs, datetime.date(2025, 8, 1), "100.0"),
        (complaints, datetime.date(2025, 8, 2), "50.0"),
        (elsewhere, datetime.date(2025, 8, 2), "10.0"),
    ]
    for scenario, day, score in rows:
        ExerciseFactory(
            scenario=scenario, status="submitted", carried_out_on=day, score=Decimal(score), submitted_at=timezone.now()
        )
    ExerciseFactory(scenario=repairs)  # still to do: not counted
    results = selectors.results(user=officer)
    by_service = {r.label: (r.n, r.average) for r in results.by_service}
    assert by_service == {"Complaints": (1, Decimal("50.0")), "Repairs": (3, Decimal("80.0"))}
    assert [(r.label, r.n, r.average) for r in results.by_quarter] == [
        ("April to June 2025", 2, Decimal("70.0")),
        ("July to September 2025", 2, Decimal("75.0")),
    ]
    assert all(r.few for r in results.by_quarter)
    repairs_only = selectors.results(user=officer, service="repairs")
    assert [(r.label, r.n) for r in repairs_only.by_quarter] == [
        ("April to June 2025", 2),
        ("July to September 2025", 1),
    ]
    assert [r.label for r in repairs_only.by_scenario] == ["Repairs call"]


def test_quarter_labels():
    assert selectors.quarter_label(datetime.date(2025, 10, 1)) == "October to December 2025"
    assert selectors.quarter_label(datetime.date(2026, 1, 1)) == "January to March 2026"


def test_results_page_has_tables_with_n(client, org, officer, django_assert_max_num_queries):
    measure = MeasureFactory(organisation=org, code="rep-cat2")
    scenario = ScenarioFactory(organisation=org, measure=measure)
    for i in range(6):
        ExerciseFactory(
            scenario=scenario,
            status="submitted",
            carried_out_on=TODAY() - datetime.timedelta(days=20 * i),
            score=Decimal(50 + i),
        )
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        page = client.get("/staff/mystery-shopping/results/?service=repairs").content.decode()
    assert "By service</caption>" in page and "Assessments (n)" in page and "rep-cat2" in page
    assert "By quarter: Repairs" in page
    assert client.get("/staff/mystery-shopping/results/?service=nonsense").status_code == 200


def test_overview_and_scenario_pages(client, scenario, shopper, officer, django_assert_max_num_queries):
    for _ in range(3):
        ExerciseFactory(scenario=scenario, shopper=trained_shopper(scenario.organisation))
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        page = client.get("/staff/mystery-shopping/").content.decode()
    assert "Report a leaking tap" in page and "Exercises to do (3)" in page
    with django_assert_max_num_queries(14):
        page = client.get(f"/staff/mystery-shopping/scenarios/{scenario.pk}/").content.decode()
    assert "Was the call answered within a minute?" in page and "rep-cat1: Emergency repairs made safe" in page


def test_another_landlords_scenario_is_not_found(client, other_org, officer):
    scenario = ScenarioFactory(organisation=other_org)
    client.force_login(officer)
    assert client.get(f"/staff/mystery-shopping/scenarios/{scenario.pk}/").status_code == 404
    assert client.get(f"/staff/mystery-shopping/scenarios/{scenario.pk}/assign/").status_code == 404


def test_staff_create_a_scenario_with_questions(client, org, other_org, officer):
    course = TrainingCourseFactory(organisation=org)
    measure = MeasureFactory(organisation=org, code="rent-statement")
    theirs = MeasureFactory(organisation=other_org, code="their-measure")
    client.force_login(officer)
    response = client.post(
        "/staff/mystery-shopping/scenarios/new/",
        {
            "title": "Ask about a rent statement",
            "kind": "email_online",
            "service": "rent",
            "brief": "Email the rent team asking for a statement.",
            "required_course": course.pk,
            "measure": measure.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    scenario = org.mystery_scenarios.get()
    assert scenario.measure == measure
    # The measure list is the landlord's own: another landlord's measure is not a choice.
    form = client.get("/staff/mystery-shopping/scenarios/new/").content.decode()
    assert "rent-statement" in form and "their-measure" not in form
    refused = client.post(
        f"/staff/mystery-shopping/scenarios/{scenario.pk}/edit/",
        {
            "title": "Ask about a rent statement",
            "kind": "email_online",
            "service": "rent",
            "brief": "Email the rent team.",
            "required_course": course.pk,
            "measure": theirs.pk,
        },
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    scenario.refresh_from_db()
    assert scenario.measure == measure
    url = f"/staff/mystery-shopping/scenarios/{scenario.pk}/questions/"
    client.post(
        url, {"text": "Did you get a reply within 5 working days?", "kind": "yes_no", "weight": 3, "is_required": "on"}
    )
    client.post(url, {"text": "Was the reply clear?", "kind": "score", "weight": 11})  # weight too big: refused
    assert list(scenario.questions.values_list("text", "weight")) == [("Did you get a reply within 5 working days?", 3)]
    bad = client.post("/staff/mystery-shopping/scenarios/new/", {"title": "", "kind": "visit"}).content.decode()
    assert "Enter a title" in bad and "Choose the training a shopper needs" in bad


def test_question_kinds_are_the_three_asked_for():
    assert set(Question.Kind.values) == {"yes_no", "score", "text"}
