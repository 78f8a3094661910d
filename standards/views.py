"""Staff pages for the local offer: the catalogue, changing a commitment or a measure (a new
version from a date), loading a preset, milestones and their evidence, and ASB categories."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.forms import show_service_errors
from core.permissions import has_permission, permission_required
from standards import selectors, services
from standards.forms import ClassifyForm, CommitmentForm, MeasureVersionForm, MilestoneForm, PresetForm
from standards.models import MilestoneStatus

SECTION = "local-offer"


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("active_section", SECTION)
    return render(request, f"standards/{template}", context)


@permission_required("standards.view")
def offer(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "offer.html",
        {
            "areas": selectors.local_offer(user=request.user),
            "can_manage": has_permission(request.user, "standards.manage"),
        },
    )


@permission_required("standards.manage")
def preset_load(request: HttpRequest) -> HttpResponse:
    form = PresetForm(request.POST or None, initial={"preset": "oxford-2014"})
    if request.method == "POST" and form.is_valid():
        try:
            result = services.local_offer_load_preset(
                organisation=request.user.organisation,  # type: ignore[union-attr]
                actor=request.user,
                preset=form.cleaned_data["preset"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            if result.total:
                messages.success(
                    request,
                    f"Local offer loaded: {result.commitments} commitments and {result.measures} measures added.",
                )
            else:
                messages.success(request, "Everything in that local offer was already here, so nothing was added.")
            return redirect("standards:offer")
    return _page(request, "preset_form.html", {"form": form})


@permission_required("standards.view")
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_get(user=request.user, pk=pk)
    scenarios: list[Any] = []
    if has_permission(request.user, "inspection.view"):
        from inspections.selectors import scenarios_testing

        scenarios = scenarios_testing(user=request.user, measure=measure)
    versions = sorted(measure.versions.all(), key=lambda v: v.effective_from, reverse=True)
    return _page(
        request,
        "measure_detail.html",
        {
            "measure": measure,
            "commitment": measure.commitment,
            "versions": versions,
            "categories": list(measure.categories.all()),
            "scenarios": scenarios,
            "can_manage": has_permission(request.user, "standards.manage"),
            "can_update_milestone": has_permission(request.user, "milestone.update"),
        },
    )


@permission_required("standards.manage")
def measure_change(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.measure_get(user=request.user, pk=pk, action="standards.manage")
    form = MeasureVersionForm(request.POST or None, measure=measure, current=measure.current)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        try:
            version = services.measure_version_add(
                measure=measure,
                actor=request.user,
                effective_from=form.cleaned_data["effective_from"],
                values=form.version_values(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request, f"Version {version.number} saved, in force from {version.effective_from:%-d %B %Y}."
            )
            return redirect("standards:measure-detail", pk=measure.pk)
    return _page(request, "measure_form.html", {"form": form, "measure": measure})


@permission_required("standards.manage")
def commitment_change(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.commitment_get(user=request.user, pk=pk, action="standards.manage")
    form = CommitmentForm(request.POST or None, initial={"theme": commitment.theme, "promise": commitment.promise})
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_update(commitment=commitment, actor=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Commitment saved.")
            return redirect("standards:offer")
    return _page(request, "commitment_form.html", {"form": form, "commitment": commitment})


@permission_required("standards.view")
def milestone_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in MilestoneStatus.values:
        status = ""
    milestones, counts = selectors.milestone_list(user=request.user, status=status)
    return _page(
        request,
        "milestone_list.html",
        {
            "milestones": milestones,
            "counts": counts,
            "status": status,
            "statuses": MilestoneStatus.choices,
            "can_update": has_permission(request.user, "milestone.update"),
        },
    )


@permission_required("milestone.update")
def milestone_complete(request: HttpRequest, pk: int) -> HttpResponse:
    measure = selectors.milestone_get(user=request.user, pk=pk, action="milestone.update")
    form = MilestoneForm(request.POST or None, request.FILES or None, initial={"done_on": timezone.localdate()})
    if measure.status == MilestoneStatus.DONE:  # type: ignore[attr-defined]
        messages.success(request, "This milestone is already recorded as done.")
        return redirect("standards:measure-detail", pk=measure.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_complete(
                measure=measure,
                actor=request.user,
                done_on=form.cleaned_data["done_on"],
                evidence_note=form.cleaned_data["evidence_note"],
                file=form.cleaned_data.get("file"),
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"“{measure.name}” recorded as done.")
            return redirect("standards:milestones")
    return _page(request, "milestone_form.html", {"form": form, "measure": measure})


@require_GET
@permission_required("standards.view")
def milestone_evidence(request: HttpRequest, pk: int) -> FileResponse:
    measure = selectors.milestone_get(user=request.user, pk=pk)
    evidence = getattr(measure, "evidence", None)
    if evidence is None or not evidence.file:
        raise Http404("No file")
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name or "evidence")
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("standards.view")
def categories(request: HttpRequest) -> HttpResponse:
    form = ClassifyForm(request.GET or None)
    found = None
    searched = False
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        searched = True
        found = selectors.category_for(
            organisation=request.user.organisation,  # type: ignore[union-attr]
            text=form.cleaned_data["q"],
        )
    return _page(
        request,
        "categories.html",
        {"form": form, "categories": selectors.category_list(user=request.user), "found": found, "searched": searched},
    )
