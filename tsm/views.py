"""Staff pages for the Tenant Satisfaction Measures: where this landlord stands against every
landlord in the regulator's published dataset and against similar ones; choosing which dataset
landlord we are; loading the dataset."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.forms import show_service_errors
from core.permissions import has_permission, permission_required
from core.requests import user_organisation
from tsm import returns, selectors, services
from tsm.forms import CompareForm, DatasetUploadForm, ProfileForm, ReturnYearForm
from tsm.measures import MEASURES, Tenure, get, round_half_up
from tsm.models import TsmDataset, TsmLandlord

SECTION = "tsm"


def _context(request: HttpRequest) -> tuple[TsmDataset | None, TsmLandlord | None, dict[str, Any]]:
    dataset = selectors.dataset_latest()
    profile = selectors.profile_get(user=request.user)
    landlord = selectors.landlord_for(dataset=dataset, provider_code=profile.provider_code if profile else "")
    context = {
        "dataset": dataset,
        "profile": profile,
        "landlord": landlord,
        "can_manage": has_permission(request.user, "tsm.manage"),
        "active_section": SECTION,
    }
    return dataset, landlord, context


@permission_required("tsm.view")
def benchmark(request: HttpRequest) -> HttpResponse:
    dataset, landlord, context = _context(request)
    if dataset is not None and landlord is not None:
        rows = selectors.benchmark(dataset=dataset, landlord=landlord)
        context["sections"] = [
            ("Tenant perception", [r for r in rows if r.measure.code.startswith("TP")]),
            ("Management information", [r for r in rows if not r.measure.code.startswith("TP")]),
        ]
        context["surveys"] = selectors.surveys_for(landlord=landlord)
        context["groups"] = selectors.PEER_GROUPS
    return render(request, "tsm/benchmark.html", context)


def _number(value: Any) -> str:
    return "" if value is None else format(value, "f")


@permission_required("tsm.view")
def benchmark_csv(request: HttpRequest) -> HttpResponse:
    dataset, landlord, _ = _context(request)
    if dataset is None or landlord is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="tsm-benchmark-{dataset.reporting_year}-{landlord.code}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "measure", "title", "tenure", "value", "value_to_1dp", "not_published", "numerator", "denominator",
            "higher_is_better", "compared_with", "peer_group", "rank", "landlords_compared", "quartile",
            "median",
        ]
    )  # fmt: skip
    for row in selectors.benchmark(dataset=dataset, landlord=landlord):
        for s in row.standings:
            writer.writerow(
                [
                    row.measure.label, row.measure.title, row.tenure.label, _number(row.value), _number(row.shown),
                    row.code, _number(row.numerator), _number(row.denominator),
                    "yes" if row.measure.higher_is_better else "no", s.label, s.description,
                    s.rank or "", s.count, s.quartile or "",
                    "" if s.median is None else _number(round_half_up(s.median, 1)),
                ]
            )  # fmt: skip
    return response


@permission_required("tsm.view")
def measure_detail(request: HttpRequest, measure: str) -> HttpResponse:
    try:
        m = get(measure)
    except LookupError:
        raise Http404 from None
    dataset, landlord, context = _context(request)
    context["measure"] = m
    if dataset is None or landlord is None:
        return render(request, "tsm/measure.html", context)
    rows = selectors.benchmark(dataset=dataset, landlord=landlord, measures=[m])
    tenures = [r.tenure for r in rows]
    try:
        tenure = Tenure(request.GET.get("tenure") or (tenures[0] if tenures else m.tenures[0]))
    except ValueError:
        raise Http404 from None
    row = next((r for r in rows if r.tenure == tenure), None)
    data = request.GET.copy()
    data.setdefault("peers", "all")
    form = CompareForm(data, choices=list(selectors.PEER_GROUPS))
    group = form.cleaned_data["peers"] if form.is_valid() and form.cleaned_data["peers"] else "all"
    context.update(
        row=row,
        tenure=tenure,
        tenures=[(t, t.label) for t in tenures],
        form=form,
        group=group,
        group_label=dict(selectors.PEER_GROUPS)[group],
        peers=selectors.peers(dataset=dataset, landlord=landlord, measure=m.code, tenure=tenure, group=group),
    )
    return render(request, "tsm/measure.html", context)


@permission_required("tsm.manage")
def profile_edit(request: HttpRequest) -> HttpResponse:
    dataset, landlord, context = _context(request)
    choices = selectors.landlord_choices(dataset=dataset) if dataset else []
    profile = context["profile"]
    form = ProfileForm(
        request.POST or None, choices=choices, initial={"provider_code": profile.provider_code if profile else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tsm_profile_set(
                organisation=request.user.organisation,  # type: ignore[union-attr]
                actor=request.user,
                provider_code=form.cleaned_data["provider_code"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Saved which landlord in the regulator's dataset this organisation is.")
            return redirect("tsm:benchmark")
    context["form"] = form
    return render(request, "tsm/profile_form.html", context)


@permission_required("tsm.manage")
def dataset_page(request: HttpRequest) -> HttpResponse:
    form = DatasetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = services.tsm_dataset_import(
                file=upload,
                actor=request.user,
                reporting_year=form.cleaned_data["reporting_year"],
                source_name=upload.name,
            )
        except ValidationError as exc:
            show_service_errors(form, exc, default_field="file")
        else:
            stored = summary.dataset
            verb = "Replaced" if summary.replaced else "Loaded"
            messages.success(
                request,
                f"{verb} the {stored.period} dataset: {stored.landlord_count} landlords, "
                f"{len(summary.problems)} problem(s) reading it.",
            )
            return redirect("tsm:dataset")
    return render(
        request,
        "tsm/dataset.html",
        {"form": form, "datasets": selectors.dataset_list(), "active_section": SECTION, "measures": MEASURES},
    )


def _return_year(request: HttpRequest) -> tuple[ReturnYearForm, int | None]:
    """The reporting year asked for; by default the latest one that has ended."""
    years = returns.year_choices()
    data = request.GET.copy()
    data.setdefault("year", str(years[1] if len(years) > 1 else years[0]))
    form = ReturnYearForm(data, years=years)
    return form, form.cleaned_data["year"] if form.is_valid() else None


@permission_required("tsm.view")
def return_page(request: HttpRequest) -> HttpResponse:
    """Our own TSM return for one reporting year, worked out from our records and counts."""
    organisation = user_organisation(request)
    form, year = _return_year(request)
    the_return = None if year is None else returns.tsm_return(organisation=organisation, year_starting=year)
    dataset = selectors.dataset_latest()
    return render(
        request,
        "tsm/return.html",
        {
            "form": form,
            "tsm_return": the_return,
            "organisation": organisation,
            "active_section": SECTION,
            "dataset": dataset,
            # Where each of our figures would stand among every landlord in the latest published data.
            "lines": selectors.compared(lines=the_return.lines, dataset=dataset) if the_return else [],
            "perception": selectors.compared(lines=the_return.perception, dataset=dataset) if the_return else [],
        },
    )


@permission_required("tsm.view")
def return_csv(request: HttpRequest) -> HttpResponse:
    """The return in the regulator's shape: code, description, stock, numerator, denominator, value."""
    organisation = user_organisation(request)
    _form, year = _return_year(request)
    if year is None:
        raise Http404
    the_return = returns.tsm_return(organisation=organisation, year_starting=year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tsm-return-{year}-{str(year + 1)[-2:]}.csv"'
    writer = csv.writer(response)
    writer.writerow(["code", "description", "stock", "numerator", "denominator", "value", "not_shown_because"])
    for line in [*the_return.lines, *the_return.perception]:
        writer.writerow(
            [
                line.label,
                line.measure.title,
                "All" if line.stock == Tenure.ALL else line.stock.name,
                "" if line.numerator is None else line.numerator,
                "" if line.denominator is None else line.denominator,
                _number(line.shown),
                line.not_shown,
            ]
        )
    return response
