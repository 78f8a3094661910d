"""The landlord's own Tenant Satisfaction Measures return: the management-information measures
(RP01, RP02, BS01-BS05, NM01, CH01, CH02) for one reporting year, worked out from the records and
counts loaded into `performance` (repairs jobs, ASB cases, stock counts, complaint counts).

The reporting year runs from 1 April to 31 March, in UK local time: a job completed at 23:30 on
31 March (BST) is in the year; one completed at 00:30 on 1 April is in the next. Each line keeps
its numerator and denominator as the regulator defines them and its value from the one formula
in `tsm.measures`; where the data is missing the line says why and has no value (never zero).

- RP02 (1) and (2): responsive repairs completed in the year and not cancelled, non-emergency
  and emergency. "Within the landlord's target timescale" is the stored `on_time` (completed by
  the due moment the local offer's timescale set). A completed job that no timescale covers
  (`on_time` unknown) cannot be judged: it is left out of both counts and the line says how many.
- NM01 (1) and (2): ASB cases opened (reported) in the year, and those involving hate incidents,
  per 1,000 homes owned (low-cost rental and home ownership) at the year end.
- RP01, BS01-BS05: the stock counts as at 31 March (the year end), both stock types added up.
- CH01 (1) and (2): complaints received at each stage in the year per 1,000 homes of the stock
  type at the year end; CH02: of those, how many were answered within the Complaint Handling Code
  timescales, an agreed extension included (the Code allows one). Reported separately for
  low-cost rental and low-cost home ownership, from the imported complaint counts until the
  complaints capability records each case. (The regulator's "combined" figures are for landlords
  that cannot separate the two; our counts are kept by stock type, so the return never needs them.)

- TP01-TP12: from the year's perception survey (the perception app): the published figures once
  they are published, otherwise the answers so far; weighted counts where it is weighted.

All counts over records are SQL aggregates (one query each for repairs and ASB cases).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from performance.models import AsbCase, ComplaintCount, RepairJob, Stock, StockCount
from tsm.measures import MANAGEMENT_INFORMATION, MEASURES, Kind, Measure, Tenure, calculate, get, round_half_up

FIRST_YEAR = 2023  # the first TSM reporting year, 2023/24
PERCEPTION_MEASURES = tuple(m for m in MEASURES if m.kind == Kind.PERCEPTION)
STOCKS = (Tenure.LCRA, Tenure.LCHO)
STOCK_OF = {Tenure.LCRA: Stock.LCRA, Tenure.LCHO: Stock.LCHO}
STOCK_WORDS = {Tenure.LCRA: "low-cost rental", Tenure.LCHO: "low-cost home ownership"}
SAFETY_ITEMS = {
    "RP01": StockCount.Item.NOT_DECENT,
    "BS01": StockCount.Item.GAS,
    "BS02": StockCount.Item.FIRE,
    "BS03": StockCount.Item.ASBESTOS,
    "BS04": StockCount.Item.WATER,
    "BS05": StockCount.Item.LIFTS,
}


def _n(value: int) -> str:
    return f"{value:,}"


def _d(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class ReturnLine:
    """One measure for one stock type: its counts, its value and where they came from."""

    measure: Measure
    stock: Tenure  # ALL, or LCRA / LCHO for the complaints and perception measures
    numerator: int | Decimal | None  # a perception survey's weighted counts are not whole
    denominator: int | Decimal | None
    source: str  # which records or counts it came from
    not_shown: str = ""  # why there is no value ("" when there is one)
    notes: tuple[str, ...] = ()

    @property
    def value(self) -> Decimal | None:
        """The exact value, from the regulator's formula (None without counts or a base)."""
        if self.numerator is None or self.denominator is None:
            return None
        return calculate(self.measure, self.numerator, self.denominator).value

    @property
    def shown(self) -> Decimal | None:
        """The value to one decimal place, rounded half up as the regulator does."""
        value = self.value
        return None if value is None else round_half_up(value, 1)

    @property
    def code(self) -> str:
        return self.measure.code

    @property
    def label(self) -> str:
        return self.measure.label

    @property
    def stock_label(self) -> str:
        return "All homes" if self.stock == Tenure.ALL else self.stock.label


@dataclass(frozen=True)
class TsmReturn:
    organisation: Any
    year_starting: int
    lines: list[ReturnLine] = field(default_factory=list)
    # TP01-TP12 from the year's perception survey (the perception app), or why there are none.
    perception: list[ReturnLine] = field(default_factory=list)
    perception_missing: str = ""

    @property
    def start(self) -> date:
        return date(self.year_starting, 4, 1)

    @property
    def end(self) -> date:
        """The year end: 31 March, the day the stock counts are taken."""
        return date(self.year_starting + 1, 3, 31)

    @property
    def period(self) -> str:
        return f"{self.year_starting}/{str(self.year_starting + 1)[-2:]}"

    @property
    def period_words(self) -> str:
        return f"1 April {self.year_starting} to 31 March {self.year_starting + 1}"

    @property
    def complete(self) -> bool:
        """Whether the reporting year has ended."""
        return timezone.localdate() > self.end

    def line(self, code: str, stock: Tenure = Tenure.ALL) -> ReturnLine:
        return next(line for line in self.lines if line.code == code and line.stock == stock)


def year_bounds(year_starting: int) -> tuple[datetime, datetime]:
    """The reporting year as aware datetimes: from 1 April 00:00 UK time up to (not including)
    the next 1 April 00:00 UK time."""
    tz = timezone.get_default_timezone()
    return (
        datetime.combine(date(year_starting, 4, 1), time.min, tzinfo=tz),
        datetime.combine(date(year_starting + 1, 4, 1), time.min, tzinfo=tz),
    )


def current_year_starting(today: date | None = None) -> int:
    """The reporting year that today falls in."""
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def year_choices(today: date | None = None) -> list[int]:
    """Reporting years a return can be asked for, latest first: from 2023/24 to the current one."""
    return list(range(current_year_starting(today), FIRST_YEAR - 1, -1))


def tsm_return(*, organisation: Any, year_starting: int) -> TsmReturn:
    """Every management-information measure of `organisation` for the reporting year that starts
    on 1 April `year_starting`, in the order of `tsm.measures` (four queries), and the perception
    measures from the year's perception survey where one is recorded."""
    start, end = year_bounds(year_starting)
    perception, missing = _perception(organisation, year_starting)
    ret = TsmReturn(
        organisation=organisation, year_starting=year_starting, perception=perception, perception_missing=missing
    )
    counts = _stock_counts(organisation, ret.end)
    homes = counts.get(StockCount.Item.HOMES, {})
    period = ret.period_words
    by_code: dict[str, list[ReturnLine]] = {}
    by_code.update(_repairs(organisation, start, end, period))
    by_code.update(_asb(organisation, start, end, period, homes, ret.end))
    for code, item in SAFETY_ITEMS.items():
        by_code[code] = [_stock_line(get(code), counts.get(item, {}), ret.end)]
    by_code.update(_complaints(organisation, year_starting, period, homes, ret.end))
    for measure in MANAGEMENT_INFORMATION:
        ret.lines.extend(by_code[measure.code])
    return ret


def _perception(organisation: Any, year_starting: int) -> tuple[list[ReturnLine], str]:
    """TP01-TP12 from the perception survey recorded for the year (read lazily: the perception
    app builds on this one)."""
    from perception.selectors import return_figures

    figures, missing = return_figures(organisation=organisation, year_starting=year_starting)
    order = {m.code: i for i, m in enumerate(PERCEPTION_MEASURES)}
    lines = []
    for f in sorted(figures, key=lambda f: (order.get(f.code, 99), f.stock != Tenure.LCRA)):
        lines.append(
            ReturnLine(
                measure=get(f.code),
                stock=Tenure(f.stock),
                numerator=f.satisfied,
                denominator=f.base,
                source=f.source,
                not_shown="" if f.base else "Nobody has answered this question on the five-point scale.",
                notes=f.notes,
            )
        )
    return lines, missing


def _repairs(organisation: Any, start: datetime, end: datetime, period: str) -> dict[str, list[ReturnLine]]:
    done = Q(completed_at__gte=start, completed_at__lt=end, cancelled=False)
    # Jobs reported or completed in the year: repairs are loaded for it, so none done is a real zero.
    loaded = Q(reported_at__gte=start, reported_at__lt=end) | Q(completed_at__gte=start, completed_at__lt=end)
    aggregates: dict[str, Any] = {"loaded": Count("pk", filter=loaded)}
    for key, emergency in (("non", False), ("em", True)):
        part = done & Q(emergency=emergency)
        aggregates[f"{key}_done"] = Count("pk", filter=part & Q(on_time__isnull=False))
        aggregates[f"{key}_on_time"] = Count("pk", filter=part & Q(on_time=True))
        aggregates[f"{key}_unknown"] = Count("pk", filter=part & Q(on_time__isnull=True))
    # Every job counted was reported before the year ended (completed_at >= reported_at is a
    # constraint), so the (organisation, reported_at) index narrows the rows for past years.
    got = RepairJob.objects.filter(organisation=organisation, reported_at__lt=end).aggregate(**aggregates)
    lines = {}
    for code, key, words in (("RP02_1", "non", "non-emergency"), ("RP02_2", "em", "emergency")):
        measure = get(code)
        source = (
            f"Repairs jobs marked {words}, completed {period} (UK time) and not cancelled: "
            f"{_n(got[f'{key}_done'])} with a target timescale, {_n(got[f'{key}_on_time'])} of them completed "
            "by the due time the local offer set."
        )
        notes: tuple[str, ...] = ()
        if got[f"{key}_unknown"]:
            notes = (
                f"{_n(got[f'{key}_unknown'])} completed {words} job(s) left out: no timescale in the local offer "
                "covers them, so whether they were on time is not known.",
            )
        if not got["loaded"]:
            lines[code] = [
                ReturnLine(measure, Tenure.ALL, None, None, source="Repairs jobs",
                           not_shown=f"No repairs jobs are loaded for {period}.")
            ]  # fmt: skip
            continue
        numerator, denominator = got[f"{key}_on_time"], got[f"{key}_done"]
        lines[code] = [
            ReturnLine(
                measure,
                Tenure.ALL,
                numerator,
                denominator,
                source=source,
                not_shown="" if denominator else f"No {words} repairs with a target timescale were completed.",
                notes=notes,
            )
        ]
    return lines


def _asb(
    organisation: Any, start: datetime, end: datetime, period: str, homes: dict[Tenure, Any], year_end: date
) -> dict[str, list[ReturnLine]]:
    opened = Q(reported_at__gte=start, reported_at__lt=end)
    got = AsbCase.objects.filter(organisation=organisation, reported_at__lt=end).aggregate(
        opened=Count("pk", filter=opened),
        hate=Count("pk", filter=opened & Q(hate_incident=True)),
        # Open at some time in the year: cases are loaded for it, so none opened is a real zero.
        active=Count("pk", filter=Q(reported_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))),
    )
    home_count, home_words = _homes(homes, STOCKS)
    lines = {}
    for code, key, words in (
        ("NM01_1", "opened", "ASB cases opened"),
        ("NM01_2", "hate", "ASB cases opened that involve hate incidents"),
    ):
        source = f"{words} (reported) {period}: {_n(got[key])}; {home_words or 'homes owned: no count'}."
        numerator: int | None = got[key]
        if not got["active"]:
            numerator, not_shown = None, f"No anti-social behaviour cases are loaded for {period}."
        elif home_count is None:
            not_shown = f"No count of homes owned as at {_d(year_end)}."
        elif home_count == 0:
            not_shown = f"The count of homes owned as at {_d(year_end)} is zero."
        else:
            not_shown = ""
        lines[code] = [ReturnLine(get(code), Tenure.ALL, numerator, home_count, source=source, not_shown=not_shown)]
    return lines


def _homes(homes: dict[Tenure, Any], stocks: tuple[Tenure, ...]) -> tuple[int | None, str]:
    """Homes owned of these stock types at the year end, and the words saying which counts."""
    found = [(t, homes[t]) for t in stocks if t in homes]
    if not found:
        return None, ""
    parts = "; ".join(f"{_n(c.total)} {STOCK_WORDS[t]}{_batch(c)}" for t, c in found)
    return sum(c.total for _, c in found), f"homes owned at the year end: {parts}"


def _batch(row: Any) -> str:
    batch = row.import_batch
    return f" (from {batch.original_name})" if batch is not None else ""


def _stock_counts(organisation: Any, year_end: date) -> dict[str, dict[Tenure, Any]]:
    """item -> stock type -> the StockCount as at the year end."""
    found: dict[str, dict[Tenure, Any]] = defaultdict(dict)
    rows = StockCount.objects.filter(organisation=organisation, as_at=year_end).select_related("import_batch")
    for row in rows:
        found[row.item][Tenure(row.stock)] = row
    return found


def _stock_line(measure: Measure, rows: dict[Tenure, Any], year_end: date) -> ReturnLine:
    if not rows:
        return ReturnLine(
            measure, Tenure.ALL, None, None, source="Stock counts",
            not_shown=f"No {measure.label} count as at {_d(year_end)}.",
        )  # fmt: skip
    found = [(t, rows[t]) for t in STOCKS if t in rows]
    numerator = sum(c.count for _, c in found)
    denominator = sum(c.total for _, c in found)
    parts = "; ".join(f"{STOCK_WORDS[t]} {_n(c.count)} of {_n(c.total)}{_batch(c)}" for t, c in found)
    return ReturnLine(
        measure,
        Tenure.ALL,
        numerator,
        denominator,
        source=f"Stock count as at {_d(year_end)}: {parts}.",
        not_shown="" if denominator else f"No homes needed this as at {_d(year_end)}: the count is zero.",
    )


@dataclass
class _ComplaintRow:
    """One stock type's complaints at one stage: from the cases when the landlord records each
    case in Involve, else from its loaded complaint counts."""

    received: int
    answered: int
    in_time: int
    in_time_extended: int
    source: str


def _complaint_rows(organisation: Any, year_starting: int, period: str) -> dict[tuple[Tenure, int], _ComplaintRow]:
    from complaints.selectors import tsm_counts

    counted = tsm_counts(organisation=organisation, year_starting=year_starting)
    if counted is not None:
        # Every case is recorded, so a stock type and stage with no cases had none: zero, not missing.
        rows = {}
        for stock in STOCKS:
            for stage in (1, 2):
                c = counted.get((stock.value, stage))
                rows[(stock, stage)] = _ComplaintRow(
                    c.received if c else 0,
                    c.answered if c else 0,
                    c.in_time if c else 0,
                    c.in_time_extended if c else 0,
                    f"Complaint cases for {period}",
                )
        return rows
    return {
        (Tenure(c.stock), c.stage): _ComplaintRow(
            c.received, c.answered, c.in_time, c.in_time_extended, f"Complaint counts for {period}{_batch(c)}"
        )
        for c in ComplaintCount.objects.filter(organisation=organisation, year_starting=year_starting).select_related(
            "import_batch"
        )
    }


def _complaints(
    organisation: Any, year_starting: int, period: str, homes: dict[Tenure, Any], year_end: date
) -> dict[str, list[ReturnLine]]:
    """CH01: complaints received at each stage per 1,000 homes. CH02: of the complaints answered
    at each stage in the year, those answered within the Code's timescales (an agreed extension
    included, as the Code allows; the notes say how many needed one)."""
    rows = _complaint_rows(organisation, year_starting, period)
    lines: dict[str, list[ReturnLine]] = defaultdict(list)
    for stage in (1, 2):
        for stock in STOCKS:
            row = rows.get((stock, stage))
            home_count, home_words = _homes(homes, (stock,))
            missing = f"No stage {stage} complaint counts for {STOCK_WORDS[stock]} homes for {period}."
            # CH01: complaints received per 1,000 homes of the stock type.
            ch01 = get(f"CH01_{stage}")
            if row is None:
                lines[ch01.code].append(ReturnLine(ch01, stock, None, None, source="Complaint counts",
                                                   not_shown=missing))  # fmt: skip
            else:
                source = f"{row.source}: {_n(row.received)} received at stage {stage}"
                source += f"; {home_words or 'homes owned: no count'}."
                not_shown = ""
                if home_count is None:
                    not_shown = f"No count of {STOCK_WORDS[stock]} homes owned as at {_d(year_end)}."
                elif home_count == 0:
                    not_shown = f"The count of {STOCK_WORDS[stock]} homes owned as at {_d(year_end)} is zero."
                lines[ch01.code].append(
                    ReturnLine(ch01, stock, row.received, home_count, source=source, not_shown=not_shown)
                )
            # CH02: of those, answered within the Code's timescales (an agreed extension included).
            ch02 = get(f"CH02_{stage}")
            if row is None:
                lines[ch02.code].append(ReturnLine(ch02, stock, None, None, source="Complaint counts",
                                                   not_shown=missing))  # fmt: skip
                continue
            in_time = row.in_time + row.in_time_extended
            lines[ch02.code].append(
                ReturnLine(
                    ch02,
                    stock,
                    in_time,
                    row.answered,
                    source=(
                        f"{row.source}: {_n(row.answered)} answered at stage {stage}, "
                        f"{_n(in_time)} within the Code's timescales."
                    ),
                    not_shown="" if row.answered else f"No stage {stage} complaints were answered.",
                    notes=(
                        f"{_n(row.in_time)} in time without an extension, {_n(row.in_time_extended)} only with one.",
                        *(
                            ["More were answered in time than were answered in all: the counts need checking."]
                            if in_time > row.answered
                            else []
                        ),
                    ),
                )
            )
    return lines
