"""Reads for the public performance pages, open data and public API: what a landlord publishes.

A landlord publishes its local offer (the promises, how each is measured, the targets, and
milestones with their status) and its results for *complete* periods: whole calendar months,
financial quarters (April to June is quarter 1) and financial years, up to the last month
that has ended and has figures. Results come from `performance.selectors.measure_results` and
`measure_trend` (the figures the staff pages show; nothing here works them out again).

Nothing else is public: no records, homes, addresses, residents, comments, remedial actions,
evidence notes or files, or who changed a target. Results by area are shown only through
`core.privacy.suppress`, so a place with fewer than 5 cases (and one more place, when only one
is hidden) shows no numbers.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation
from core.privacy import suppress
from standards import selectors as standards_selectors
from standards.models import Measure, MeasureVersion, MilestoneStatus, ServiceArea

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
PERIOD_KINDS = (MONTH, QUARTER, YEAR)


def landlord_get(*, slug: str) -> Organisation:
    """A landlord by its public slug; partner organisations have no performance page."""
    organisation = Organisation.objects.filter(slug=slug, kind=Organisation.Kind.LANDLORD).first()
    if organisation is None:
        raise Http404
    return organisation


# --- Periods ------------------------------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_end(first: datetime.date) -> datetime.date:
    return _add_months(first, 1) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A whole month, financial quarter or financial year."""

    kind: str
    start: datetime.date
    end: datetime.date  # the last day, inclusive

    @classmethod
    def month(cls, first: datetime.date) -> Period:
        first = first.replace(day=1)
        return cls(MONTH, first, _month_end(first))

    @classmethod
    def quarter_of(cls, day: datetime.date) -> Period:
        """The financial quarter containing `day` (quarter 1 is April to June)."""
        start = datetime.date(day.year, ((day.month - 1) // 3) * 3 + 1, 1)
        return cls(QUARTER, start, _month_end(_add_months(start, 2)))

    @classmethod
    def year_of(cls, day: datetime.date) -> Period:
        """The financial year containing `day` (April to March)."""
        start = datetime.date(day.year if day.month >= 4 else day.year - 1, 4, 1)
        return cls(YEAR, start, datetime.date(start.year + 1, 3, 31))

    @classmethod
    def of(cls, kind: str, day: datetime.date) -> Period:
        if kind == MONTH:
            return cls.month(day)
        if kind == QUARTER:
            return cls.quarter_of(day)
        if kind == YEAR:
            return cls.year_of(day)
        raise ValueError(f"Unknown period {kind!r}: use month, quarter or year")

    def previous(self) -> Period:
        return Period.of(self.kind, self.start - datetime.timedelta(days=1))

    @property
    def financial_year(self) -> str:
        year = self.start.year if self.start.month >= 4 else self.start.year - 1
        return f"{year}-{(year + 1) % 100:02d}"

    @property
    def code(self) -> str:
        """A stable identifier for open data: 2025-06, 2025-26-Q1, 2025-26."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            number = ((self.start.month - 4) % 12) // 3 + 1
            return f"{self.financial_year}-Q{number}"
        return self.financial_year

    @property
    def label(self) -> str:
        """In words: June 2025; April to June 2025; April 2025 to March 2026."""
        if self.kind == MONTH:
            return f"{self.start:%B %Y}"
        if self.start.year == self.end.year:
            return f"{self.start:%B} to {self.end:%B %Y}"
        return f"{self.start:%B %Y} to {self.end:%B %Y}"


def last_published_month(*, organisation: Any, today: datetime.date | None = None) -> datetime.date | None:
    """The first day of the latest month that has ended and has figures; None when none has."""
    day = today or timezone.localdate()
    from performance.models import Figure

    latest = Figure.objects.filter(organisation=organisation, month__lt=day.replace(day=1)).aggregate(
        latest=Max("month")
    )["latest"]
    return latest


def latest_periods(*, organisation: Any, today: datetime.date | None = None) -> tuple[Period, Period] | None:
    """The latest published month and the latest complete financial quarter up to it."""
    month = last_published_month(organisation=organisation, today=today)
    if month is None:
        return None
    quarter = Period.quarter_of(month)
    if quarter.end > _month_end(month):
        quarter = quarter.previous()
    return Period.month(month), quarter


def is_published(*, organisation: Any, period: Period, today: datetime.date | None = None) -> bool:
    """True when the whole period has ended and is not after the latest month with figures."""
    month = last_published_month(organisation=organisation, today=today)
    return month is not None and period.end <= _month_end(month)


def figures_refreshed_at(*, organisation: Any) -> datetime.datetime | None:
    from performance.models import Figure

    return Figure.objects.filter(organisation=organisation).aggregate(at=Max("refreshed_at"))["at"]


# --- Words -------------------------------------------------------------------------------------------

# Words after which "were" reads naturally: "repairs were completed within 3 working days".
_PARTICIPLES = {"made", "kept", "given", "done", "sent", "seen", "met", "paid", "told", "held", "built"}


def number(value: Decimal | int | float | None) -> str:
    """97 or 99.6 or 1,204: whole numbers without a decimal point, others to one place."""
    if value is None:
        return ""
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount.quantize(Decimal('0.1')):,}"


def _phrase(name: str) -> str | None:
    """A measure's name as the rest of "97 out of 100 ...", when it reads as one: "Category 2
    urgent repairs completed within 3 working days" becomes "category 2 urgent repairs were
    completed within 3 working days". None when it does not ("Work area left clean and tidy",
    "Category 1 ASB: contact within one working day"): the caller words it another way."""
    words = name.split()
    if not words or ":" in name:
        return None
    if not (len(words[0]) > 1 and words[0][1].isupper()):  # keep ASB, HHSRS
        words[0] = words[0][0].lower() + words[0][1:]
    for i, word in enumerate(words[1:], start=1):
        bare = word.lower().strip(",.")
        if bare in ("with", "without", "of", "for"):
            return None  # "cases with a dedicated officer": the participle belongs to the object
        if bare in _PARTICIPLES or (bare.endswith("ed") and len(bare) > 4):
            if words[i - 1].lower() in ("a", "an", "the"):
                return None
            words.insert(i, "were")
            return " ".join(words)
    return None


def unit_of(measure: Measure) -> str:
    if measure.kind in Measure.PERCENTAGE_KINDS:
        return "percent"
    if measure.kind == Measure.Kind.RATE:
        return "per 1,000 homes"
    return "count"


def _amount(measure: Measure, value: Decimal | None) -> str:
    if value is None:
        return ""
    if measure.kind in Measure.PERCENTAGE_KINDS:
        return f"{number(value)}%"
    if measure.kind == Measure.Kind.RATE:
        return f"{number(value)} per 1,000 homes"
    return number(value)


def sentence(
    *, measure: Measure, period: Period, numerator: int, denominator: int, value: Decimal | None,
    target: Decimal | None, met: bool | None, target_label: str = "",
) -> str:  # fmt: skip
    """One result in plain English, e.g. "In June 2025, 97 out of 100 category 1 emergency
    repairs were made safe within 24 hours (97%). Our promise is 99.6%, so we did not keep it."."""
    if measure.kind in Measure.PERCENTAGE_KINDS:
        if not denominator:
            return f"In {period.label} there was nothing to count for this."
        out_of = f"{number(numerator)} out of {number(denominator)}"
        amount = f" ({_amount(measure, value)})" if value is not None else ""
        phrase = _phrase(measure.name)
        if phrase is not None:
            text = f"In {period.label}, {out_of} {phrase}{amount}."
        else:
            text = f"{measure.name.replace(': ', ', ', 1)}: {out_of} in {period.label}{amount}."
    else:
        if value is None:
            return f"We have no figure for {period.label}."
        text = f"{measure.name}: {_amount(measure, value)} in {period.label}."
    promise = _amount(measure, target) if target is not None else target_label
    if promise:
        text += f" Our promise is {promise}"
        if met is True:
            text += ", so we kept it."
        elif met is False:
            text += ", so we did not keep it."
        else:
            text += "."
    return text


# --- Results -------------------------------------------------------------------------------------------


@dataclass
class PublicResult:
    """One measure's published result for one period (or one area in it)."""

    measure: Measure
    period: Period
    numerator: int
    denominator: int
    value: Decimal | None
    target: Decimal | None
    met: bool | None
    version: MeasureVersion | None = None
    has_figures: bool = False
    # The period before, to say whether it got better (set for the latest month on the page).
    before: PublicResult | None = None

    @property
    def change_text(self) -> str:
        """ "This is worse than May 2025 (99.5%)." (for a rate, fewer is better); empty
        without both figures."""
        from performance.selectors import trend_word

        if self.before is None or not self.has_figure or not self.before.has_figure:
            return ""
        word = trend_word(self.measure, self.value, self.before.value)
        if not word:
            return ""
        then = f"{self.before.period.label} ({self.before.amount})"
        return "This is the same as " + then + "." if word == "same" else f"This is {word} than {then}."

    @property
    def has_figure(self) -> bool:
        """Whether anything was counted for it (a measure not worked out from records has not)."""
        return self.has_figures and (bool(self.denominator) or self.value is not None)

    @property
    def text(self) -> str:
        return sentence(
            measure=self.measure, period=self.period, numerator=self.numerator, denominator=self.denominator,
            value=self.value, target=self.target, met=self.met,
            target_label=self.version.target_label if self.version else "",
        )  # fmt: skip

    @property
    def amount(self) -> str:
        return _amount(self.measure, self.value)

    @property
    def target_amount(self) -> str:
        return _amount(self.measure, self.target)


def _results(
    *, organisation: Any, period: Period, measures: list[Measure] | None = None, amber_points: Decimal | None = None
) -> dict[int, PublicResult]:
    """`measures` (not milestones, versions prefetched) and `amber_points`, when the caller has
    them, save the selector reading them again for each period."""
    from performance import selectors as performance_selectors

    found = performance_selectors.measure_results(
        organisation=organisation, start=period.start, end=period.end, measures=measures, amber_points=amber_points
    )
    out: dict[int, PublicResult] = {}
    for r in found:
        if r.measure.kind == Measure.Kind.MILESTONE:
            continue
        out[r.measure.pk] = PublicResult(
            measure=r.measure, period=period, numerator=r.numerator, denominator=r.denominator,
            value=r.value, target=r.target, met=r.met, version=r.version, has_figures=r.has_figures,
        )  # fmt: skip
    return out


def results_for(*, organisation: Any, period: Period, today: datetime.date | None = None) -> dict[int, PublicResult]:
    """Every measure's result for a published period, by measure id; empty for a period that
    has not ended or has no figures yet."""
    if not is_published(organisation=organisation, period=period, today=today):
        return {}
    return _results(organisation=organisation, period=period)


@dataclass
class OfferPage:
    """The local offer with the latest results fastened to each measure."""

    areas: list[ServiceArea]
    month: Period | None
    quarter: Period | None
    milestones: dict[str, int] = field(default_factory=dict)
    kept: int = 0
    judged: int = 0


def offer_with_results(*, organisation: Any, today: datetime.date | None = None) -> OfferPage:
    """The published local offer; each measure gets `month_result` and `quarter_result` (or
    None) for the latest published month and quarter; milestone counts by status; how many
    promises judged in the latest month were kept."""
    day = today or timezone.localdate()
    areas = standards_selectors.published_local_offer(organisation=organisation, today=day)
    periods = latest_periods(organisation=organisation, today=day)
    month = quarter = None
    by_month: dict[int, PublicResult] = {}
    by_quarter: dict[int, PublicResult] = {}
    if periods is not None:
        from performance.selectors import amber_points_for

        month, quarter = periods
        measures = [m for a in areas for c in a.commitments.all() for m in c.measures.all() if not m.is_milestone]
        shared = {"organisation": organisation, "measures": measures, "amber_points": amber_points_for(organisation)}
        by_month = _results(period=month, **shared)
        for pk, before in _results(period=month.previous(), **shared).items():
            if pk in by_month:
                by_month[pk].before = before
        by_quarter = _results(period=quarter, **shared)
    page = OfferPage(areas=areas, month=month, quarter=quarter)
    counts = {MilestoneStatus.DUE.value: 0, MilestoneStatus.DONE.value: 0, MilestoneStatus.OVERDUE.value: 0}
    for area in areas:
        for commitment in area.commitments.all():
            for measure in commitment.measures.all():
                if measure.is_milestone:
                    counts[measure.status] += 1  # type: ignore[attr-defined]
                    continue
                measure.month_result = by_month.get(measure.pk)  # type: ignore[attr-defined]
                measure.quarter_result = by_quarter.get(measure.pk)  # type: ignore[attr-defined]
                result = measure.month_result  # type: ignore[attr-defined]
                if result is not None and result.met is not None:
                    page.judged += 1
                    page.kept += bool(result.met)
    page.milestones = counts
    return page


# --- One measure: trend and areas ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendRow:
    period: Period
    numerator: int
    denominator: int
    value: Decimal | None
    amount: str
    target: Decimal | None = None  # the target in force that month
    met: bool | None = None
    target_amount: str = ""


def trend(
    *, organisation: Any, measure: Measure, today: datetime.date | None = None, months: int = 12
) -> list[TrendRow]:
    """The measure's monthly figures for the `months` published months up to the latest."""
    latest = last_published_month(organisation=organisation, today=today)
    if latest is None or measure.is_milestone:
        return []
    from performance import selectors as performance_selectors

    points = performance_selectors.measure_trend(
        organisation=organisation, measure=measure, end=_month_end(latest), months=months
    )
    return [
        TrendRow(
            Period.month(p.month),
            p.numerator,
            p.denominator,
            p.value,
            _amount(measure, p.value),
            p.target,
            p.met,
            _amount(measure, p.target),
        )  # fmt: skip
        for p in points
    ]


@dataclass(frozen=True)
class AreaRow:
    name: str
    numerator: int | None  # None (with denominator and amount): suppressed
    denominator: int | None
    amount: str
    met: bool | None
    small: bool  # hidden because fewer than the threshold (rather than to protect another)

    @property
    def hidden(self) -> bool:
        return self.denominator is None


NO_AREA = "Homes with no area recorded"


def area_results(*, organisation: Any, measure: Measure, period: Period) -> list[AreaRow]:
    """The measure's result in each area for a published period (`performance.selectors.
    results_by`), with small numbers suppressed by `core.privacy.suppress` on the number of
    cases in each area, records with no area counting as one more place, so that no hidden
    figure can be worked out from the total. Only percentage measures: counts and rates are
    for the whole landlord."""
    if measure.kind not in Measure.PERCENTAGE_KINDS:
        return []
    from performance import selectors as performance_selectors

    found = [
        b
        for b in performance_selectors.results_by(
            organisation=organisation,
            measure=measure,
            period=performance_selectors.Period(period.kind, period.start, period.end),
            by="area",
        )
        if b.denominator
    ]
    if not any(b.key is not None for b in found):
        return []
    version = standards_selectors.measure_version_on(measure, period.end)
    target = version.target if version else None
    cells, _total = suppress({str(b.key): b.denominator for b in found})
    shown = {c.label for c in cells if c.count is not None}
    threshold = _threshold()
    rows = []
    for b in sorted(found, key=lambda b: (b.key is None, b.label)):
        name = b.label if b.key is not None else NO_AREA
        if str(b.key) in shown:
            met = performance_selectors.met_target(measure, b.value, target)
            rows.append(AreaRow(name, b.numerator, b.denominator, _amount(measure, b.value), met, False))
        else:
            rows.append(AreaRow(name, None, None, "", None, b.denominator < threshold))
    return rows


def _threshold() -> int:
    from django.conf import settings

    return int(settings.EQUALITY_SUPPRESSION_THRESHOLD)


# --- A chart drawn on the server ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str
    amount: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass
class LineChart:
    """Coordinates for an SVG line chart (no JavaScript); the page draws it and a table."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    points: list[ChartPoint]
    lines: list[str]  # SVG polyline "x,y x,y" runs; a month with no figure breaks the line
    ticks: list[Tick]
    months: list[ChartPoint]  # x positions and labels along the bottom
    target_lines: list[str]  # the promise in force each month, dashed
    target_label: str  # the latest promise
    target_changed: bool


def line_chart(
    rows: Sequence[TrendRow], *, measure: Measure, target: Decimal | None = None, width: int = 640, height: int = 300
) -> LineChart | None:
    """The result each month as a line (broken where a month has no figure) and the promise
    in force each month as a dashed line (a step where the target changed); `target` is used
    for months that carry none."""
    values = [r.value for r in rows if r.value is not None]
    if not values:
        return None
    targets = [r.target if r.target is not None else target for r in rows]
    left, right, top, bottom = 56, width - 16, 16, height - 40
    candidates = [float(v) for v in values] + [float(t) for t in targets if t is not None]
    if measure.kind in Measure.PERCENTAGE_KINDS:
        high = 100.0
        lowest = min(candidates)
        low = max(0.0, (lowest // 10) * 10 - (10 if lowest % 10 < 2 else 0))
    else:
        low = 0.0
        high = max(candidates) * 1.1 or 1.0
    step = _nice_step((high - low) / 5)
    high = max(high, low + step)

    def y_of(value: float) -> float:
        return round(bottom - (value - low) / (high - low) * (bottom - top), 1)

    gap = (right - left) / max(len(rows), 1)
    points: list[ChartPoint] = []
    months: list[ChartPoint] = []
    runs: list[list[str]] = []
    run: list[str] = []
    target_runs: list[list[str]] = []
    target_run: list[str] = []
    for i, row in enumerate(rows):
        x = round(left + gap * (i + 0.5), 1)
        months.append(ChartPoint(x, float(height - 22), f"{row.period.start:%b}", f"{row.period.start:%y}"))
        month_target = targets[i]
        if month_target is None:
            if target_run:
                target_runs.append(target_run)
            target_run = []
        else:
            ty = y_of(float(month_target))
            target_run += [f"{round(x - gap / 2, 1)},{ty}", f"{round(x + gap / 2, 1)},{ty}"]
        if row.value is None:
            if run:
                runs.append(run)
            run = []
            continue
        point = ChartPoint(x, y_of(float(row.value)), row.period.label, row.amount)
        points.append(point)
        run.append(f"{point.x},{point.y}")
    runs += [run] if run else []
    target_runs += [target_run] if target_run else []
    ticks = []
    value = low
    suffix = "%" if measure.kind in Measure.PERCENTAGE_KINDS else ""
    while value <= high + 1e-9:
        ticks.append(Tick(y_of(value), f"{number(Decimal(str(round(value, 2))))}{suffix}"))
        value += step
    latest_target = next((t for t in reversed(targets) if t is not None), None)
    return LineChart(
        width=width, height=height, left=left, right=right, top=top, bottom=bottom, points=points,
        lines=[" ".join(r) for r in runs], ticks=ticks, months=months,
        target_lines=[" ".join(r) for r in target_runs],
        target_label=_amount(measure, latest_target) if latest_target is not None else "",
        target_changed=len({t for t in targets if t is not None}) > 1,
    )  # fmt: skip


def _nice_step(raw: float) -> float:
    for step in (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if raw <= step:
            return float(step)
    return float(10 ** len(str(int(raw))))


# --- Open data ----------------------------------------------------------------------------------------------

# The column lists are a published interface: add columns at the end, never rename or reorder.
RESULT_COLUMNS: list[tuple[str, str]] = [
    ("measure_code", "The measure's short reference, stable over time, e.g. rep-cat1."),
    ("measure_name", "What is measured."),
    ("service_area", "The service the promise is about, e.g. Repairs."),
    ("promise", "The promise in the words residents were given."),
    ("period_type", "month, quarter (financial: quarter 1 is April to June) or year (April to March)."),
    ("period", "The period: 2025-06, 2025-26-Q1 or 2025-26."),
    ("period_start", "The first day of the period (YYYY-MM-DD)."),
    ("period_end", "The last day of the period (YYYY-MM-DD)."),
    ("numerator", "How many met the standard, e.g. repairs done in time; for a count or a rate, how many there were."),
    ("denominator", "How many were counted, e.g. repairs done; for a rate, the homes we own."),
    ("value", "The result: a percentage to one decimal place, a rate per 1,000 homes or a count. Blank if none."),
    ("unit", "percent, per 1,000 homes or count."),
    ("target", "The target in force at the end of the period. Blank if the promise has no number."),
    ("met", "true if the target was met, false if not, blank if it cannot be judged."),
]

OFFER_COLUMNS: list[tuple[str, str]] = [
    ("service_area", "The service the promise is about, e.g. Repairs."),
    ("theme", "The heading the promise sits under, if any."),
    ("commitment_code", "The commitment's short reference, stable over time."),
    ("promise", "The promise in the words residents were given."),
    ("measure_code", "The measure's short reference, stable over time."),
    ("measure_name", "What is measured."),
    ("measure_type", "within_timescale, population, count, rate, milestone or sample."),
    ("unit", "percent, per 1,000 homes or count: what the target and results are in."),
    ("categories", "The categories counted, separated by semicolons, e.g. Category 1 emergency."),
    ("target", "The target in force today as a number. Blank if none."),
    ("target_in_words", "The target in words, e.g. 99.6% or Done by 30 April 2015."),
    ("timescale", "The timescale, e.g. 24 hours, reported to made safe. Blank if none."),
    ("in_force_from", "The day the current target took effect (YYYY-MM-DD)."),
    ("milestone_due_on", "For a milestone: the day it is due (YYYY-MM-DD)."),
    ("milestone_status", "For a milestone: due, done or overdue."),
    ("milestone_done_on", "For a milestone that is done: the day it was done (YYYY-MM-DD)."),
]


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _decimal(value: Decimal | None) -> Decimal | None:
    """Trailing zeros off (99.60 is 99.6), so the CSV and JSON read the same."""
    if value is None:
        return None
    return Decimal(f"{Decimal(value).normalize():f}")


def jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for JSON: decimals as numbers."""
    return [{k: float(v) if isinstance(v, Decimal) else v for k, v in row.items()} for row in rows]


def offer_rows(*, organisation: Any, today: datetime.date | None = None) -> list[dict[str, Any]]:
    rows = []
    for area in standards_selectors.published_local_offer(organisation=organisation, today=today):
        for commitment in area.commitments.all():
            for measure in commitment.measures.all():
                current: MeasureVersion | None = measure.current  # type: ignore[attr-defined]
                evidence = getattr(measure, "evidence", None) if measure.is_milestone else None
                rows.append(
                    {
                        "service_area": area.name,
                        "theme": commitment.theme,
                        "commitment_code": commitment.code,
                        "promise": commitment.promise,
                        "measure_code": measure.code,
                        "measure_name": measure.name,
                        "measure_type": measure.kind,
                        "unit": unit_of(measure),
                        "categories": ";".join(c.name for c in measure.categories.all()),
                        "target": _decimal(current.target) if current else None,
                        "target_in_words": current.target_label if current else "",
                        "timescale": current.timescale_label if current else "",
                        "in_force_from": _iso(current.effective_from) if current else None,
                        "milestone_due_on": _iso(measure.due_on) if measure.is_milestone else None,  # type: ignore[attr-defined]
                        "milestone_status": measure.status if measure.is_milestone else None,  # type: ignore[attr-defined]
                        "milestone_done_on": _iso(evidence.done_on) if evidence else None,
                    }
                )
    return rows


def published_periods(
    *, organisation: Any, kind: str = MONTH, count: int = 12, today: datetime.date | None = None
) -> list[Period]:
    """The last `count` complete periods of a kind that have figures, oldest first."""
    month = last_published_month(organisation=organisation, today=today)
    if month is None:
        return []
    period = Period.of(kind, month)
    if period.end > _month_end(month):
        period = period.previous()
    periods = []
    for _ in range(count):
        periods.append(period)
        period = period.previous()
    return list(reversed(periods))


def result_rows(*, organisation: Any, periods: Iterable[Period], with_text: bool = False) -> list[dict[str, Any]]:
    """Open-data rows: one per measure with a result in each period (milestones are in the
    offer); with `with_text`, each also has the result in words under "sentence"."""
    promises = {
        m.pk: (m.commitment.service_area.name, m.commitment.promise)
        for m in Measure.objects.filter(organisation=organisation).select_related("commitment__service_area")
    }
    rows = []
    for period in periods:
        for result in _results(organisation=organisation, period=period).values():
            if not result.has_figure:
                continue  # nothing counted: no row (a measure not worked out from records yet)
            measure = result.measure
            area, promise = promises.get(measure.pk, ("", ""))
            rows.append(
                {
                    "measure_code": measure.code,
                    "measure_name": measure.name,
                    "service_area": area,
                    "promise": promise,
                    "period_type": period.kind,
                    "period": period.code,
                    "period_start": period.start.isoformat(),
                    "period_end": period.end.isoformat(),
                    "numerator": result.numerator,
                    "denominator": result.denominator,
                    "value": _decimal(result.value),
                    "unit": unit_of(measure),
                    "target": _decimal(result.target),
                    "met": result.met,
                }
            )
            if with_text:
                rows[-1]["sentence"] = result.text
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal):
        return f"{value:f}"
    text = str(value)
    # A spreadsheet runs a cell that starts like a formula; open data must never do that.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_csv(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [name for name, _ in columns]
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row[name]) for name in names])
    return out.getvalue()
