"""Pages for mystery shopping, case studies and walkabouts. Thin: permission, form, service or
selector, template. Staff pages under staff/, a shopper's own under your-inspections/, public
summaries under walkabouts/."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from core.forms import show_service_errors
from core.permissions import has_permission, permission_required, public, scope
from inspections import selectors, services
from inspections.forms import (
    ActionFilterForm,
    AssessmentForm,
    AssignForm,
    CaseStudyForm,
    CloseCaseForm,
    CloseFindingForm,
    CompleteWalkaboutForm,
    FindingForm,
    FindingUpdateForm,
    ObservationForm,
    PhotoForm,
    ProcedureForm,
    QuestionForm,
    ResultsFilterForm,
    ScenarioForm,
    WalkaboutFilterForm,
    WalkaboutForm,
)
from inspections.models import Exercise, Finding, Service, Walkabout
from people.models import Area, Resident
from resources.models import TrainingCourse

SHOPPING = "mystery-shopping"
WALKABOUTS = "walkabouts"


def _render(request: HttpRequest, template: str, context: dict[str, Any], section: str) -> HttpResponse:
    return render(request, f"inspections/{template}", {**context, "active_section": section})


# --- Mystery shopping: staff ------------------------------------------------------------------------


@permission_required("inspection.view")
def shopping_overview(request: HttpRequest) -> HttpResponse:
    to_do = list(selectors.exercise_list(user=request.user, status=Exercise.Status.ASSIGNED))
    today = timezone.localdate()
    return _render(
        request,
        "shopping_overview.html",
        {
            "scenarios": selectors.scenario_list(user=request.user),
            "to_do": to_do,
            "overdue": sum(1 for e in to_do if e.due_on < today),
            "today": today,
            "can_manage": has_permission(request.user, "inspection.manage"),
        },
        SHOPPING,
    )


def _courses(user: Any) -> Any:
    return scope(TrainingCourse.objects.all(), user, "inspection.manage")


@permission_required("inspection.manage")
def scenario_create(request: HttpRequest) -> HttpResponse:
    form = ScenarioForm(
        request.POST or None,
        courses=_courses(request.user),
        measures=selectors.measure_choices(user=request.user),
        initial={"is_active": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.scenario_create(
                organisation=request.user.organisation,  # type: ignore[union-attr]
                values=form.cleaned_data,
                actor=request.user,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Scenario added. Now add the questions for '{scenario.title}'")
            return redirect("inspections:scenario-questions", pk=scenario.pk)
    return _render(request, "scenario_form.html", {"form": form, "scenario": None}, SHOPPING)


@permission_required("inspection.manage")
def scenario_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = selectors.scenario_get(user=request.user, pk=pk, action="inspection.manage")
    form = ScenarioForm(
        request.POST or None,
        instance=scenario,
        courses=_courses(request.user),
        measures=selectors.measure_choices(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_update(scenario=scenario, values=form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Scenario saved")
            return redirect("inspections:scenario-detail", pk=scenario.pk)
    return _render(request, "scenario_form.html", {"form": form, "scenario": scenario}, SHOPPING)


@permission_required("inspection.view")
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = selectors.scenario_get(user=request.user, pk=pk)
    return _render(
        request,
        "scenario_detail.html",
        {
            "scenario": scenario,
            "questions": selectors.question_results(scenario=scenario),
            "exercises": selectors.scenario_exercises(scenario=scenario),
            "today": timezone.localdate(),
            "can_manage": has_permission(request.user, "inspection.manage"),
        },
        SHOPPING,
    )


@permission_required("inspection.manage")
def scenario_questions(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = selectors.scenario_get(user=request.user, pk=pk, action="inspection.manage")
    form = QuestionForm(request.POST or None, initial={"weight": 1, "is_required": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(scenario=scenario, values=form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Question added")
            return redirect("inspections:scenario-questions", pk=scenario.pk)
    return _render(
        request,
        "scenario_questions.html",
        {"scenario": scenario, "questions": scenario.questions.all(), "form": form},
        SHOPPING,
    )


@require_POST
@permission_required("inspection.manage")
def question_remove(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_get(user=request.user, pk=pk)
    try:
        services.question_remove(question=question, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Question removed")
    return redirect("inspections:scenario-questions", pk=question.scenario_id)


@permission_required("inspection.manage")
def exercise_assign(request: HttpRequest, pk: int) -> HttpResponse:
    scenario = selectors.scenario_get(user=request.user, pk=pk, action="inspection.manage")
    shoppers = selectors.trained_shoppers(user=request.user, course_ids=[scenario.required_course_id])
    form = AssignForm(request.POST or None, shoppers=shoppers)
    if request.method == "POST" and form.is_valid():
        shopper = scope(Resident.objects.all(), request.user, "inspection.manage").get(pk=form.cleaned_data["shopper"])
        try:
            exercise = services.exercise_assign(
                scenario=scenario, shopper=shopper, due_on=form.cleaned_data["due_on"], actor=request.user
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{shopper.full_name} has been given this exercise and told about it")
            return redirect("inspections:exercise-detail", pk=exercise.pk)
    return _render(
        request, "exercise_assign.html", {"scenario": scenario, "form": form, "shoppers": shoppers}, SHOPPING
    )


@permission_required("inspection.view")
def exercise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = selectors.exercise_get(user=request.user, pk=pk)
    return _render(
        request,
        "exercise_detail.html",
        {
            "exercise": exercise,
            "answers": selectors.exercise_answers(exercise=exercise),
            "today": timezone.localdate(),
            "can_manage": has_permission(request.user, "inspection.manage"),
        },
        SHOPPING,
    )


def _submit_assessment(request: HttpRequest, exercise: Exercise, *, from_paper: bool) -> tuple[AssessmentForm, bool]:
    questions = list(exercise.scenario.questions.all())
    form = AssessmentForm(request.POST or None, questions=questions)
    if request.method != "POST" or not form.is_valid():
        return form, False
    try:
        services.assessment_submit(
            exercise=exercise,
            answers=form.answers(),
            carried_out_on=form.cleaned_data["carried_out_on"],
            comments=form.cleaned_data["comments"],
            actor=request.user,
            from_paper=from_paper,
        )
    except services.AssessmentLocked as exc:
        messages.info(request, " ".join(exc.messages))
        return form, True
    except ValidationError as exc:
        show_service_errors(form, exc)
        return form, False
    messages.success(request, "Assessment submitted" if not from_paper else "Paper assessment recorded")
    return form, True


@permission_required("inspection.manage")
def exercise_paper(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = selectors.exercise_get(user=request.user, pk=pk, action="inspection.manage")
    if exercise.is_locked and request.method == "GET":
        messages.info(request, "This assessment has already been submitted. It cannot be changed.")
        return redirect("inspections:exercise-detail", pk=exercise.pk)
    form, done = _submit_assessment(request, exercise, from_paper=True)
    if done:
        return redirect("inspections:exercise-detail", pk=exercise.pk)
    return _render(request, "assessment_form.html", {"exercise": exercise, "form": form, "paper": True}, SHOPPING)


@require_POST
@permission_required("inspection.manage")
def exercise_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = selectors.exercise_get(user=request.user, pk=pk, action="inspection.manage")
    try:
        services.exercise_cancel(exercise=exercise, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Exercise cancelled")
    return redirect("inspections:exercise-detail", pk=exercise.pk)


@permission_required("inspection.view")
def results(request: HttpRequest) -> HttpResponse:
    form = ResultsFilterForm(request.GET or None)
    service = form.cleaned_data["service"] if form.is_bound and form.is_valid() else ""
    return _render(
        request,
        "results.html",
        {
            "form": form,
            "results": selectors.results(user=request.user, service=service),
            "service_label": dict(Service.choices).get(service, "all services"),
            "few": selectors.FEW_RESULTS,
        },
        SHOPPING,
    )


@permission_required("inspection.view")
def shoppers(request: HttpRequest) -> HttpResponse:
    return _render(request, "shoppers.html", {"shoppers": selectors.trained_shoppers(user=request.user)}, SHOPPING)


# --- Case studies ---------------------------------------------------------------------------------------


@permission_required("inspection.view")
def case_study_list(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "case_study_list.html",
        {
            "cases": selectors.case_study_list(user=request.user),
            "can_manage": has_permission(request.user, "inspection.manage"),
        },
        SHOPPING,
    )


@permission_required("inspection.manage")
def case_study_create(request: HttpRequest) -> HttpResponse:
    form = CaseStudyForm(request.POST or None, measures=selectors.measure_choices(user=request.user))
    if request.method == "POST" and form.is_valid():
        resident = selectors.resident_by_reference(user=request.user, person_ref=form.cleaned_data["person_ref"])
        if resident is None:
            form.add_error("person_ref", "There is no resident with that person reference")
        else:
            values = {k: v for k, v in form.cleaned_data.items() if k != "person_ref"}
            try:
                case = services.case_study_create(
                    organisation=request.user.organisation,  # type: ignore[union-attr]
                    resident=resident,
                    values=values,
                    actor=request.user,
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, "Case study started")
                return redirect("inspections:case-study-detail", pk=case.pk)
    return _render(request, "case_study_form.html", {"form": form}, SHOPPING)


@permission_required("inspection.view")
def case_study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_study_get(user=request.user, pk=pk)
    return _render(
        request,
        "case_study_detail.html",
        {
            "case": case,
            "observations": case.observations.select_related("recorded_by"),
            "can_manage": has_permission(request.user, "inspection.manage"),
        },
        SHOPPING,
    )


@permission_required("inspection.manage")
def observation_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_study_get(user=request.user, pk=pk, action="inspection.manage")
    form = ObservationForm(request.POST or None, initial={"observed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_observation_add(case_study=case, values=form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Observation added")
            return redirect("inspections:case-study-detail", pk=case.pk)
    return _render(request, "observation_form.html", {"case": case, "form": form}, SHOPPING)


@permission_required("inspection.manage")
def case_study_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_study_get(user=request.user, pk=pk, action="inspection.manage")
    form = CloseCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_study_close(case_study=case, outcome=form.cleaned_data["outcome"], actor=request.user)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Case study finished")
            return redirect("inspections:case-study-detail", pk=case.pk)
    return _render(request, "case_study_close.html", {"case": case, "form": form}, SHOPPING)


# --- Mystery shopping: the shopper's own pages ------------------------------------------------------


@permission_required("inspection.take_part")
def own_list(request: HttpRequest) -> HttpResponse:
    resident = selectors.resident_for_user(user=request.user)
    exercises = list(selectors.own_exercises(user=request.user))
    return _render(
        request,
        "own_list.html",
        {
            "resident": resident,
            "to_do": [e for e in exercises if e.status == Exercise.Status.ASSIGNED],
            "done": [e for e in exercises if e.status == Exercise.Status.SUBMITTED],
            "today": timezone.localdate(),
        },
        "your-inspections",
    )


@permission_required("inspection.take_part")
def own_exercise(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = selectors.own_exercise_get(user=request.user, pk=pk)
    if exercise.is_locked:
        if request.method == "POST":
            messages.info(request, "You have already sent this assessment. It cannot be changed.")
            return redirect("inspections:own-exercise", pk=exercise.pk)
        return _render(
            request,
            "own_submitted.html",
            {"exercise": exercise, "answers": selectors.exercise_answers(exercise=exercise)},
            "your-inspections",
        )
    form, done = _submit_assessment(request, exercise, from_paper=False)
    if done:
        return redirect("inspections:own-exercise", pk=exercise.pk)
    return _render(
        request, "assessment_form.html", {"exercise": exercise, "form": form, "paper": False}, "your-inspections"
    )


# --- Walkabouts: staff ----------------------------------------------------------------------------------


def _areas(user: Any) -> Any:
    return scope(Area.objects.all(), user, "inspection.manage").order_by("level", "name")


@permission_required("inspection.view")
def walkabout_list(request: HttpRequest) -> HttpResponse:
    form = WalkaboutFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return _render(
        request,
        "walkabout_list.html",
        {
            "form": form,
            "walkabouts": selectors.walkabout_list(
                user=request.user, kind=filters.get("kind", ""), status=filters.get("status", "")
            ),
            "procedure": selectors.procedure_current(user=request.user),
            "can_manage": has_permission(request.user, "inspection.manage"),
        },
        WALKABOUTS,
    )


def _attendees(request: HttpRequest, form: WalkaboutForm) -> list[Resident] | None:
    refs = form.person_refs()
    found = list(scope(Resident.objects.all(), request.user, "inspection.manage").filter(person_ref__in=refs))
    missing = sorted(set(refs) - {r.person_ref for r in found})
    if missing:
        form.add_error("resident_refs", f"There is no resident with the person reference {', '.join(missing)}")
        return None
    return found


@permission_required("inspection.manage")
def walkabout_create(request: HttpRequest) -> HttpResponse:
    form = WalkaboutForm(request.POST or None, areas=_areas(request.user))
    if request.method == "POST" and form.is_valid():
        residents = _attendees(request, form)
        if residents is not None:
            values = {k: v for k, v in form.cleaned_data.items() if k != "resident_refs"}
            try:
                walkabout = services.walkabout_create(
                    organisation=request.user.organisation,  # type: ignore[union-attr]
                    values=values,
                    residents=residents,
                    actor=request.user,
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, "Walkabout recorded")
                return redirect("inspections:walkabout-detail", pk=walkabout.pk)
    return _render(
        request,
        "walkabout_form.html",
        {"form": form, "walkabout": None, "procedure": selectors.procedure_current(user=request.user)},
        WALKABOUTS,
    )


@permission_required("inspection.manage")
def walkabout_edit(request: HttpRequest, pk: int) -> HttpResponse:
    walkabout = selectors.walkabout_get(user=request.user, pk=pk, action="inspection.manage")
    refs = "\n".join(r.person_ref or "" for r in walkabout.residents_attending.all())
    form = WalkaboutForm(
        request.POST or None, instance=walkabout, areas=_areas(request.user), initial={"resident_refs": refs}
    )
    if request.method == "POST" and form.is_valid():
        residents = _attendees(request, form)
        if residents is not None:
            values = {k: v for k, v in form.cleaned_data.items() if k != "resident_refs"}
            try:
                services.walkabout_update(walkabout=walkabout, values=values, residents=residents, actor=request.user)
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, "Walkabout saved")
                return redirect("inspections:walkabout-detail", pk=walkabout.pk)
    return _render(
        request,
        "walkabout_form.html",
        {"form": form, "walkabout": walkabout, "procedure": walkabout.procedure},
        WALKABOUTS,
    )


@permission_required("inspection.view")
def walkabout_detail(request: HttpRequest, pk: int) -> HttpResponse:
    walkabout = selectors.walkabout_get(user=request.user, pk=pk)
    return _render(
        request,
        "walkabout_detail.html",
        {
            "walkabout": walkabout,
            "findings": selectors.walkabout_findings(walkabout=walkabout),
            "residents": walkabout.residents_attending.all(),
            "procedure": walkabout.procedure or selectors.procedure_current(user=request.user),
            "can_manage": has_permission(request.user, "inspection.manage"),
        },
        WALKABOUTS,
    )


@permission_required("inspection.manage")
def walkabout_complete(request: HttpRequest, pk: int) -> HttpResponse:
    walkabout = selectors.walkabout_get(user=request.user, pk=pk, action="inspection.manage")
    form = CompleteWalkaboutForm(request.POST or None, initial={"public_summary": walkabout.public_summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.walkabout_complete(
                walkabout=walkabout, summary=form.cleaned_data["public_summary"], actor=request.user
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Walkabout completed and its summary published for residents")
            return redirect("inspections:walkabout-detail", pk=walkabout.pk)
    return _render(
        request,
        "walkabout_complete.html",
        {"walkabout": walkabout, "form": form, "findings": selectors.walkabout_findings(walkabout=walkabout)},
        WALKABOUTS,
    )


@permission_required("inspection.manage")
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    walkabout = selectors.walkabout_get(user=request.user, pk=pk, action="inspection.manage")
    owners = selectors.staff_owners(user=request.user)
    form = FindingForm(request.POST or None, request.FILES or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {k: v for k, v in data.items() if k not in ("due_on", "photo", "photo_description")}
        photos = [(data["photo"], data["photo_description"])] if data.get("photo") else []
        try:
            finding = services.finding_add(
                walkabout=walkabout, values=values, due_on=data.get("due_on"), photos=photos, actor=request.user
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Finding recorded")
            if "another" in request.POST:
                return redirect("inspections:finding-create", pk=walkabout.pk)
            return redirect("inspections:finding-detail", pk=finding.pk)
    return _render(
        request,
        "finding_form.html",
        {"walkabout": walkabout, "form": form, "default_days": services.FINDING_DEFAULT_WORKING_DAYS},
        WALKABOUTS,
    )


@permission_required("inspection.view")
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get(user=request.user, pk=pk)
    return _render(
        request,
        "finding_detail.html",
        {
            "finding": finding,
            "updates": selectors.finding_updates(finding=finding),
            "photos": finding.photos.all(),
            "can_manage": has_permission(request.user, "inspection.manage"),
        },
        WALKABOUTS,
    )


@permission_required("inspection.manage")
def finding_update(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get(user=request.user, pk=pk, action="inspection.manage")
    form = FindingUpdateForm(request.POST or None, instance=finding, owners=selectors.staff_owners(user=request.user))
    if finding.is_closed and request.method == "GET":
        form.initial["status"] = Finding.Status.OPEN
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in ("status", "owner", "owner_team", "due_on")}
        try:
            services.finding_update(finding=finding, values=values, note=form.cleaned_data["note"], actor=request.user)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Action updated")
            return redirect("inspections:finding-detail", pk=finding.pk)
    return _render(request, "finding_update.html", {"finding": finding, "form": form}, WALKABOUTS)


@permission_required("inspection.manage")
def finding_close(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get(user=request.user, pk=pk, action="inspection.manage")
    form = CloseFindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_close(finding=finding, note=form.cleaned_data["note"], actor=request.user)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Action closed")
            return redirect("inspections:finding-detail", pk=finding.pk)
    return _render(request, "finding_close.html", {"finding": finding, "form": form}, WALKABOUTS)


@permission_required("inspection.manage")
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get(user=request.user, pk=pk, action="inspection.manage")
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.photo_add(
                finding=finding,
                upload=form.cleaned_data["photo"],
                description=form.cleaned_data["photo_description"],
                actor=request.user,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Photo added")
            return redirect("inspections:finding-detail", pk=finding.pk)
    return _render(request, "photo_form.html", {"finding": finding, "form": form}, WALKABOUTS)


@permission_required("inspection.view")
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The only way to see a photo: permission and landlord checked on every request."""
    item = selectors.photo_get(user=request.user, pk=pk)
    try:
        handle = item.image.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("No photo found") from None
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = f'inline; filename="finding-{item.finding_id}-photo-{item.pk}"'
    return response


@permission_required("inspection.view")
def action_list(request: HttpRequest) -> HttpResponse:
    form = ActionFilterForm(request.GET or None)
    show = (form.cleaned_data["show"] if form.is_bound and form.is_valid() else "") or "open"
    return _render(
        request,
        "action_list.html",
        {"form": form, "show": show, "findings": selectors.action_list(user=request.user, show=show)},
        WALKABOUTS,
    )


@permission_required("inspection.view")
def procedure(request: HttpRequest) -> HttpResponse:
    versions = list(selectors.procedure_list(user=request.user).order_by("-version"))
    return _render(
        request,
        "procedure.html",
        {
            "current": versions[0] if versions else None,
            "versions": versions,
            "can_manage": has_permission(request.user, "inspection.manage"),
        },
        WALKABOUTS,
    )


@permission_required("inspection.manage")
def procedure_create(request: HttpRequest) -> HttpResponse:
    current = selectors.procedure_current(user=request.user)
    initial = {"title": current.title, "text": current.text} if current else {}
    initial["effective_from"] = timezone.localdate()
    form = ProcedureForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.procedure_publish(
                organisation=request.user.organisation,  # type: ignore[union-attr]
                values={k: data[k] for k in ("title", "text", "change_note", "effective_from")},
                document=data.get("document"),
                actor=request.user,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Version {version.version} of the procedure is now in force")
            return redirect("inspections:procedure")
    return _render(request, "procedure_form.html", {"form": form, "current": current}, WALKABOUTS)


@permission_required("inspection.view")
def procedure_document(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.procedure_get(user=request.user, pk=pk)
    if not version.document:
        raise Http404("This version has no document")
    try:
        handle = version.document.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("No document found") from None
    return FileResponse(
        handle,
        content_type=version.document_type or "application/octet-stream",
        as_attachment=True,
        filename=version.document_name or f"walkabout-procedure-v{version.version}",
    )


# --- Public summaries ---------------------------------------------------------------------------------


def _landlord(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


@public
def public_walkabout_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _landlord(slug)
    return render(
        request,
        "inspections/public_list.html",
        {
            "organisation": organisation,
            "walkabouts": selectors.public_walkabout_list(organisation=organisation),
            "active_section": "walkabouts",
        },
    )


@public
def public_walkabout_summary(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _landlord(slug)
    walkabout = selectors.public_walkabout_get(organisation=organisation, pk=pk)
    findings = selectors.public_findings(walkabout=walkabout)
    return render(
        request,
        "inspections/public_summary.html",
        {
            "organisation": organisation,
            "walkabout": walkabout,
            "findings": findings,
            "done": [f for f in findings if f.status == Finding.Status.CLOSED],
            "in_hand": [f for f in findings if f.status != Finding.Status.CLOSED],
            "attended": walkabout.residents_attending.count() + walkabout.other_residents,
            "kinds": dict(Walkabout.Kind.choices),
            "active_section": "walkabouts",
        },
    )
