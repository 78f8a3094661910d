"""The public performance pages and open data: anyone may see them, no sign-in.

What is published, and what is not, is decided in `performance.published`."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.permissions import public
from performance import published
from standards import selectors as standards_selectors

SECTION = "performance"


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("active_section", SECTION)
    return render(request, f"performance/public/{template}", context)


@public
@require_GET
def performance_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = published.landlord_get(slug=slug)
    page = published.offer_with_results(organisation=organisation)
    return _page(
        request,
        "page.html",
        {
            "organisation": organisation,
            "page": page,
            "refreshed_at": published.figures_refreshed_at(organisation=organisation) if page.month else None,
        },
    )


@public
@require_GET
def measure_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = published.landlord_get(slug=slug)
    measure = standards_selectors.published_measure_get(organisation=organisation, pk=pk)
    rows = published.trend(organisation=organisation, measure=measure)
    if not any(r.value is not None or r.denominator for r in rows):
        rows = []  # nothing counted in the whole year: say so rather than show empty months
    periods = published.latest_periods(organisation=organisation)
    quarter = periods[1] if periods else None
    quarter_result = None
    areas: list[published.AreaRow] = []
    if quarter is not None and not measure.is_milestone:
        quarter_result = published.results_for(organisation=organisation, period=quarter).get(measure.pk)
        areas = published.area_results(organisation=organisation, measure=measure, period=quarter)
    target = quarter_result.target if quarter_result else getattr(measure.current, "target", None)  # type: ignore[attr-defined]
    return _page(
        request,
        "measure.html",
        {
            "organisation": organisation,
            "measure": measure,
            "rows": rows,
            "chart": published.line_chart(rows, measure=measure, target=target) if rows else None,
            "target": target,
            "quarter": quarter,
            "quarter_result": quarter_result,
            "areas": areas,
            "any_hidden": any(a.hidden for a in areas),
            "threshold": published._threshold(),
        },
    )


@public
@require_GET
def open_data(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = published.landlord_get(slug=slug)
    return _page(
        request,
        "open_data.html",
        {
            "organisation": organisation,
            "result_columns": published.RESULT_COLUMNS,
            "offer_columns": published.OFFER_COLUMNS,
            "months": published.published_periods(organisation=organisation),
        },
    )


def _download(body: str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


def _period_kind(request: HttpRequest) -> str:
    kind = request.GET.get("period", published.MONTH)
    return kind if kind in published.PERIOD_KINDS else published.MONTH


def _results(organisation: Any, kind: str) -> list[dict[str, Any]]:
    count = {published.MONTH: 12, published.QUARTER: 8, published.YEAR: 3}[kind]
    periods = published.published_periods(organisation=organisation, kind=kind, count=count)
    return published.result_rows(organisation=organisation, periods=periods)


def _envelope(organisation: Any, kind: str, columns: list[tuple[str, str]], rows: list[dict[str, Any]]) -> str:
    body = {
        "publisher": organisation.name,
        "landlord": organisation.slug,
        "generated_at": timezone.now(),
        "dataset": kind,
        "columns": [{"name": n, "description": d} for n, d in columns],
        "data": published.jsonable(rows),
    }
    return json.dumps(body, cls=DjangoJSONEncoder, indent=1)


@public
@require_GET
def results_csv(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = published.landlord_get(slug=slug)
    kind = _period_kind(request)
    body = published.to_csv(_results(organisation, kind), published.RESULT_COLUMNS)
    return _download(body, content_type="text/csv; charset=utf-8", filename=f"{slug}-results-by-{kind}.csv")


@public
@require_GET
def results_json(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = published.landlord_get(slug=slug)
    kind = _period_kind(request)
    body = _envelope(organisation, f"results by {kind}", published.RESULT_COLUMNS, _results(organisation, kind))
    return _download(body, content_type="application/json", filename=f"{slug}-results-by-{kind}.json")


@public
@require_GET
def offer_csv(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = published.landlord_get(slug=slug)
    body = published.to_csv(published.offer_rows(organisation=organisation), published.OFFER_COLUMNS)
    return _download(body, content_type="text/csv; charset=utf-8", filename=f"{slug}-local-offer.csv")


@public
@require_GET
def offer_json(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = published.landlord_get(slug=slug)
    rows = published.offer_rows(organisation=organisation)
    body = _envelope(organisation, "local offer", published.OFFER_COLUMNS, rows)
    return _download(body, content_type="application/json", filename=f"{slug}-local-offer.json")
