"""Reads for mystery shopping, case studies and walkabouts, always scoped by the policy."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncQuarter
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation
from core.calendar import calendar_for
from core.permissions import scope
from inspections.models import (
    Answer,
    CaseStudy,
    Exercise,
    Finding,
    FindingPhoto,
    Question,
    Scenario,
    Service,
    Walkabout,
    WalkaboutProcedure,
)
from people.models import Resident
from resources.models import TrainingRecord

# Fewer results than this are shown with a warning that they are too few to compare.
FEW_RESULTS = 5


def _get(queryset: QuerySet[Any], pk: int, what: str) -> Any:
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        # Same answer for "not there" and "not yours", so ids leak nothing.
        raise Http404(f"No {what} found")
    return obj


# --- Mystery shopping ---------------------------------------------------------------------------


def scenario_list(*, user: Any) -> QuerySet[Scenario]:
    return (
        scope(Scenario.objects.all(), user, "inspection.view")
        .select_related("required_course", "measure")
        .annotate(
            done=Count("exercises", filter=Q(exercises__status=Exercise.Status.SUBMITTED)),
            to_do=Count("exercises", filter=Q(exercises__status=Exercise.Status.ASSIGNED)),
            average=Avg("exercises__score", filter=Q(exercises__status=Exercise.Status.SUBMITTED)),
        )
        .order_by("-is_active", "title")
    )


def scenario_get(*, user: Any, pk: int, action: str = "inspection.view") -> Scenario:
    return _get(
        scope(Scenario.objects.all(), user, action).select_related("required_course", "organisation", "measure"),
        pk,
        "scenario",
    )


def scenarios_testing(*, user: Any, measure: Any) -> list[Scenario]:
    """The mystery-shopping scenarios that test a local-offer measure, with how many assessments
    were done, their average score and the date of the latest."""
    return list(
        scenario_list(user=user)
        .filter(measure=measure)
        .annotate(latest=Max("exercises__carried_out_on", filter=Q(exercises__status=Exercise.Status.SUBMITTED)))
    )


def measure_choices(*, user: Any) -> QuerySet[Any]:
    """The landlord's local-offer measures a scenario or case study can be linked to."""
    from standards.models import Measure

    return scope(Measure.objects.all(), user, "inspection.manage").order_by("code")


def question_get(*, user: Any, pk: int) -> Question:
    qs = Question.objects.select_related("scenario").filter(
        scenario__in=scope(Scenario.objects.all(), user, "inspection.manage")
    )
    return _get(qs, pk, "question")


def scenario_exercises(*, scenario: Scenario) -> QuerySet[Exercise]:
    return scenario.exercises.select_related("shopper").order_by("-due_on", "-id")


def exercise_list(*, user: Any, status: str = "") -> QuerySet[Exercise]:
    qs = scope(Exercise.objects.all(), user, "inspection.view").select_related("scenario", "shopper")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("due_on", "id")


def exercise_get(*, user: Any, pk: int, action: str = "inspection.view") -> Exercise:
    qs = scope(Exercise.objects.all(), user, action).select_related(
        "scenario", "scenario__required_course", "shopper", "assigned_by", "submitted_by", "organisation"
    )
    return _get(qs, pk, "exercise")


def exercise_answers(*, exercise: Exercise) -> list[Answer]:
    return list(exercise.answers.select_related("question"))


def resident_for_user(*, user: Any) -> Resident | None:
    """The register entry a signed-in resident is linked to, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Resident.objects.filter(user=user, organisation_id=user.organisation_id).first()


def own_exercises(*, user: Any) -> QuerySet[Exercise]:
    resident = resident_for_user(user=user)
    if resident is None:
        return Exercise.objects.none()
    qs = scope(Exercise.objects.all(), user, "inspection.take_part").filter(shopper=resident)
    return qs.exclude(status=Exercise.Status.CANCELLED).select_related("scenario").order_by("status", "due_on", "id")


def own_exercise_get(*, user: Any, pk: int) -> Exercise:
    """Only the shopper's own exercise: anyone else's answers 404, as if it were not there."""
    return _get(own_exercises(user=user).select_related("scenario", "shopper", "organisation"), pk, "exercise")


def trained_shoppers(*, user: Any, course_ids: list[int] | None = None) -> list[Resident]:
    """Active residents with a current record of the given courses (by default, every course a
    scenario needs), with the courses held, for the shoppers page and the assign form."""
    today = timezone.localdate()
    if course_ids is None:
        course_ids = list(
            scope(Scenario.objects.all(), user, "inspection.view").values_list("required_course_id", flat=True)
        )
    records = (
        TrainingRecord.objects.current(today)
        .filter(course_id__in=set(course_ids))
        .filter(resident__in=scope(Resident.objects.active(), user, "inspection.view"))
        .select_related("course")
        .order_by("course__name", "-completed_on")
    )
    residents = {
        r.pk: r
        for r in scope(Resident.objects.all(), user, "inspection.view")
        .filter(pk__in=records.values("resident_id"))
        .select_related("area")
        .annotate(
            done=Count("mystery_exercises", filter=Q(mystery_exercises__status=Exercise.Status.SUBMITTED)),
            to_do=Count("mystery_exercises", filter=Q(mystery_exercises__status=Exercise.Status.ASSIGNED)),
        )
    }
    for resident in residents.values():
        resident.current_training = []  # type: ignore[attr-defined]
    for record in records:
        if record.resident_id in residents:
            residents[record.resident_id].current_training.append(record)  # type: ignore[attr-defined]
    return sorted(residents.values(), key=lambda r: (r.last_name, r.first_name, r.pk))


@dataclass(frozen=True)
class ResultRow:
    label: str
    n: int
    average: Decimal | None
    lowest: Decimal | None = None
    highest: Decimal | None = None
    extra: str = ""

    @property
    def few(self) -> bool:
        return self.n < FEW_RESULTS


@dataclass(frozen=True)
class Results:
    by_service: list[ResultRow]
    by_quarter: list[ResultRow]
    by_scenario: list[ResultRow]
    total: int
    service: str


def _round(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.1"))


def quarter_label(day: datetime.date) -> str:
    end = datetime.date(day.year + (day.month + 2) // 13, (day.month + 2) % 12 or 12, 1)
    return f"{day:%B} to {end:%B %Y}"


def results(*, user: Any, service: str = "", since: datetime.date | None = None) -> Results:
    """Scores of submitted assessments by service, by quarter (of the day the shopping was done)
    and by scenario. Every figure comes with how many assessments it is from."""
    base = scope(Exercise.objects.all(), user, "inspection.view").filter(
        status=Exercise.Status.SUBMITTED, score__isnull=False
    )
    if since is not None:
        base = base.filter(carried_out_on__gte=since)
    labels = dict(Service.choices)

    def rows(queryset: Any) -> list[dict[str, Any]]:
        stats = {"n": Count("id"), "average": Avg("score"), "lowest": Min("score"), "highest": Max("score")}
        return [dict(r) for r in queryset.annotate(**stats)]

    def row(label: str, r: dict[str, Any], extra: str = "") -> ResultRow:
        return ResultRow(label, r["n"], _round(r["average"]), _round(r["lowest"]), _round(r["highest"]), extra)

    by_service = [
        row(labels.get(r["scenario__service"], r["scenario__service"]), r)
        for r in rows(base.values("scenario__service").order_by("scenario__service"))
    ]
    filtered = base.filter(scenario__service=service) if service else base
    quarters = filtered.annotate(quarter=TruncQuarter("carried_out_on")).values("quarter").order_by("quarter")
    by_quarter = [row(quarter_label(r["quarter"]), r) for r in rows(quarters) if r["quarter"] is not None]
    scenarios = filtered.values("scenario_id", "scenario__title", "scenario__measure__code").order_by("scenario__title")
    by_scenario = [row(r["scenario__title"], r, extra=r["scenario__measure__code"] or "") for r in rows(scenarios)]
    return Results(
        by_service=by_service,
        by_quarter=by_quarter,
        by_scenario=by_scenario,
        total=sum(r.n for r in by_service),
        service=service,
    )


def question_results(*, scenario: Scenario) -> list[dict[str, Any]]:
    """For each scored question of a scenario: how many answered, how many said yes, the average score."""
    rows = (
        Answer.objects.filter(exercise__scenario=scenario, exercise__status=Exercise.Status.SUBMITTED)
        .values("question_id")
        .annotate(
            n=Count("id", filter=Q(yes_no__isnull=False) | Q(score__isnull=False)),
            yes=Count("id", filter=Q(yes_no=True)),
            average=Avg("score"),
        )
    )
    by_question = {r["question_id"]: r for r in rows}
    out = []
    for question in scenario.questions.all():
        r = by_question.get(question.pk, {"n": 0, "yes": 0, "average": None})
        out.append({"question": question, "n": r["n"], "yes": r["yes"], "average": _round(r["average"])})
    return out


# --- Case studies -----------------------------------------------------------------------------------


def case_study_list(*, user: Any) -> QuerySet[CaseStudy]:
    return (
        scope(CaseStudy.objects.all(), user, "inspection.view")
        .select_related("resident")
        .annotate(observation_count=Count("observations"))
        .order_by("status", "-started_on", "-id")
    )


def case_study_get(*, user: Any, pk: int, action: str = "inspection.view") -> CaseStudy:
    qs = scope(CaseStudy.objects.all(), user, action).select_related(
        "resident", "organisation", "created_by", "measure"
    )
    return _get(qs, pk, "case study")


def resident_by_reference(*, user: Any, person_ref: str) -> Resident | None:
    return scope(Resident.objects.all(), user, "inspection.manage").filter(person_ref=person_ref.strip()).first()


# --- Walkabouts ---------------------------------------------------------------------------------------


def walkabout_list(*, user: Any, kind: str = "", status: str = "", area: int | None = None) -> QuerySet[Walkabout]:
    qs = scope(Walkabout.objects.all(), user, "inspection.view").select_related("area")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if area:
        qs = qs.filter(Q(area_id=area) | Q(area__parent_id=area) | Q(area__parent__parent_id=area))
    return qs.annotate(
        finding_count=Count("findings", distinct=True),
        open_count=Count("findings", filter=~Q(findings__status=Finding.Status.CLOSED), distinct=True),
    ).order_by("-date", "-id")


def walkabout_get(*, user: Any, pk: int, action: str = "inspection.view") -> Walkabout:
    qs = scope(Walkabout.objects.all(), user, action).select_related("area", "organisation", "procedure")
    return _get(qs, pk, "walkabout")


def _flag_overdue(findings: list[Finding], organisation: Organisation | None) -> list[Finding]:
    """Mark each open finding past its due date with how many working days late it is."""
    today = timezone.localdate()
    late = [f for f in findings if not f.is_closed and f.due_on < today]
    calendar = calendar_for(organisation) if late and organisation is not None else None
    for finding in findings:
        finding.overdue_days = 0  # type: ignore[attr-defined]
    for finding in late:
        days = calendar.working_days_between(finding.due_on, today) if calendar else (today - finding.due_on).days
        # A finding due on a Friday is late on Saturday, even with no working day between.
        finding.overdue_days = max(days, 1)  # type: ignore[attr-defined]
    return findings


def walkabout_findings(*, walkabout: Walkabout) -> list[Finding]:
    findings = list(
        walkabout.findings.select_related("owner").prefetch_related("photos").order_by("status", "due_on", "id")
    )
    return _flag_overdue(findings, walkabout.organisation)


def action_list(*, user: Any, show: str = "open", owner_id: int | None = None) -> list[Finding]:
    """Findings across every walkabout: open ones (default), overdue ones, or closed ones."""
    qs = scope(Finding.objects.all(), user, "inspection.view").select_related("owner", "walkabout__area")
    today = timezone.localdate()
    if show == "closed":
        qs = qs.filter(status=Finding.Status.CLOSED).order_by("-closed_at", "-id")
    else:
        qs = qs.exclude(status=Finding.Status.CLOSED).order_by("due_on", "id")
        if show == "overdue":
            qs = qs.filter(due_on__lt=today)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    findings = list(qs[:500])
    organisation = user.organisation if getattr(user, "organisation_id", None) else None
    return _flag_overdue(findings, organisation)


def finding_get(*, user: Any, pk: int, action: str = "inspection.view") -> Finding:
    qs = scope(Finding.objects.all(), user, action).select_related(
        "walkabout", "walkabout__area", "owner", "closed_by", "organisation"
    )
    finding = _get(qs, pk, "finding")
    _flag_overdue([finding], finding.organisation)
    return finding


def finding_updates(*, finding: Finding) -> QuerySet[Any]:
    return finding.updates.select_related("created_by")


def photo_get(*, user: Any, pk: int) -> FindingPhoto:
    return _get(scope(FindingPhoto.objects.all(), user, "inspection.view"), pk, "photo")


def staff_owners(*, user: Any) -> QuerySet[Any]:
    from accounts.models import Role, User

    return (
        scope(User.objects.filter(is_active=True), user, "inspection.manage")
        .filter(role__in=[Role.ADMINISTRATOR, Role.INVOLVEMENT_OFFICER, Role.MANAGER])
        .order_by("first_name", "last_name", "username")
    )


def procedure_list(*, user: Any) -> QuerySet[WalkaboutProcedure]:
    return scope(WalkaboutProcedure.objects.all(), user, "inspection.view").select_related("created_by")


def procedure_current(*, user: Any) -> WalkaboutProcedure | None:
    return procedure_list(user=user).order_by("-version").first()


def procedure_get(*, user: Any, pk: int) -> WalkaboutProcedure:
    return _get(scope(WalkaboutProcedure.objects.all(), user, "inspection.view"), pk, "procedure")


# --- Public summaries -------------------------------------------------------------------------------


def _published(organisation: Organisation) -> QuerySet[Walkabout]:
    return Walkabout.objects.filter(organisation=organisation, status=Walkabout.Status.COMPLETED).exclude(
        public_summary=""
    )


def public_walkabout_list(*, organisation: Organisation) -> QuerySet[Walkabout]:
    return (
        _published(organisation)
        .select_related("area")
        .annotate(
            finding_count=Count("findings"),
            done_count=Count("findings", filter=Q(findings__status=Finding.Status.CLOSED)),
        )
        .order_by("-date", "-id")
    )


def public_walkabout_get(*, organisation: Organisation, pk: int) -> Walkabout:
    return _get(_published(organisation).select_related("area", "organisation"), pk, "walkabout")


def public_findings(*, walkabout: Walkabout) -> list[Finding]:
    """What a resident may see about each finding: no names, no photos, no internal notes."""
    return list(
        walkabout.findings.only(
            "id", "walkabout_id", "category", "location", "description", "action", "status", "due_on", "closing_note"
        ).order_by("status", "due_on", "id")
    )
