"""Reads for local-offer performance: results for any period, area and category from the stored
monthly figures (`performance.Figure`, rebuilt by `services.performance_refresh`), trends, the
records that missed and the open records already past due, and red/amber/green status.

How a period is judged (docs/architecture.md, "How performance figures are worked out"):
- every figure is a month (UK local time), so any period is a run of whole months;
- a month is judged against the measure version in force in that month (its first day), so a
  change of target never rewrites an earlier month;
- a period is judged against the version in force at its end (the contract the public pages
  share); when the target changed inside the period the result says so (`target_changed`) and
  the trend shows each month against its own target.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from core.calendar import WorkingCalendar, calendar_for
from performance.models import (
    AsbCase,
    Figure,
    Hazard,
    PlannedWorkVisit,
    RagThresholds,
    RepairJob,
    SampleCheck,
    StockCount,
)
from standards.models import Category, Measure, MeasureVersion, Subject, Unit
from standards.selectors import measure_version_on

UK = ZoneInfo("Europe/London")
DEFAULT_AMBER_POINTS = Decimal("5")
ONE_DP = Decimal("0.1")

# Kinds whose target is a floor (at least this much is good) and a ceiling (no more than this).
# A rate per 1,000 homes counts things that go wrong (complaints, ASB reports), so fewer is better.
CEILING_KINDS = frozenset({Measure.Kind.RATE})


# --- Periods --------------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    return add_months(day, 1) - datetime.timedelta(days=1)


def financial_year_start(day: datetime.date) -> int:
    """The year the April-to-March financial year holding `day` starts in."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass(frozen=True)
class Period:
    """A run of whole months. `kind` is month, quarter, year (April to March) or custom."""

    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def months(self) -> list[datetime.date]:
        out, m = [], self.start
        while m <= self.end:
            out.append(m)
            m = add_months(m, 1)
        return out

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        if self.kind == "quarter":
            fy = financial_year_start(self.start)
            quarter = (self.start.month - 4) % 12 // 3 + 1
            return f"Quarter {quarter} of {fy}/{str(fy + 1)[-2:]} ({self.start:%B} to {self.end:%B %Y})"
        if self.kind == "year":
            return f"{self.start.year}/{str(self.end.year)[-2:]} (April {self.start.year} to March {self.end.year})"
        if self.start.year == self.end.year and self.start.month == self.end.month:
            return f"{self.start:%B %Y}"
        return f"{self.start:%B %Y} to {self.end:%B %Y}"

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        n = len(self.months)
        start = add_months(self.start, -n)
        return Period(self.kind, start, month_end(add_months(start, n - 1)))

    def query(self) -> dict[str, str]:
        """The GET parameters that choose this period on the performance pages."""
        if self.kind == "month":
            return {"period": "month", "month": f"{self.start:%Y-%m}"}
        if self.kind == "quarter":
            return {"period": "quarter", "month": f"{self.start:%Y-%m}"}
        if self.kind == "year":
            return {"period": "year", "year": str(self.start.year)}
        return {"period": "custom", "from": f"{self.start:%Y-%m}", "to": f"{self.end:%Y-%m}"}


def month_period(day: datetime.date) -> Period:
    return Period("month", month_start(day), month_end(day))


def quarter_period(day: datetime.date) -> Period:
    """The financial quarter (April-June is quarter 1) holding `day`."""
    offset = (day.month - 4) % 3
    start = add_months(month_start(day), -offset)
    return Period("quarter", start, month_end(add_months(start, 2)))


def year_period(starting: int) -> Period:
    """The financial year April `starting` to March `starting + 1`."""
    return Period("year", datetime.date(starting, 4, 1), datetime.date(starting + 1, 3, 31))


def custom_period(start: datetime.date, end: datetime.date) -> Period:
    """Whole months from the month of `start` to the month of `end` (swapped if back to front)."""
    a, b = sorted((month_start(start), month_start(end)))
    return Period("custom", a, month_end(b))


def _parse_month(text: str | None) -> datetime.date | None:
    try:
        year, month = (int(p) for p in (text or "").split("-")[:2])
        if not 1990 <= year <= 2200:
            return None
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return None


def period_from_query(params: Any, today: datetime.date | None = None) -> Period:
    """The period chosen by GET parameters (see Period.query); by default the last full month.
    Anything it cannot read falls back to the default rather than failing."""
    day = today or timezone.localdate()
    default = month_period(add_months(day, -1))
    kind = params.get("period", "month")
    if kind == "year":
        try:
            year = int(params.get("year", ""))
        except ValueError:
            year = financial_year_start(default.start)
        if not 1990 <= year <= 2200:
            year = financial_year_start(default.start)
        return year_period(year)
    if kind == "custom":
        a, b = _parse_month(params.get("from")), _parse_month(params.get("to"))
        if a and b:
            return custom_period(a, b)
        return default
    month = _parse_month(params.get("month"))
    if month is None:
        return default if kind != "quarter" else quarter_period(default.start)
    return quarter_period(month) if kind == "quarter" else month_period(month)


# --- Results --------------------------------------------------------------------------------------


def _value(measure: Measure, numerator: int, denominator: int, homes: int | None = None) -> Decimal | None:
    if measure.kind == Measure.Kind.COUNT:
        return Decimal(numerator)
    if measure.kind == Measure.Kind.RATE:
        if not homes:
            return None
        return (Decimal(numerator) * 1000 / homes).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / denominator).quantize(ONE_DP, ROUND_HALF_UP)


def met_target(measure: Measure, value: Decimal | None, target: Decimal | None) -> bool | None:
    if value is None or target is None:
        return None
    if measure.kind in CEILING_KINDS:
        return value <= target
    return value >= target


def rag_for(
    measure: Measure, value: Decimal | None, target: Decimal | None, amber_points: Decimal = DEFAULT_AMBER_POINTS
) -> str | None:
    """Green at or better than target; amber within `amber_points` of it (percentage points, or
    the measure's own unit for counts and rates); red further away. None without both."""
    met = met_target(measure, value, target)
    if met is None:
        return None
    if met:
        return "green"
    assert value is not None and target is not None
    gap = value - target if measure.kind in CEILING_KINDS else target - value
    return "amber" if gap <= amber_points else "red"


def amber_points_for(organisation: Any) -> Decimal:
    row = RagThresholds.objects.filter(organisation=organisation).first()
    return row.amber_points if row else DEFAULT_AMBER_POINTS


@dataclass
class MeasureResult:
    measure: Measure
    version: MeasureVersion | None
    numerator: int
    denominator: int
    value: Decimal | None
    target: Decimal | None
    met: bool | None
    rag: str | None
    # Beyond the shared contract: whether any figure exists for it, and the targets in force
    # during the period when they changed inside it (oldest first).
    has_figures: bool = False
    target_changed: bool = False
    versions_in_period: list[MeasureVersion] = field(default_factory=list)
    # Filled in by the staff overview.
    previous_value: Decimal | None = None
    trend: str = ""


def _measures(organisation: Any, *, milestones: bool = False) -> QuerySet[Measure]:
    qs = (
        Measure.objects.filter(organisation=organisation)
        .select_related("commitment__service_area")
        .prefetch_related(
            Prefetch("versions", queryset=MeasureVersion.objects.order_by("effective_from")),
            Prefetch("categories", queryset=Category.objects.order_by("code")),
        )
        .order_by("commitment__service_area__position", "commitment__position", "position", "id")
    )
    if milestones:
        return qs.select_related("evidence")
    return qs.exclude(kind=Measure.Kind.MILESTONE)


def _figures(
    organisation: Any,
    start: datetime.date,
    end: datetime.date,
    area_id: int | None,
    category: str | None,
    measure: Measure | None = None,
) -> QuerySet[Figure]:
    qs = Figure.objects.filter(organisation=organisation, month__gte=month_start(start), month__lte=end)
    if measure is not None:
        qs = qs.filter(measure=measure)
    if area_id is not None:
        qs = qs.filter(area_id=area_id)
    if category:
        qs = qs.filter(category=category)
    return qs


def homes_at(organisation: Any, day: datetime.date) -> int | None:
    """Homes owned (all stock) as at the latest count on or before `day`."""
    latest = (
        StockCount.objects.filter(organisation=organisation, item=StockCount.Item.HOMES, as_at__lte=day)
        .order_by("-as_at")
        .values_list("as_at", flat=True)
        .first()
    )
    if latest is None:
        return None
    total = StockCount.objects.filter(organisation=organisation, item=StockCount.Item.HOMES, as_at=latest).aggregate(
        n=Sum("total")
    )["n"]
    return int(total or 0)


def _versions_between(measure: Measure, start: datetime.date, end: datetime.date) -> list[MeasureVersion]:
    first = measure_version_on(measure, start)
    inside = [v for v in measure.versions.all() if start < v.effective_from <= end]
    return ([first] if first else []) + inside


def _result(
    measure: Measure,
    numerator: int,
    denominator: int,
    start: datetime.date,
    end: datetime.date,
    homes: int | None,
    amber_points: Decimal,
    has_figures: bool,
    area_id: int | None,
) -> MeasureResult:
    version = measure_version_on(measure, end)
    # Homes are counted for the whole landlord, so a rate for one area would be meaningless.
    value = (
        None
        if measure.kind == Measure.Kind.RATE and area_id is not None
        else _value(measure, numerator, denominator, homes)
    )
    if not has_figures:
        value = None
    if measure.kind == Measure.Kind.RATE:
        denominator = homes or 0
    target = version.target if version else None
    versions = _versions_between(measure, start, end)
    changed = len({v.target for v in versions}) > 1
    return MeasureResult(
        measure=measure,
        version=version,
        numerator=numerator,
        denominator=denominator,
        value=value,
        target=target,
        met=met_target(measure, value, target),
        rag=rag_for(measure, value, target, amber_points),
        has_figures=has_figures,
        target_changed=changed,
        versions_in_period=versions if changed else [],
    )


def measure_results(
    *,
    organisation: Any,
    start: datetime.date,
    end: datetime.date,
    area_id: int | None = None,
    category: str | None = None,
    amber_points: Decimal | None = None,
    measures: list[Measure] | None = None,
) -> list[MeasureResult]:
    """Every measure of the local offer except milestones, with its result for the months from
    `start` to `end`: the sums of its stored monthly figures, its value (a percentage to 1 dp, a
    count, or a rate per 1,000 homes), the target of the version in force at `end`, whether that
    was met and its red/amber/green status. A measure with no figures has value None. Four
    queries (five with a rate measure) however many months, areas and records there are; one
    when the caller passes the `measures` (with versions prefetched) and `amber_points`."""
    if measures is None:
        measures = list(_measures(organisation))
    figures = _figures(organisation, start, end, area_id, category)
    if len(measures) == 1:
        figures = figures.filter(measure=measures[0])
    sums = {
        row["measure_id"]: row
        for row in figures.values("measure_id").annotate(n=Sum("numerator"), d=Sum("denominator")).order_by()
    }
    points = amber_points if amber_points is not None else amber_points_for(organisation)
    homes = homes_at(organisation, end) if any(m.kind == Measure.Kind.RATE for m in measures) else None
    out = []
    for m in measures:
        row = sums.get(m.pk)
        out.append(
            _result(
                m,
                int(row["n"]) if row else 0,
                int(row["d"]) if row else 0,
                start,
                end,
                homes,
                points,
                row is not None,
                area_id,
            )
        )
    return out


@dataclass
class TrendPoint:
    month: datetime.date
    numerator: int
    denominator: int
    value: Decimal | None
    # The target of the version in force that month, and whether it was met against it.
    target: Decimal | None = None
    met: bool | None = None


def measure_trend(
    *,
    organisation: Any,
    measure: Measure,
    end: datetime.date,
    months: int = 12,
    area_id: int | None = None,
    category: str | None = None,
) -> list[TrendPoint]:
    """The `months` months up to and including the month of `end`, oldest first, every month
    present (value None where there were no records), each judged against its own target."""
    last = month_start(end)
    first = add_months(last, -(months - 1))
    rows = {
        row["month"]: row
        for row in _figures(organisation, first, month_end(last), area_id, category, measure)
        .values("month")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by()
    }
    homes: dict[datetime.date, int | None] = {}
    if measure.kind == Measure.Kind.RATE and area_id is None:
        counts = list(
            StockCount.objects.filter(organisation=organisation, item=StockCount.Item.HOMES)
            .values("as_at")
            .annotate(n=Sum("total"))
            .order_by("as_at")
        )
        for i in range(months):
            m = add_months(first, i)
            before = [c["n"] for c in counts if c["as_at"] <= month_end(m)]
            homes[m] = before[-1] if before else None
    points = []
    for i in range(months):
        m = add_months(first, i)
        row = rows.get(m)
        n, d = (int(row["n"]), int(row["d"])) if row else (0, 0)
        value = _value(measure, n, d, homes.get(m)) if row else None
        if measure.kind == Measure.Kind.RATE and area_id is not None:
            value = None
        version = measure_version_on(measure, m)
        target = version.target if version else None
        points.append(TrendPoint(m, n, d, value, target, met_target(measure, value, target)))
    return points


def trend_word(measure: Measure, now: Decimal | None, before: Decimal | None) -> str:
    """Better, worse or the same as before (for a rate fewer is better); empty without both."""
    if now is None or before is None:
        return ""
    if now == before:
        return "same"
    up = now > before
    if measure.kind in CEILING_KINDS:
        up = not up
    return "better" if up else "worse"


def overview(
    *,
    organisation: Any,
    period: Period,
    area_id: int | None = None,
    category: str | None = None,
    today: datetime.date | None = None,
    amber_points: Decimal | None = None,
) -> tuple[list[MeasureResult], list[Measure]]:
    """Every measure's result for the period with the previous period's value and whether it is
    better or worse; and the offer's milestones with their status (due, done or overdue)."""
    from standards.selectors import _annotate

    points = amber_points if amber_points is not None else amber_points_for(organisation)
    everything = list(_measures(organisation, milestones=True))
    measures = [m for m in everything if m.kind != Measure.Kind.MILESTONE]
    results = measure_results(
        organisation=organisation,
        start=period.start,
        end=period.end,
        area_id=area_id,
        category=category,
        amber_points=points,
        measures=measures,
    )
    prev = period.previous()
    before = {
        r.measure.pk: r.value
        for r in measure_results(
            organisation=organisation,
            start=prev.start,
            end=prev.end,
            area_id=area_id,
            category=category,
            amber_points=points,
            measures=measures,
        )
    }
    for r in results:
        r.previous_value = before.get(r.measure.pk)
        r.trend = trend_word(r.measure, r.value, r.previous_value)
    day = today or timezone.localdate()
    milestones = [_annotate(m, day) for m in everything if m.kind == Measure.Kind.MILESTONE]
    return results, milestones


@dataclass(frozen=True)
class Breakdown:
    key: Any
    label: str
    numerator: int
    denominator: int
    value: Decimal | None
    rag: str | None


def results_by(
    *,
    organisation: Any,
    measure: Measure,
    period: Period,
    by: str,
    amber_points: Decimal | None = None,
) -> list[Breakdown]:
    """One measure's result for the period split by `by` ("area" or "category")."""
    from people.models import Area

    column = "area_id" if by == "area" else "category"
    rows = list(
        _figures(organisation, period.start, period.end, None, None, measure)
        .values(column)
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by(column)
    )
    names: dict[Any, str] = {}
    if by == "area":
        ids = [r[column] for r in rows if r[column] is not None]
        names = dict(Area.objects.filter(pk__in=ids).values_list("pk", "name"))
    version = measure_version_on(measure, period.end)
    target = version.target if version else None
    points = amber_points if amber_points is not None else amber_points_for(organisation)
    out = []
    for r in rows:
        key = r[column]
        if by == "area":
            label = names.get(key, "Area not known") if key is not None else "Area not known"
        else:
            label = f"Category {key}" if key else "No category"
        value = None if measure.kind == Measure.Kind.RATE else _value(measure, int(r["n"]), int(r["d"]))
        out.append(Breakdown(key, label, int(r["n"]), int(r["d"]), value, rag_for(measure, value, target, points)))
    out.sort(key=lambda b: b.label)
    return out


# --- The records behind a figure ------------------------------------------------------------------


@dataclass(frozen=True)
class RecordSource:
    """Where one within-timescale measure's records are and which of their fields matter."""

    model: type[Any]
    due_field: str
    end_field: str
    on_time_field: str
    has_rule: bool = True


SOURCES: dict[str, RecordSource] = {
    Subject.REPAIR: RecordSource(RepairJob, "due_at", "completed_at", "on_time"),
    Subject.ASB_CASE: RecordSource(AsbCase, "contact_due_at", "first_contact_at", "contact_on_time"),
    Subject.HAZARD: RecordSource(Hazard, "due_at", "fixed_at", "on_time"),
}


def has_records(measure: Measure) -> bool:
    """Whether the records that missed (for a sample, the checks that failed) can be listed."""
    return measure.kind == Measure.Kind.SAMPLE or (
        measure.kind == Measure.Kind.WITHIN_TIMESCALE
        and ((measure.subject in SOURCES and measure.sets_due) or measure.subject == Subject.PLANNED_WORK)
    )


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=UK)


@dataclass
class Late:
    """How late a record was (or is): in hours for timescales in hours, else in the unit of the
    timescale (working days by the landlord's calendar, or calendar days)."""

    amount: int
    unit: str

    def __str__(self) -> str:
        word = {"hours": "hour", "working_days": "working day", "calendar_days": "day"}[self.unit]
        return f"{self.amount} {word}{'' if self.amount == 1 else 's'}"


def lateness(due: datetime.datetime, when: datetime.datetime, unit: str, calendar: WorkingCalendar) -> Late:
    """How far after `due` the moment `when` is. Hours round up (1 minute late is 1 hour); a
    working-day timescale counts the working days after the due day up to the day it happened
    (finished the working day after a Friday due date and a Monday bank holiday: 1 working day)."""
    if unit == Unit.HOURS:
        seconds = (when - due).total_seconds()
        return Late(max(1, int(-(-seconds // 3600))), Unit.HOURS)
    due_day = due.astimezone(calendar.tz).date()
    day = when.astimezone(calendar.tz).date()
    if unit == Unit.WORKING_DAYS:
        return Late(max(1, calendar.working_days_between(due_day, day)), Unit.WORKING_DAYS)
    return Late(max(1, (day - due_day).days), Unit.CALENDAR_DAYS)


def _records(measure: Measure, source: RecordSource) -> QuerySet[Any]:
    return (
        # By version ids, not a join: the planner then needs only the records table.
        source.model.objects.filter(
            organisation_id=measure.organisation_id,
            due_rule_id__in=[v.pk for v in measure.versions.all()],
        )
        .select_related("due_rule", "area", "home")
        .order_by(source.end_field, "id")
    )


def misses(
    *,
    measure: Measure,
    period: Period,
    area_id: int | None = None,
    category: str | None = None,
    page: Any = 1,
    per_page: int = 25,
    calendar: WorkingCalendar | None = None,
) -> Page | None:
    """The records counted in the measure's figure for the period that missed the timescale,
    each with `late` (how late). None when the measure has no record-by-record figures."""
    if not has_records(measure):
        return None
    start, end = _aware(period.start), _aware(period.end + datetime.timedelta(days=1))
    if measure.kind == Measure.Kind.SAMPLE:
        checks = SampleCheck.objects.filter(
            organisation_id=measure.organisation_id,
            measure=measure,
            passed=False,
            checked_on__gte=period.start,
            checked_on__lte=period.end,
        ).select_related("area", "home")
        if area_id is not None:
            checks = checks.filter(area_id=area_id)
        return Paginator(checks.order_by("checked_on", "id"), per_page).get_page(page)
    if measure.subject == Subject.PLANNED_WORK:
        qs: QuerySet[Any] = PlannedWorkVisit.objects.filter(
            organisation_id=measure.organisation_id,
            enough_notice=False,
            works_start_on__gte=period.start,
            works_start_on__lte=period.end,
        ).select_related("area", "home")
        qs = qs.order_by("works_start_on", "id")
    else:
        source = SOURCES[measure.subject]
        qs = _records(measure, source).filter(
            **{
                source.on_time_field: False,
                f"{source.end_field}__gte": start,
                f"{source.end_field}__lt": end,
            }
        )
        if measure.subject == Subject.REPAIR:
            qs = qs.filter(cancelled=False)
    if area_id is not None:
        qs = qs.filter(area_id=area_id)
    if category and measure.subject != Subject.PLANNED_WORK:
        qs = qs.filter(category=category)
    result = Paginator(qs, per_page).get_page(page)
    if calendar is None and result.object_list:
        calendar = calendar_for(measure.organisation)
    for record in result.object_list:
        if measure.subject == Subject.PLANNED_WORK:
            notice = (record.works_start_on - record.visited_on).days if record.visited_on else None
            record.late = f"{notice} days' notice" if notice is not None else "Not visited"
            continue
        source = SOURCES[measure.subject]
        due, done = getattr(record, source.due_field), getattr(record, source.end_field)
        record.due, record.done = due, done
        unit = record.due_rule.timescale_unit if record.due_rule else Unit.CALENDAR_DAYS
        record.late = lateness(due, done, unit, calendar) if due and done and calendar else None
    return result


def at_risk(
    *,
    measure: Measure,
    area_id: int | None = None,
    category: str | None = None,
    now: datetime.datetime | None = None,
    page: Any = 1,
    per_page: int = 25,
    calendar: WorkingCalendar | None = None,
) -> Page | None:
    """Open records of the measure already past their due moment as of `now` (not completed,
    contacted or fixed, and not cancelled), most overdue first, each with `late` so far."""
    if measure.kind != Measure.Kind.WITHIN_TIMESCALE or measure.subject not in SOURCES or not measure.sets_due:
        return None
    moment = now or timezone.now()
    source = SOURCES[measure.subject]
    qs = (
        _records(measure, source)
        .filter(**{f"{source.end_field}__isnull": True, f"{source.due_field}__lt": moment})
        .order_by(source.due_field, "id")
    )
    if measure.subject == Subject.REPAIR:
        qs = qs.filter(cancelled=False)
    if measure.subject == Subject.ASB_CASE:
        qs = qs.filter(closed_at__isnull=True)
    if area_id is not None:
        qs = qs.filter(area_id=area_id)
    if category:
        qs = qs.filter(category=category)
    result = Paginator(qs, per_page).get_page(page)
    if calendar is None and result.object_list:
        calendar = calendar_for(measure.organisation)
    for record in result.object_list:
        unit = record.due_rule.timescale_unit if record.due_rule else Unit.CALENDAR_DAYS
        assert calendar is not None
        record.due, record.done = getattr(record, source.due_field), None
        record.late = lateness(getattr(record, source.due_field), moment, unit, calendar)
    return result


# --- Pages ----------------------------------------------------------------------------------------


def measure_for(*, organisation: Any, pk: int) -> Measure:
    """One measure of the organisation (not a milestone), or 404 (the same for another landlord's)."""
    measure = _measures(organisation).filter(pk=pk).first()
    if measure is None:
        raise Http404
    return measure


def categories_of(*, organisation: Any) -> list[str]:
    """The category codes that occur in the figures, for the filter."""
    return sorted(
        c
        for c in Figure.objects.filter(organisation=organisation)
        .exclude(category="")
        .values_list("category", flat=True)
        .distinct()
        .order_by()
    )


def monitoring_groups(*, user: Any) -> list[Any]:
    """The groups that give a signed-in resident the monitoring pages: their open memberships of
    an active scrutiny panel, standards task team or topic panel (the structure's tenant review
    groups) of their own organisation. Officer support roles do not count: they are staff."""
    from groups.models import GroupKind, MemberRole, Membership
    from groups.selectors import resident_for

    resident = resident_for(user)
    if resident is None:
        return []
    kinds = [GroupKind.SCRUTINY_PANEL, GroupKind.STANDARDS_TASK_TEAM, GroupKind.TOPIC_PANEL]
    memberships = (
        Membership.objects.current()
        .filter(
            resident=resident,
            group__organisation_id=resident.organisation_id,
            group__kind__in=kinds,
            group__status="active",
            ended_on__isnull=True,
        )
        .exclude(role=MemberRole.OFFICER_SUPPORT)
        .select_related("group")
        .order_by("group__name")
    )
    seen: dict[int, Any] = {}
    for m in memberships:
        seen.setdefault(m.group_id, m.group)
    return list(seen.values())


def comments_and_actions(*, measure: Measure) -> tuple[list[Any], list[Any]]:
    from performance.models import MeasureComment, RemedialAction

    comments = list(
        MeasureComment.objects.filter(measure=measure, organisation_id=measure.organisation_id)
        .select_related("author", "group")
        .order_by("-created_at")
    )
    actions = list(
        RemedialAction.objects.filter(measure=measure, organisation_id=measure.organisation_id).order_by(
            "status", "due_on", "id"
        )
    )
    return comments, actions


def remedial_action_for(*, organisation: Any, pk: int) -> Any:
    from performance.models import RemedialAction

    action = RemedialAction.objects.filter(organisation=organisation, pk=pk).select_related("measure").first()
    if action is None:
        raise Http404
    return action


def area_choices(*, organisation: Any) -> list[tuple[int, str]]:
    from people.models import Area

    return list(Area.objects.filter(organisation=organisation).order_by("name").values_list("pk", "name"))


def last_refreshed(*, organisation: Any) -> datetime.datetime | None:
    row = (
        Figure.objects.filter(organisation=organisation)
        .order_by("-refreshed_at")
        .values_list("refreshed_at", flat=True)
        .first()
    )
    return row
