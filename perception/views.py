"""Pages for the TSM perception survey. Thin: permission, form, service or selector, template.
Staff pages under staff/tenant-satisfaction/; the published results under tenant-satisfaction/."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from core.forms import show_service_errors
from core.permissions import has_permission, permission_required, public
from core.requests import site_url, user_organisation
from perception import forms as f
from perception import selectors, services
from perception.models import Exclusion, PerceptionSurvey, Population
from tsm.measures import (
    margin_of_error_published,
    minimum_sample_size,
    minimum_sample_size_published,
    required_margin_of_error,
)

SECTION = "tenant-satisfaction"


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        f"perception/{template}",
        {
            "can_manage": has_permission(request.user, "survey.manage"),
            "can_publish": has_permission(request.user, "perception.publish"),
            **context,
            "active_section": SECTION,
        },
    )


def _flash(request: HttpRequest, problems: list[str]) -> None:
    """Problems with a form posted from the survey's page, shown at the top of it when it reloads."""
    for message in problems:
        messages.error(request, str(message))


def _years() -> list[int]:
    this = timezone.localdate()
    current = this.year if this.month >= 4 else this.year - 1
    return list(range(current + 1, services.FIRST_YEAR - 1, -1))


@permission_required("survey.view")
def perception_list(request: HttpRequest) -> HttpResponse:
    form = f.StartForm(request.POST or None, years=_years())
    if request.method == "POST":
        if not has_permission(request.user, "survey.manage"):
            raise PermissionDenied  # may read the page, not change it
        if form.is_valid():
            d = form.cleaned_data
            try:
                perception = services.perception_survey_create(
                    organisation=user_organisation(request),
                    actor=request.user,
                    year_starting=d["year_starting"],
                    carried_out_by=d["carried_out_by"],
                    submission_key=d["submission_key"],
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, f"{perception} started, with the regulator's questions.")
                return redirect("perception:detail", pk=perception.pk)
    return _page(request, "list.html", {"surveys": selectors.perception_list(user=request.user), "form": form})


@permission_required("survey.view")
def perception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    perception = selectors.perception_get(user=request.user, pk=pk)
    populations = []
    for population in perception.populations.select_related("survey", "drawn_by"):
        populations.append(
            {
                "population": population,
                "design": selectors.design(population=population) if population.drawn_at is None else None,
                "form": f.DrawForm(
                    initial={"expected_response_rate": population.expected_response_rate}, prefix=population.stock
                ),  # fmt: skip
                "invited": population.survey.invitations.count(),
                "answered": population.survey.responses.filter(submitted_at__isnull=False).count(),
            }
        )
    return _page(
        request,
        "detail.html",
        {
            "perception": perception,
            "populations": populations,
            "excluded": perception.exclusions.count(),
            "reasons": selectors.exclusion_reasons(perception=perception),
            "all_drawn": all(p["population"].drawn_at for p in populations),
            "status": {p["population"].survey.status for p in populations},
            "fieldwork": f.FieldworkForm(),
        },
    )


@permission_required("survey.manage")
@require_POST
def sample_draw(request: HttpRequest, pk: int, stock: str) -> HttpResponse:
    perception = selectors.perception_get(user=request.user, pk=pk, action="survey.manage")
    population = get_object_or_404(Population, perception_survey=perception, stock=stock)
    form = f.DrawForm(request.POST, prefix=stock)
    if form.is_valid():
        d = form.cleaned_data
        try:
            population = services.sample_draw(population=population, actor=request.user, approach=d["approach"],
                                               expected_response_rate=d["expected_response_rate"],
                                               seed=d["seed"], size=d["size"])  # fmt: skip
        except ValidationError as exc:
            _flash(request, exc.messages)
        else:
            messages.success(request, f"Drew {population.drawn:,} households (seed {population.seed}).")
    else:
        _flash(request, [m for errors in form.errors.values() for m in errors])
    return redirect("perception:detail", pk=perception.pk)


@permission_required("survey.manage")
def exclusion_list(request: HttpRequest, pk: int) -> HttpResponse:
    from people.models import Resident

    perception = selectors.perception_get(user=request.user, pk=pk, action="survey.manage")
    form = f.ExclusionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        resident = Resident.objects.filter(
            organisation=perception.organisation, person_ref=d["person_ref"].strip()
        ).first()
        if resident is None:
            form.add_error("person_ref", "No resident of yours has this person reference")
        else:
            try:
                services.exclusion_record(perception=perception, actor=request.user, resident=resident,
                                          reason=d["reason"], note=d["note"])  # fmt: skip
            except ValidationError as exc:
                show_service_errors(form, exc, default_field="person_ref")
            else:
                messages.success(request, f"{resident.full_name} is left out of the sample.")
                return redirect("perception:exclusions", pk=perception.pk)
    return _page(
        request,
        "exclusions.html",
        {
            "perception": perception,
            "exclusions": selectors.exclusions(perception=perception),
            "reasons": selectors.exclusion_reasons(perception=perception),
            "form": form,
            "drawn": perception.populations.filter(drawn_at__isnull=False).exists(),
        },
    )


@permission_required("survey.manage")
@require_POST
def exclusion_remove(request: HttpRequest, pk: int, exclusion_pk: int) -> HttpResponse:
    perception = selectors.perception_get(user=request.user, pk=pk, action="survey.manage")
    exclusion = get_object_or_404(Exclusion, perception_survey=perception, pk=exclusion_pk)
    try:
        services.exclusion_remove(exclusion=exclusion, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "They are back in the sampling frame.")
    return redirect("perception:exclusions", pk=perception.pk)


@permission_required("survey.manage")
def details_edit(request: HttpRequest, pk: int) -> HttpResponse:
    perception = selectors.perception_get(user=request.user, pk=pk, action="survey.manage")
    form = f.DetailsForm(
        request.POST or None,
        initial={k: getattr(perception, k) for k in f.DetailsForm.base_fields},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.perception_details_update(perception=perception, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "How the survey was done is saved.")
            return redirect("perception:detail", pk=perception.pk)
    return _page(request, "details_form.html", {"perception": perception, "form": form})


@permission_required("survey.manage")
@require_POST
def fieldwork_open(request: HttpRequest, pk: int) -> HttpResponse:
    perception = selectors.perception_get(user=request.user, pk=pk, action="survey.manage")
    form = f.FieldworkForm(request.POST)
    if form.is_valid():
        try:
            services.perception_open(perception=perception, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _flash(request, exc.messages)
        else:
            messages.success(request, "The questionnaires are open for answers.")
    else:
        _flash(request, [m for errors in form.errors.values() for m in errors])
    return redirect("perception:detail", pk=perception.pk)


@permission_required("survey.manage")
@require_POST
def sample_invite(request: HttpRequest, pk: int, stock: str) -> HttpResponse:
    perception = selectors.perception_get(user=request.user, pk=pk, action="survey.manage")
    population = get_object_or_404(Population, perception_survey=perception, stock=stock)
    try:
        sent = services.sample_invite(population=population, actor=request.user, site_url=site_url(request))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Invited {sent:,} households, each in the way they asked to be contacted.")
    return redirect("perception:detail", pk=perception.pk)


@permission_required("survey.manage")
@require_POST
def fieldwork_close(request: HttpRequest, pk: int) -> HttpResponse:
    perception = selectors.perception_get(user=request.user, pk=pk, action="survey.manage")
    services.perception_close(perception=perception, actor=request.user)
    messages.success(request, "The survey is closed: no more answers are taken.")
    return redirect("perception:detail", pk=perception.pk)


@permission_required("perception.publish")
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    perception = selectors.perception_get(user=request.user, pk=pk, action="perception.publish")
    try:
        services.perception_publish(perception=perception, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "The results are published.")
    return redirect("perception:results", pk=perception.pk)


@permission_required("survey.view")
def results(request: HttpRequest, pk: int) -> HttpResponse:
    perception = selectors.perception_get(user=request.user, pk=pk)
    return _page(
        request,
        "results.html",
        {
            "perception": perception,
            "results": selectors.perception_results(perception=perception),
            "reasons": selectors.exclusion_reasons(perception=perception),
            "excluded": perception.exclusions.count(),
            "show_age": has_permission(request.user, "equality.aggregate"),
        },
    )


@permission_required("survey.view")
def sample_size(request: HttpRequest) -> HttpResponse:
    """The regulator's sample-size calculator: minimum sample by population, and the margin of
    error a number of responses gives."""
    form = f.SampleSizeForm(request.GET or None)
    answer = None
    if request.GET and form.is_valid():
        population, achieved = form.cleaned_data["population"], form.cleaned_data["achieved"]
        answer = {
            "population": population,
            "required_margin": required_margin_of_error(population) * 100,
            "exact": minimum_sample_size(population),
            "minimum": minimum_sample_size_published(population),
            "achieved": achieved,
            "margin": margin_of_error_published(population, achieved) if achieved else None,
            "enough": achieved is not None and achieved >= minimum_sample_size_published(population),
        }
    return _page(request, "sample_size.html", {"form": form, "answer": answer})


# --- Public --------------------------------------------------------------------------------------


@public
def published(request: HttpRequest, slug: str, year: int | None = None) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    years = list(selectors.published_for(organisation=organisation))
    chosen: PerceptionSurvey | None = None
    if year is None:
        chosen = years[0] if years else None
    else:
        chosen = next((p for p in years if p.year_starting == year), None)
        if chosen is None:
            raise Http404
    return render(
        request,
        "perception/published.html",
        {
            "organisation": organisation,
            "perception": chosen,
            "years": years,
            "populations": selectors.published_view(perception=chosen) if chosen else [],
            "reasons": selectors.exclusion_reasons(perception=chosen) if chosen else [],
            "excluded": chosen.exclusions.count() if chosen else 0,
        },
    )
