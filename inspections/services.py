"""Writes for mystery shopping, case studies and walkabouts. Keyword-only, each owns its
transaction, checks permission on the object and sets the audit actor."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Organisation, User
from core.calendar import calendar_for
from core.notifications import notify
from core.permissions import STAFF, can_act_on
from core.uploads import check_document, check_photo, photo_without_metadata
from inspections.models import (
    Answer,
    CaseObservation,
    CaseStudy,
    Exercise,
    Finding,
    FindingPhoto,
    FindingUpdate,
    Question,
    Scenario,
    Walkabout,
    WalkaboutProcedure,
)
from people.models import Area, Resident
from people.services import contact_card
from resources.models import TrainingCourse, TrainingRecord

# A finding with no due date given is due this many working days after the walkabout.
FINDING_DEFAULT_WORKING_DAYS = 20

SCENARIO_FIELDS = ("title", "kind", "service", "brief", "required_course", "measure", "is_active")
QUESTION_FIELDS = ("text", "hint", "kind", "weight", "is_required")
CASE_STUDY_FIELDS = ("title", "service", "case_reference", "measure", "started_on")
WALKABOUT_FIELDS = (
    "kind",
    "area",
    "date",
    "start_time",
    "meeting_point",
    "route",
    "other_residents",
    "staff_attending",
    "others_attending",
)
FINDING_FIELDS = ("category", "description", "location", "latitude", "longitude", "action", "owner", "owner_team")


def _require(actor: Any, action: str, obj: Any) -> None:
    if not can_act_on(actor, action, obj):
        raise PermissionDenied


def _assign(instance: Any, values: Mapping[str, Any], allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    for name, value in values.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be set here")
        setattr(instance, name, value)


# --- Mystery shopping: scenarios and their assessment forms ----------------------------------


def _check_measure(record: Scenario | CaseStudy) -> None:
    measure = record.measure if record.measure_id else None
    if measure is not None and measure.organisation_id != record.organisation_id:
        raise ValidationError({"measure": "That local-offer measure belongs to another landlord."})


def _check_scenario(scenario: Scenario) -> None:
    course: TrainingCourse | None = scenario.required_course if scenario.required_course_id else None
    if course is not None and course.organisation_id != scenario.organisation_id:
        raise ValidationError({"required_course": "That training course belongs to another landlord."})
    _check_measure(scenario)
    scenario.full_clean()


def scenario_create(*, organisation: Organisation, values: Mapping[str, Any], actor: Any) -> Scenario:
    scenario = Scenario(organisation=organisation, created_by=actor if getattr(actor, "pk", None) else None)
    _require(actor, "inspection.manage", scenario)
    _assign(scenario, values, SCENARIO_FIELDS)
    _check_scenario(scenario)
    with transaction.atomic(), set_actor(actor):
        scenario.save()
    return scenario


def scenario_update(*, scenario: Scenario, values: Mapping[str, Any], actor: Any) -> Scenario:
    _require(actor, "inspection.manage", scenario)
    _assign(scenario, values, SCENARIO_FIELDS)
    _check_scenario(scenario)
    with transaction.atomic(), set_actor(actor):
        scenario.save()
    return scenario


def _refuse_if_results(scenario: Scenario) -> None:
    if scenario.exercises.filter(status=Exercise.Status.SUBMITTED).exists():
        raise ValidationError(
            "Shoppers have already submitted assessments for this scenario, so its questions cannot change "
            "(the results would no longer compare). Create a new scenario instead."
        )


def question_add(*, scenario: Scenario, values: Mapping[str, Any], actor: Any) -> Question:
    _require(actor, "inspection.manage", scenario)
    with transaction.atomic(), set_actor(actor):
        _refuse_if_results(scenario)
        position = (scenario.questions.aggregate(m=Max("position"))["m"] or 0) + 1
        question = Question(scenario=scenario, position=position)
        _assign(question, values, QUESTION_FIELDS)
        question.full_clean()
        question.save()
    return question


def question_remove(*, question: Question, actor: Any) -> None:
    scenario = question.scenario
    _require(actor, "inspection.manage", scenario)
    with transaction.atomic(), set_actor(actor):
        _refuse_if_results(scenario)
        question.delete()


# --- Mystery shopping: exercises and assessments ---------------------------------------------


def shopper_training(*, resident: Resident, course: TrainingCourse, on: datetime.date) -> TrainingRecord | None:
    """The resident's latest record of the course still valid on the date, if any."""
    return TrainingRecord.objects.current(on).filter(resident=resident, course=course).order_by("-completed_on").first()


def exercise_assign(*, scenario: Scenario, shopper: Resident, due_on: datetime.date, actor: Any) -> Exercise:
    """Give a scenario to a trained shopper and tell them. Assigning the same scenario to the same
    shopper again while the first is still to do returns the first."""
    _require(actor, "inspection.manage", scenario)
    if shopper.organisation_id != scenario.organisation_id:
        raise ValidationError({"shopper": "That resident belongs to another landlord, so cannot be a shopper here."})
    if shopper.status != Resident.Status.ACTIVE:
        raise ValidationError({"shopper": f"{shopper.full_name} is not an active resident, so cannot be a shopper."})
    if not scenario.is_active:
        raise ValidationError("This scenario is no longer in use. Mark it as in use before assigning it.")
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError({"due_on": "The due date must be today or in the future"})
    course = scenario.required_course
    if shopper_training(resident=shopper, course=course, on=today) is None:
        raise ValidationError(
            {
                "shopper": f"{shopper.full_name} has not completed the {course.name} training (or it has run out), "
                "so cannot be given this scenario. Record their training first, or choose a trained shopper."
            }
        )
    if shopper_training(resident=shopper, course=course, on=due_on) is None:
        raise ValidationError(
            {
                "due_on": f"{shopper.full_name}'s {course.name} training runs out before {due_on:%-d %B %Y}. "
                "Choose an earlier due date, or refresh their training first."
            }
        )
    existing = Exercise.objects.filter(scenario=scenario, shopper=shopper, status=Exercise.Status.ASSIGNED).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic(), set_actor(actor):
            if not scenario.questions.exists():
                raise ValidationError(
                    "Add at least one question to the assessment form before assigning this scenario."
                )
            exercise = Exercise.objects.create(
                organisation_id=scenario.organisation_id,
                scenario=scenario,
                shopper=shopper,
                due_on=due_on,
                assigned_by=actor if getattr(actor, "pk", None) else None,
            )
            notify(
                recipient=shopper,
                card=contact_card(shopper),
                template="mystery_shopping_assigned",
                context={
                    "organisation": scenario.organisation.name,
                    "scenario": scenario,
                    "kind": scenario.get_kind_display().lower(),
                    "due_on": due_on,
                },
                because=exercise,
            )
    except IntegrityError:
        # Two identical requests raced; the other one made the exercise.
        return Exercise.objects.get(scenario=scenario, shopper=shopper, status=Exercise.Status.ASSIGNED)
    return exercise


def exercise_cancel(*, exercise: Exercise, actor: Any) -> Exercise:
    _require(actor, "inspection.manage", exercise)
    with transaction.atomic(), set_actor(actor):
        locked = Exercise.objects.select_for_update().get(pk=exercise.pk)
        if locked.status == Exercise.Status.SUBMITTED:
            raise ValidationError("This assessment has been submitted, so it cannot be cancelled.")
        locked.status = Exercise.Status.CANCELLED
        locked.save(update_fields=["status"])
    return locked


class AssessmentLocked(ValidationError):
    """The assessment was already submitted (or the exercise cancelled): nothing is changed."""


def _clean_answer(question: Question, raw: Any) -> Answer:
    answer = Answer(question=question)
    missing = raw in (None, "")
    if question.kind == Question.Kind.YES_NO:
        if not missing:
            if raw in (True, "yes"):
                answer.yes_no = True
            elif raw in (False, "no"):
                answer.yes_no = False
            else:
                raise ValidationError({f"q{question.pk}": "Choose yes or no"})
    elif question.kind == Question.Kind.SCORE:
        if not missing:
            try:
                score = int(raw)
            except (TypeError, ValueError):
                score = 0
            if not 1 <= score <= 5:
                raise ValidationError({f"q{question.pk}": "Choose a score from 1 to 5"})
            answer.score = score
    else:
        answer.text = str(raw or "").strip()
        missing = not answer.text
    if missing and question.is_required:
        raise ValidationError({f"q{question.pk}": f"Answer the question: {question.text}"})
    return answer


def _weighted_score(answers: list[Answer]) -> Decimal | None:
    earned, available = Decimal(0), Decimal(0)
    for answer in answers:
        fraction = answer.fraction()
        if fraction is None:
            continue
        earned += fraction * answer.question.weight
        available += answer.question.weight
    if not available:
        return None
    return (earned * 100 / available).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def assessment_submit(
    *,
    exercise: Exercise,
    answers: Mapping[int, Any],
    carried_out_on: datetime.date,
    actor: Any,
    comments: str = "",
    from_paper: bool = False,
) -> Exercise:
    """Record a shopper's assessment, score it and lock it.

    The shopper submits their own; staff with `inspection.manage` may enter a paper form for
    them (`from_paper`). A second submission, such as a double click, raises AssessmentLocked
    and changes nothing."""
    if from_paper:
        _require(actor, "inspection.manage", exercise)
    else:
        _require(actor, "inspection.take_part", exercise)
        if exercise.shopper.user_id is None or exercise.shopper.user_id != getattr(actor, "pk", None):
            raise PermissionDenied
    if carried_out_on > timezone.localdate():
        raise ValidationError({"carried_out_on": "The date you did this must be today or in the past"})
    questions = list(exercise.scenario.questions.all())
    cleaned: list[Answer] = []
    errors: dict[str, list[str]] = {}
    for question in questions:
        try:
            cleaned.append(_clean_answer(question, answers.get(question.pk)))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        locked = Exercise.objects.select_for_update().select_related("scenario").get(pk=exercise.pk)
        if locked.status == Exercise.Status.SUBMITTED:
            raise AssessmentLocked("This assessment has already been submitted. It cannot be changed.")
        if locked.status == Exercise.Status.CANCELLED:
            raise AssessmentLocked("This exercise was cancelled, so it cannot be submitted.")
        for answer in cleaned:
            answer.exercise = locked
        Answer.objects.bulk_create(cleaned)
        locked.score = _weighted_score(cleaned)
        locked.status = Exercise.Status.SUBMITTED
        locked.carried_out_on = carried_out_on
        locked.comments = comments.strip()
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor if getattr(actor, "pk", None) else None
        locked.entered_from_paper = from_paper
        locked.save()
    return locked


# --- Case studies ------------------------------------------------------------------------------


def case_study_create(
    *, organisation: Organisation, resident: Resident, values: Mapping[str, Any], actor: Any
) -> CaseStudy:
    case = CaseStudy(
        organisation=organisation, resident=resident, created_by=actor if getattr(actor, "pk", None) else None
    )
    _require(actor, "inspection.manage", case)
    if resident.organisation_id != organisation.pk:
        raise ValidationError({"person_ref": "That resident belongs to another landlord."})
    _assign(case, values, CASE_STUDY_FIELDS)
    if case.started_on and case.started_on > timezone.localdate():
        raise ValidationError({"started_on": "The date the case started must be today or in the past"})
    _check_measure(case)
    case.full_clean()
    with transaction.atomic(), set_actor(actor):
        case.save()
    return case


def case_observation_add(*, case_study: CaseStudy, values: Mapping[str, Any], actor: Any) -> CaseObservation:
    _require(actor, "inspection.manage", case_study)
    if case_study.status == CaseStudy.Status.CLOSED:
        raise ValidationError("This case study is finished, so no more observations can be added.")
    observation = CaseObservation(case_study=case_study, recorded_by=actor if getattr(actor, "pk", None) else None)
    _assign(observation, values, ("observed_on", "note", "standard"))
    if observation.observed_on > timezone.localdate():
        raise ValidationError({"observed_on": "The date must be today or in the past"})
    if observation.observed_on < case_study.started_on:
        raise ValidationError({"observed_on": "The date must be on or after the day the case started"})
    observation.full_clean()
    with transaction.atomic(), set_actor(actor):
        observation.save()
    return observation


def case_study_close(*, case_study: CaseStudy, outcome: str, actor: Any) -> CaseStudy:
    _require(actor, "inspection.manage", case_study)
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter what the case study found"})
    with transaction.atomic(), set_actor(actor):
        if case_study.status != CaseStudy.Status.CLOSED:
            case_study.status = CaseStudy.Status.CLOSED
            case_study.outcome = outcome.strip()
            case_study.closed_on = timezone.localdate()
            case_study.save()
    return case_study


# --- Walkabouts -----------------------------------------------------------------------------------


def procedure_current(*, organisation_id: int) -> WalkaboutProcedure | None:
    return WalkaboutProcedure.objects.filter(organisation_id=organisation_id).order_by("-version").first()


def _check_walkabout(walkabout: Walkabout, residents: Iterable[Resident]) -> list[Resident]:
    area: Area | None = walkabout.area if walkabout.area_id else None
    if area is not None and area.organisation_id != walkabout.organisation_id:
        raise ValidationError({"area": "That area belongs to another landlord."})
    people = list(residents)
    strangers = [r for r in people if r.organisation_id != walkabout.organisation_id]
    if strangers:
        raise ValidationError({"residents": "Some of those residents belong to another landlord."})
    walkabout.full_clean(exclude=["residents_attending"])
    return people


def walkabout_create(
    *, organisation: Organisation, values: Mapping[str, Any], actor: Any, residents: Iterable[Resident] = ()
) -> Walkabout:
    walkabout = Walkabout(organisation=organisation, created_by=actor if getattr(actor, "pk", None) else None)
    _require(actor, "inspection.manage", walkabout)
    _assign(walkabout, values, WALKABOUT_FIELDS)
    people = _check_walkabout(walkabout, residents)
    with transaction.atomic(), set_actor(actor):
        walkabout.procedure = procedure_current(organisation_id=organisation.pk)
        walkabout.save()
        walkabout.residents_attending.set(people)
    return walkabout


def walkabout_update(
    *, walkabout: Walkabout, values: Mapping[str, Any], actor: Any, residents: Iterable[Resident] | None = None
) -> Walkabout:
    _require(actor, "inspection.manage", walkabout)
    _assign(walkabout, values, WALKABOUT_FIELDS)
    people = _check_walkabout(walkabout, residents or [])
    with transaction.atomic(), set_actor(actor):
        walkabout.save()
        if residents is not None:
            walkabout.residents_attending.set(people)
    return walkabout


def walkabout_complete(*, walkabout: Walkabout, summary: str, actor: Any) -> Walkabout:
    """Mark a walkabout as done and publish its plain-English summary for the estate's residents."""
    _require(actor, "inspection.manage", walkabout)
    if walkabout.date > timezone.localdate():
        raise ValidationError("This walkabout is planned for a future date. Record it as done on or after the day.")
    if not summary.strip():
        raise ValidationError({"public_summary": "Enter a summary for residents"})
    with transaction.atomic(), set_actor(actor):
        walkabout.public_summary = summary.strip()
        if walkabout.status != Walkabout.Status.COMPLETED:
            walkabout.status = Walkabout.Status.COMPLETED
            walkabout.completed_at = timezone.now()
        walkabout.save()
    return walkabout


def finding_default_due(*, walkabout: Walkabout) -> datetime.date:
    return calendar_for(walkabout.organisation).add_working_days(walkabout.date, FINDING_DEFAULT_WORKING_DAYS)


def _check_owner(finding: Finding) -> None:
    owner: User | None = finding.owner if finding.owner_id else None
    if owner is not None and (owner.organisation_id != finding.organisation_id or owner.role not in STAFF):
        raise ValidationError({"owner": "Choose a member of staff at this landlord"})


def finding_add(
    *,
    walkabout: Walkabout,
    values: Mapping[str, Any],
    actor: Any,
    due_on: datetime.date | None = None,
    photos: Iterable[tuple[UploadedFile, str]] = (),
) -> Finding:
    """Record a finding as an action. With no due date it is due FINDING_DEFAULT_WORKING_DAYS
    working days after the walkabout (the landlord's calendar)."""
    _require(actor, "inspection.manage", walkabout)
    if walkabout.status == Walkabout.Status.CANCELLED:
        raise ValidationError("This walkabout was cancelled, so findings cannot be added.")
    finding = Finding(
        organisation_id=walkabout.organisation_id,
        walkabout=walkabout,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _assign(finding, values, FINDING_FIELDS)
    finding.due_on = due_on or finding_default_due(walkabout=walkabout)
    if finding.due_on < walkabout.date:
        raise ValidationError({"due_on": "The due date must be on or after the day of the walkabout"})
    if not finding.owner_id and not finding.owner_team:
        raise ValidationError({"owner": "Choose who owns this action, or enter a team or contractor"})
    _check_owner(finding)
    finding.full_clean()
    checked = [(upload, description, _checked_photo(upload)) for upload, description in photos]
    with transaction.atomic(), set_actor(actor):
        finding.save()
        for upload, description, info in checked:
            _save_photo(finding=finding, upload=upload, description=description, info=info, actor=actor)
    return finding


def _checked_photo(upload: UploadedFile) -> Any:
    try:
        return check_photo(upload)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None


def _save_photo(*, finding: Finding, upload: UploadedFile, description: str, info: Any, actor: Any) -> FindingPhoto:
    if not description.strip():
        raise ValidationError({"photo_description": "Describe what the photo shows"})
    upload.name = f"photo{info.extension}"  # the stored name comes from what the file is, not what it was called
    photo = FindingPhoto(
        organisation_id=finding.organisation_id,
        finding=finding,
        content_type=info.content_type,
        width=info.width,
        height=info.height,
        size=info.size,
        description=description.strip()[:200],
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    photo.image.save(upload.name, photo_without_metadata(upload, info), save=False)
    try:
        photo.save()
    except Exception:
        photo.image.delete(save=False)
        raise
    return photo


def photo_add(*, finding: Finding, upload: UploadedFile, description: str, actor: Any) -> FindingPhoto:
    _require(actor, "inspection.manage", finding)
    info = _checked_photo(upload)
    with transaction.atomic(), set_actor(actor):
        return _save_photo(finding=finding, upload=upload, description=description, info=info, actor=actor)


def finding_update(*, finding: Finding, values: Mapping[str, Any], note: str, actor: Any) -> Finding:
    """Change the owner, due date or status (open, in progress) with a note of progress. A closed
    finding given a status other than closed is reopened."""
    _require(actor, "inspection.manage", finding)
    if not note.strip():
        raise ValidationError({"note": "Enter a note of what has happened"})
    status = values.get("status", finding.status)
    if status == Finding.Status.CLOSED:
        raise ValidationError({"status": "Use 'Close this action' to close it, with a note of what was done"})
    _assign(finding, values, ("owner", "owner_team", "due_on", "status"))
    if not finding.owner_id and not finding.owner_team:
        raise ValidationError({"owner": "Choose who owns this action, or enter a team or contractor"})
    _check_owner(finding)
    with transaction.atomic(), set_actor(actor):
        finding.closed_at, finding.closed_by, finding.closing_note = None, None, ""
        finding.save()
        FindingUpdate.objects.create(
            finding=finding,
            note=note.strip(),
            status=finding.status,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
    return finding


def finding_close(*, finding: Finding, note: str, actor: Any) -> Finding:
    _require(actor, "inspection.manage", finding)
    if not note.strip():
        raise ValidationError({"note": "Enter what was done, to close this action"})
    with transaction.atomic(), set_actor(actor):
        locked = Finding.objects.select_for_update().get(pk=finding.pk)
        if locked.status == Finding.Status.CLOSED:
            return locked
        locked.status = Finding.Status.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = actor if getattr(actor, "pk", None) else None
        locked.closing_note = note.strip()
        locked.save()
        FindingUpdate.objects.create(
            finding=locked, note=note.strip(), status=Finding.Status.CLOSED, created_by=locked.closed_by
        )
    return locked


def procedure_publish(
    *,
    organisation: Organisation,
    values: Mapping[str, Any],
    actor: Any,
    document: UploadedFile | None = None,
) -> WalkaboutProcedure:
    """Add a new version of the landlord's walkabout procedure; it is in force from then on."""
    procedure = WalkaboutProcedure(organisation=organisation, version=0)
    _require(actor, "inspection.manage", procedure)
    _assign(procedure, values, ("title", "text", "change_note", "effective_from"))
    try:
        info = check_document(document) if document is not None else None
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from None
    with transaction.atomic(), set_actor(actor):
        # Lock the landlord's row so two publishers cannot take the same version number.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        procedure.version = (
            WalkaboutProcedure.objects.filter(organisation=organisation).aggregate(m=Max("version"))["m"] or 0
        ) + 1
        procedure.created_by = actor if getattr(actor, "pk", None) else None
        if document is not None and info is not None:
            procedure.document_name = (document.name or "procedure")[:200]
            procedure.document_type = info.content_type
            procedure.document.save(f"procedure{info.extension}", document, save=False)
        procedure.full_clean(exclude=["document"])
        procedure.save()
    return procedure
