"""The public performance API: a landlord's local offer and its published results, without a token.

Everything here is already on the public performance pages and in their open data
(`performance.published` decides what is published), so these endpoints need no token; they
are read-only and limited per client address. Everything else in the API needs a token.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time."""

import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.throttling import AnonRateThrottle

from performance import published
from standards.models import Measure

router = Router(auth=None, throttle=AnonRateThrottle("120/m"), tags=["performance (public, no token)"])

PeriodType = Literal["month", "quarter", "year"]


class MilestoneOut(Schema):
    due_on: datetime.date | None
    status: str = Field(description="due, done or overdue")
    done_on: datetime.date | None


class MeasureOut(Schema):
    code: str
    name: str
    type: str = Field(description="within_timescale, population, count, rate, milestone or sample")
    unit: str = Field(description="percent, per 1,000 homes or count")
    categories: list[str]
    target: float | None = Field(description="The target in force today, if it is a number")
    target_in_words: str
    timescale: str
    in_force_from: datetime.date | None
    milestone: MilestoneOut | None


class MeasureListItem(MeasureOut):
    service_area: str
    commitment_code: str
    promise: str


class CommitmentOut(Schema):
    code: str
    theme: str
    promise: str = Field(description="The promise in the words residents were given")
    measures: list[MeasureOut]


class ServiceAreaOut(Schema):
    name: str
    commitments: list[CommitmentOut]


class LocalOfferOut(Schema):
    landlord: str
    publisher: str
    service_areas: list[ServiceAreaOut]


class PeriodOut(Schema):
    type: PeriodType
    code: str = Field(description="2025-06, 2025-26-Q1 or 2025-26")
    start: datetime.date
    end: datetime.date
    label: str


class ResultOut(Schema):
    measure_code: str
    measure_name: str
    service_area: str
    promise: str
    numerator: int
    denominator: int
    value: float | None
    unit: str
    target: float | None
    met: bool | None
    sentence: str = Field(description="The result in plain English")


class ResultsOut(Schema):
    landlord: str
    period: PeriodOut
    results: list[ResultOut]


class TrendPointOut(Schema):
    month: datetime.date
    numerator: int
    denominator: int
    value: float | None
    target: float | None = Field(description="The target in force that month")
    met: bool | None


class TrendOut(Schema):
    landlord: str
    measure_code: str
    measure_name: str
    unit: str
    target: float | None
    points: list[TrendPointOut]


def _landlord(slug: str) -> Any:
    try:
        return published.landlord_get(slug=slug)
    except Http404:
        raise HttpError(404, "No landlord publishes at that address") from None


def _period_out(period: published.Period) -> dict[str, Any]:
    return {"type": period.kind, "code": period.code, "start": period.start, "end": period.end, "label": period.label}


def _measure_out(row: dict[str, Any]) -> dict[str, Any]:
    milestone = None
    if row["measure_type"] == Measure.Kind.MILESTONE:
        milestone = {
            "due_on": row["milestone_due_on"],
            "status": row["milestone_status"],
            "done_on": row["milestone_done_on"],
        }
    return {
        "code": row["measure_code"],
        "name": row["measure_name"],
        "type": row["measure_type"],
        "unit": row["unit"],
        "categories": [c for c in row["categories"].split(";") if c],
        "target": row["target"],
        "target_in_words": row["target_in_words"],
        "timescale": row["timescale"],
        "in_force_from": row["in_force_from"],
        "milestone": milestone,
        "service_area": row["service_area"],
        "commitment_code": row["commitment_code"],
        "promise": row["promise"],
    }


@router.get(
    "/{slug}/local-offer",
    response=LocalOfferOut,
    summary="A landlord's local offer",
    description="Every promise (commitment) by service area, each with its measures, targets and milestones.",
)
def local_offer(request: HttpRequest, slug: str) -> Any:
    organisation = _landlord(slug)
    areas: dict[str, dict[str, Any]] = {}
    for row in published.offer_rows(organisation=organisation):
        area = areas.setdefault(row["service_area"], {"name": row["service_area"], "commitments": {}})
        commitment = area["commitments"].setdefault(
            row["commitment_code"],
            {"code": row["commitment_code"], "theme": row["theme"], "promise": row["promise"], "measures": []},
        )
        commitment["measures"].append(_measure_out(row))
    return {
        "landlord": organisation.slug,
        "publisher": organisation.name,
        "service_areas": [{**a, "commitments": list(a["commitments"].values())} for a in areas.values()],
    }


@router.get("/{slug}/measures", response=list[MeasureListItem], summary="A landlord's measures, in one list")
def measures(request: HttpRequest, slug: str) -> Any:
    return [_measure_out(row) for row in published.offer_rows(organisation=_landlord(slug))]


@router.get(
    "/{slug}/periods",
    response=list[PeriodOut],
    summary="Periods with published results",
    description="The complete months, financial quarters or financial years with results, oldest first.",
)
def periods(request: HttpRequest, slug: str, type: PeriodType = "month", count: int = Query(12, ge=1, le=60)) -> Any:
    organisation = _landlord(slug)
    return [_period_out(p) for p in published.published_periods(organisation=organisation, kind=type, count=count)]


@router.get(
    "/{slug}/results",
    response=ResultsOut,
    summary="Results for one period",
    description=(
        "Every measure's result for one complete month, financial quarter or financial year. "
        "`start` is any day in the period; without it, the latest published period of that type. "
        "A period that has not ended, or is after the latest figures, is not published (404)."
    ),
)
def results(request: HttpRequest, slug: str, period: PeriodType = "month", start: datetime.date | None = None) -> Any:
    organisation = _landlord(slug)
    if start is None:
        latest = published.published_periods(organisation=organisation, kind=period, count=1)
        if not latest:
            raise HttpError(404, "No results are published yet")
        chosen = latest[0]
    else:
        chosen = published.Period.of(period, start)
        if not published.is_published(organisation=organisation, period=chosen):
            raise HttpError(404, f"Results for {chosen.label} are not published")
    rows = published.result_rows(organisation=organisation, periods=[chosen], with_text=True)
    return {"landlord": organisation.slug, "period": _period_out(chosen), "results": rows}


@router.get(
    "/{slug}/measures/{code}/trend",
    response=TrendOut,
    summary="One measure month by month",
    description="The measure's result in each of the last `months` published months, oldest first.",
)
def trend(request: HttpRequest, slug: str, code: str, months: int = Query(12, ge=1, le=36)) -> Any:
    organisation = _landlord(slug)
    measure = Measure.objects.filter(organisation=organisation, code=code).prefetch_related("versions").first()
    if measure is None:
        raise HttpError(404, "No measure with that code")
    if measure.is_milestone:
        raise HttpError(404, "A milestone has no monthly figures: see its status in the local offer")
    rows = published.trend(organisation=organisation, measure=measure, months=months)
    version = None
    if rows:
        from standards.selectors import measure_version_on

        version = measure_version_on(measure, rows[-1].period.end)
    return {
        "landlord": organisation.slug,
        "measure_code": measure.code,
        "measure_name": measure.name,
        "unit": published.unit_of(measure),
        "target": version.target if version else None,
        "points": [
            {
                "month": r.period.start,
                "numerator": r.numerator,
                "denominator": r.denominator,
                "value": r.value,
                "target": r.target,
                "met": r.met,
            }
            for r in rows
        ],
    }
