"""Made-up operational data in the housing-system file formats the importers read (repairs jobs,
ASB cases, planned works visits, HHSRS hazards, stock counts, complaint counts), for the demo
landlord and the benchmark (bench/performance_jobs.py).

Everything is deterministic: the same seed, homes, period and calendar give the same rows, byte
for byte. Rows are streamed (a million repairs never need a million objects in memory): each
`*_rows` function yields one list of cell strings at a time, and `write_csv` writes them.

What is modelled, roughly after a mid-sized English landlord:

* Reports come mostly on weekdays in office hours, some in the evening, fewer at weekends and on
  bank holidays, a surge on the first working day after a weekend or holiday, and more in winter.
* Repairs: about 17% category 1 (emergency, made safe within 24 hours), 26% category 2 (urgent,
  3 working days), 57% category 3 (routine, 28 working days); out-of-hours reports are mostly
  emergencies. Most jobs are completed within the Oxford timescales; misses are commoner for
  jobs reported just after a bank holiday, around Christmas, in winter, and in one area whose
  contractor struggles. About 3% are cancelled; jobs not yet finished at the moment of the
  export are still open. Appointments, confirmation letters, first-time fixes, post-inspections
  and satisfaction responses at plausible rates.
* ASB cases in the three Oxford categories, hate incidents among them; first contact mostly
  within the category's timescale.
* Planned works visits (kitchens, bathrooms, windows, roofs, heating), mostly a week or more
  before the works start; HHSRS hazards, category 1 mostly fixed within 30 days.
* Stock counts (homes, Decent Homes failures, building-safety checks) at each year end, and
  complaint counts for each reporting year.

Times are UK local wall-clock times, as a housing system exports them. The generator never writes
a time in the hour the clocks skip or repeat (01:00 to 02:00 on the last Sunday of March or
October): such a time does not say which moment it is, and the importer rejects it.
"""

from __future__ import annotations

import csv
import datetime
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypeVar

from core.calendar import WorkingCalendar

__all__ = [
    "ASB_HEADERS",
    "COMPLAINT_HEADERS",
    "HAZARD_HEADERS",
    "PATROL_HEADERS",
    "REPAIR_HEADERS",
    "SAMPLE_HEADERS",
    "STOCK_HEADERS",
    "VISIT_HEADERS",
    "Period",
    "asb_rows",
    "complaint_count_rows",
    "hazard_rows",
    "neighbourhood_visit_rows",
    "repair_rows",
    "sample_check_rows",
    "stock_count_rows",
    "visit_rows",
    "write_csv",
]

REPAIR_HEADERS = (
    "Job Number",
    "Property Reference",
    "Priority",
    "Job Description",
    "Date Reported",
    "Target Date",
    "Appointment Made",
    "Appointment Kept",
    "Confirmation Sent",
    "Date Completed",
    "First Time Fix",
    "Cancelled",
    "Contractor",
    "Post Inspected",
    "Satisfied",
    "Emergency",
)
ASB_HEADERS = (
    "Case Reference",
    "Property Reference",
    "ASB Category",
    "Hate Incident",
    "Description",
    "Date Reported",
    "First Contact",
    "Date Closed",
)
SAMPLE_HEADERS = ("Check Reference", "Property Reference", "Standard Checked", "Date Checked", "Result", "How Checked")
PATROL_HEADERS = ("Visit Reference", "Neighbourhood", "Date Visited", "Officer")
VISIT_HEADERS = ("Visit Reference", "Property Reference", "Programme", "Works Start Date", "Date Visited")
HAZARD_HEADERS = ("Hazard Reference", "Property Reference", "Category", "Hazard Type", "Date Identified", "Date Fixed")
STOCK_HEADERS = ("As At", "Item", "Stock", "Total", "Count")
COMPLAINT_HEADERS = ("Year Starting", "Stock", "Stage", "Received", "Answered", "In Time", "In Time With Extension")

MINUTES_A_DAY = 1440
T = TypeVar("T")

# (description, weight, contractor kind) per repairs category.
REPAIR_JOBS: dict[str, tuple[tuple[str, float, str], ...]] = {
    "1": (
        ("No heating or hot water", 30, "gas"),
        ("Burst pipe, water leaking through ceiling", 18, "general"),
        ("Total loss of electricity", 10, "electrical"),
        ("Front door will not lock after break-in, make safe", 10, "general"),
        ("Blocked toilet, only toilet in the home", 12, "general"),
        ("Exposed live wires, make safe", 6, "electrical"),
        ("Gas leak reported, cap supply", 5, "gas"),
        ("Smashed window, board up", 9, "general"),
    ),
    "2": (
        ("Partial loss of heating", 20, "gas"),
        ("Leaking waste pipe under sink", 18, "general"),
        ("Faulty extractor fan in bathroom", 10, "electrical"),
        ("Blocked sink or bath", 16, "general"),
        ("Toilet not flushing", 12, "general"),
        ("Faulty socket or light fitting", 14, "electrical"),
        ("Broken window catch on upper floor", 10, "general"),
    ),
    "3": (
        ("Dripping tap", 14, "general"),
        ("Kitchen cupboard door hanging off", 12, "general"),
        ("Cracked floor tiles", 8, "general"),
        ("Internal door sticking", 10, "general"),
        ("Loose stair handrail", 6, "general"),
        ("Damp and mould in bedroom, treat and investigate", 12, "general"),
        ("Fence panel blown down", 9, "general"),
        ("Guttering blocked or leaking", 9, "general"),
        ("Replace broken light pull cord", 5, "electrical"),
        ("Bath sealant perished", 8, "general"),
        ("Radiator not heating fully, bleed and balance", 7, "gas"),
    ),
}
CONTRACTORS = {
    "gas": ("Kingfisher Gas Services", 1.0),
    "electrical": ("Brightwire Electrical", 1.0),
    # General repairs: the in-house team, plus two contractors each covering some areas.
    "general": ("Riverside Homes Repairs Team", 1.0),
}
AREA_CONTRACTORS = (
    ("Riverside Homes Repairs Team", 1.0),
    ("Apex Building Services", 1.0),
    # The one that struggles: more of its jobs are late.
    ("Castle Maintenance Ltd", 2.6),
)

ASB_TYPES: dict[str, tuple[tuple[str, float, bool], ...]] = {
    # (description, weight, hate incident)
    "1": (
        ("Racist abuse shouted at neighbour and their children", 8, True),
        ("Homophobic graffiti sprayed on front door", 5, True),
        ("Neighbour threatened resident with a knife", 8, False),
        ("Suspected drug dealing from flat, visitors all night", 18, False),
        ("Domestic abuse reported by neighbour", 12, False),
        ("Resident assaulted in the car park", 7, False),
        ("Bin store set on fire", 5, False),
        ("Serious harassment and intimidation by group of youths", 12, False),
        ("Transphobic messages posted through letterbox", 3, True),
    ),
    "2": (
        ("Loud music and parties every night", 30, False),
        ("Aggressive and abusive behaviour towards neighbours", 18, False),
        ("Verbal abuse and name calling in the street", 16, False),
        ("Drunk people gathering in the stairwell and shouting", 12, False),
        ("Religious abuse shouted at resident", 3, True),
        ("Written harassment left on car windscreen", 6, False),
    ),
    "3": (
        ("Dog barking for hours every day", 18, False),
        ("Dog fouling on the communal grass", 10, False),
        ("Parking dispute with neighbour over space", 14, False),
        ("Rubbish and fly tipping at the back of the block", 14, False),
        ("Untidy garden, overgrown hedges", 8, False),
        ("Minor noise, doors banging late at night", 12, False),
        ("Children kicking a ball against cars", 8, False),
        ("Car repairs on the estate road", 5, False),
        ("Vandalism to the communal door", 7, False),
    ),
}
ASB_CATEGORY_WEIGHTS = (("1", 0.22), ("2", 0.33), ("3", 0.45))
# Working days to first contact promised for each ASB category (Oxford: 1, 2-4 (kept as 4), 5).
ASB_CONTACT_DAYS = {"1": 1, "2": 4, "3": 5}
ASB_ON_TIME = {"1": 0.975, "2": 0.93, "3": 0.935}

PROGRAMMES = (
    ("Kitchen replacement", 30),
    ("Bathroom replacement", 22),
    ("Window and door replacement", 18),
    ("Roof renewal", 10),
    ("Heating upgrade", 20),
)
HAZARD_TYPES = (
    ("Damp and mould growth", 30),
    ("Excess cold", 18),
    ("Falls on stairs", 12),
    ("Electrical hazards", 10),
    ("Fire", 8),
    ("Falls between levels", 7),
    ("Entry by intruders", 6),
    ("Collision and entrapment", 5),
    ("Food safety", 4),
)


@dataclass(frozen=True)
class Period:
    """Reports from `start` (inclusive) up to `end`, the moment of the export (local, naive)."""

    start: datetime.date
    end: datetime.datetime

    def days(self) -> list[datetime.date]:
        n = (self.end.date() - self.start).days + 1
        return [self.start + datetime.timedelta(days=i) for i in range(max(n, 0))]


# --- Calendar helpers -------------------------------------------------------------------------


def _last_sunday(year: int, month: int) -> datetime.date:
    last = datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=(last.weekday() + 1) % 7)


class _Clock:
    """Times as minutes since the start of day 0 of an ordinal range, the working days of that
    range by index, and cached date and time strings, so a million rows format quickly."""

    def __init__(self, calendar: WorkingCalendar, first: datetime.date, last: datetime.date) -> None:
        self.calendar = calendar
        self.closes = calendar.rule.office_closes.hour * 60 + calendar.rule.office_closes.minute
        self.day_zero = calendar.rule.receipt_day_is_day_zero
        # Padding after `last` so completions and targets months after the end still resolve.
        self.first = first.toordinal()
        self.last = last.toordinal() + 400
        self.dates: dict[int, str] = {}
        self.working: list[int] = []
        # For each ordinal: the index in `working` of the first working day on or after it.
        self.on_or_after: dict[int, int] = {}
        pending: list[int] = []
        for ordinal in range(self.first - 400, self.last + 1):
            day = datetime.date.fromordinal(ordinal)
            self.dates[ordinal] = f"{day.day:02d}/{day.month:02d}/{day.year}"
            pending.append(ordinal)
            if calendar.is_working_day(day):
                for waiting in pending:
                    self.on_or_after[waiting] = len(self.working)
                pending = []
                self.working.append(ordinal)
        self.times = [f"{m // 60:02d}:{m % 60:02d}" for m in range(MINUTES_A_DAY)]
        years = range(first.year - 1, last.year + 3)
        self.clock_change_days = {_last_sunday(y, m).toordinal() for y in years for m in (3, 10)}
        self.non_working = {
            o
            for o in range(self.first - 400, self.last + 1)
            if not calendar.is_working_day(datetime.date.fromordinal(o))
        }

    def text(self, t: int) -> str:
        ordinal, minute = divmod(t, MINUTES_A_DAY)
        return f"{self.dates[ordinal]} {self.times[minute]}"

    def date_text(self, ordinal: int) -> str:
        return self.dates[ordinal]

    def safe(self, t: int) -> int:
        """Move a time in the skipped or repeated hour of a clock change to the hour after it."""
        ordinal, minute = divmod(t, MINUTES_A_DAY)
        if 60 <= minute < 120 and ordinal in self.clock_change_days:
            return t + 60
        return t

    def receipt_index(self, t: int) -> int:
        """Index in `working` of the effective receipt date (receipt rule)."""
        ordinal, minute = divmod(t, MINUTES_A_DAY)
        if ordinal not in self.non_working and minute < self.closes:
            return self.on_or_after[ordinal]
        return self.on_or_after[ordinal + 1]

    def due_index(self, t: int, working_days: int) -> int:
        n = working_days if self.day_zero else max(working_days - 1, 0)
        return self.receipt_index(t) + n


def _daily_weights(period: Period, calendar: WorkingCalendar, *, winter: float) -> list[tuple[int, float]]:
    """How busy each day is: weekdays full, weekends and holidays quiet, the first working day
    after a break busier, winter busier."""
    weights = []
    previous_working = True
    for day in period.days():
        working = calendar.is_working_day(day)
        if working:
            weight = 1.35 if not previous_working else 1.0
        elif day.weekday() == 5:
            weight = 0.28
        elif day.weekday() == 6:
            weight = 0.2
        else:  # a weekday bank holiday or closure day
            weight = 0.3
        season = 1 + winter * math.cos(2 * math.pi * (day.timetuple().tm_yday - 20) / 365.25)
        if day == period.end.date():
            weight *= min(1.0, (period.end.hour * 60 + period.end.minute) / MINUTES_A_DAY)
        weights.append((day.toordinal(), weight * season))
        previous_working = working
    return weights


def _allocate(total: int, weights: list[tuple[int, float]]) -> Iterator[tuple[int, int]]:
    """Share `total` out over the days in proportion to their weights, exactly (cumulative rounding)."""
    whole = sum(w for _, w in weights)
    if whole <= 0 or total <= 0:
        return
    running = 0.0
    given = 0
    for ordinal, weight in weights:
        running += weight
        upto = round(total * running / whole)
        if upto > given:
            yield ordinal, upto - given
            given = upto


def _chooser(items: Sequence[tuple[T, float]]) -> tuple[list[T], list[float]]:
    values = [v for v, _ in items]
    cum = []
    acc = 0.0
    for _, w in items:
        acc += w
        cum.append(acc)
    return values, cum


def _pick(rng: random.Random, values: list[T], cum: list[float]) -> T:
    return rng.choices(values, cum_weights=cum)[0]


def _report_minute(rng: random.Random, working: bool, *, emergency_hours: bool = False) -> int:
    """Minute of the day a report comes in: on working days mostly 08:00-17:00 with a morning
    peak; otherwise spread through the waking day; a few at night."""
    r = rng.random()
    if working:
        if r < 0.86:
            # Office hours, front-loaded: the square of a uniform leans towards the morning.
            return 8 * 60 + int(rng.random() ** 1.4 * 9 * 60)
        if r < 0.97:
            return 17 * 60 + int(rng.random() * 5 * 60)  # 17:00-22:00
        return int(rng.random() * 8 * 60)  # night, up to 08:00
    if r < 0.9:
        return 8 * 60 + int(rng.random() * 14 * 60)  # 08:00-22:00
    return int(rng.random() * 8 * 60) if rng.random() < 0.5 else 22 * 60 + int(rng.random() * 2 * 60)


def _yn(value: bool | None) -> str:
    return "" if value is None else ("Y" if value else "N")


def _areas(homes: Sequence[tuple[str, str]]) -> list[str]:
    return sorted({area for _, area in homes})


# --- Repairs ----------------------------------------------------------------------------------


def repair_rows(
    *,
    homes: Sequence[tuple[str, str]],
    period: Period,
    calendar: WorkingCalendar,
    jobs: int,
    seed: int,
    prefix: str = "RJ",
) -> Iterator[list[str]]:
    """`jobs` repairs jobs reported in `period` for `homes` ((property reference, area) pairs),
    header row first. On-time rates are set so most months meet the Oxford targets (99.6%, 99%,
    96.5%) and some do not."""
    rng = random.Random(f"repairs-{seed}")
    clock = _Clock(calendar, period.start, period.end.date())
    end_t = (period.end.date().toordinal()) * MINUTES_A_DAY + period.end.hour * 60 + period.end.minute
    areas = _areas(homes)
    # Each area's general repairs go to one team or contractor; the last area gets the weak one.
    area_contractor = {area: AREA_CONTRACTORS[min(i % 2, 1)] for i, area in enumerate(areas)}
    if len(areas) > 2:
        area_contractor[areas[-1]] = AREA_CONTRACTORS[2]
    descriptions = {cat: _chooser([((d, k), w) for d, w, k in options]) for cat, options in REPAIR_JOBS.items()}
    holiday_after = _after_breaks(clock)
    yield list(REPAIR_HEADERS)
    weights = _daily_weights(period, calendar, winter=0.22)
    number = 0
    home_count = len(homes)
    for ordinal, count in _allocate(jobs, weights):
        working = ordinal not in clock.non_working
        day = datetime.date.fromordinal(ordinal)
        christmas = (day.month == 12 and day.day >= 18) or (day.month == 1 and day.day <= 4)
        winter = day.month in (12, 1, 2)
        after_break = ordinal in holiday_after
        for _ in range(count):
            number += 1
            minute = _report_minute(rng, working)
            out_of_hours = not working or minute < 8 * 60 or minute >= 17 * 60
            r = rng.random()
            if out_of_hours:
                category = "1" if r < 0.45 else ("2" if r < 0.75 else "3")
            else:
                category = "1" if r < 0.095 else ("2" if r < 0.35 else "3")
            reported = clock.safe(ordinal * MINUTES_A_DAY + minute)
            if reported > end_t:
                reported = end_t
            reference, area = homes[rng.randrange(home_count)]
            description, kind = _pick(rng, *descriptions[category])
            contractor, weakness = area_contractor[area] if kind == "general" else CONTRACTORS[kind]
            # Chance of missing the target: the category's base, worse after a break, at Christmas,
            # in winter, and for the struggling contractor.
            miss = {"1": 0.0025, "2": 0.0065, "3": 0.022}[category]
            if after_break:
                miss *= 2.2
            if christmas:
                miss *= 3.0
            elif winter:
                miss *= 1.3
            miss *= weakness
            late = rng.random() < miss
            cancelled = rng.random() < 0.03
            if category == "1":
                target = reported + 24 * 60
                if late:
                    done = reported + 24 * 60 + 5 + int(rng.random() * 48 * 60)
                else:
                    # Most emergencies are made safe within a few hours.
                    done = reported + 20 + int(min(rng.expovariate(1 / 240), 23 * 60 + 20))
            else:
                amount = 3 if category == "2" else 28
                due = clock.due_index(reported, amount)
                target = clock.working[due] * MINUTES_A_DAY + 17 * 60
                first = clock.receipt_index(reported)
                if late:
                    day_index = due + 1 + int(rng.expovariate(1 / (2 if category == "2" else 6)))
                elif category == "2":
                    day_index = first + min(int(rng.random() * (amount + 1)), amount)
                else:
                    # Routine work is booked a week or more ahead, mostly in the second half.
                    day_index = first + min(3 + int(rng.betavariate(2.2, 1.4) * (amount - 2)), amount)
                done = clock.working[day_index] * MINUTES_A_DAY + 8 * 60 + int(rng.random() * 9 * 60 + 30)
                if done <= reported:
                    done = reported + 30 + int(rng.random() * 120)
            done = clock.safe(done)
            completed = None if (cancelled or done > end_t) else done
            appointment_made = appointment_kept = None
            letter = None
            if category != "1":
                appointment_made = rng.random() < 0.965
                if appointment_made:
                    appointment_kept = None if completed is None else rng.random() < 0.985
                    if rng.random() < 0.97:
                        # Letters usually go the next day; a few take a week.
                        delay = (
                            int(rng.random() * 2 * MINUTES_A_DAY)
                            if rng.random() < 0.96
                            else 4 * MINUTES_A_DAY + int(rng.random() * 3 * MINUTES_A_DAY)
                        )
                        letter_t = clock.safe(reported + 60 + delay)
                        letter = letter_t if letter_t <= end_t else None
            finished = completed is not None
            yield [
                f"{prefix}{number:07d}",
                reference,
                category,
                description,
                clock.text(reported),
                clock.text(clock.safe(target)),
                _yn(appointment_made),
                _yn(appointment_kept),
                "" if letter is None else clock.text(letter),
                "" if completed is None else clock.text(completed),
                _yn(rng.random() < (0.9 if category == "1" else 0.83)) if finished else "",
                "Y" if cancelled else "N",
                contractor,
                _yn(rng.random() < 0.145) if finished else "",
                _yn(rng.random() < 0.89) if finished and rng.random() < 0.27 else "",
                "Y" if category == "1" else "N",
            ]


def _after_breaks(clock: _Clock) -> set[int]:
    """The first two working days after a bank holiday or closure day (not after an ordinary
    weekend): the backlog makes these the worst days of the year."""
    days: set[int] = set()
    for index, ordinal in enumerate(clock.working[1:], start=1):
        gap = range(clock.working[index - 1] + 1, ordinal)
        if any(datetime.date.fromordinal(o).weekday() < 5 for o in gap):
            days.add(ordinal)
            if index + 1 < len(clock.working):
                days.add(clock.working[index + 1])
    return days


# --- ASB, planned works, hazards -------------------------------------------------------------


def asb_rows(
    *,
    homes: Sequence[tuple[str, str]],
    period: Period,
    calendar: WorkingCalendar,
    cases: int,
    seed: int,
    prefix: str = "ASB",
) -> Iterator[list[str]]:
    rng = random.Random(f"asb-{seed}")
    clock = _Clock(calendar, period.start, period.end.date())
    end_t = period.end.date().toordinal() * MINUTES_A_DAY + period.end.hour * 60 + period.end.minute
    types = {cat: _chooser([((d, h), w) for d, w, h in options]) for cat, options in ASB_TYPES.items()}
    categories = _chooser(list(ASB_CATEGORY_WEIGHTS))
    yield list(ASB_HEADERS)
    # ASB rises in summer, not winter.
    weights = _daily_weights(period, calendar, winter=-0.15)
    number = 0
    for ordinal, count in _allocate(cases, weights):
        working = ordinal not in clock.non_working
        for _ in range(count):
            number += 1
            category = str(_pick(rng, *categories))
            description, hate = _pick(rng, *types[category])
            reported = min(clock.safe(ordinal * MINUTES_A_DAY + _report_minute(rng, working)), end_t)
            reference, _ = homes[rng.randrange(len(homes))]
            due = clock.due_index(reported, ASB_CONTACT_DAYS[category])
            first = clock.receipt_index(reported)
            if rng.random() < ASB_ON_TIME[category]:
                day_index = first + int(rng.random() * (due - first + 1))
            else:
                day_index = due + 1 + int(rng.expovariate(1 / 2))
            contact = clock.safe(clock.working[day_index] * MINUTES_A_DAY + 9 * 60 + int(rng.random() * 8 * 60))
            if contact <= reported:
                contact = reported + 15 + int(rng.random() * 90)
            closed = contact + int((7 + rng.expovariate(1 / 40)) * MINUTES_A_DAY)
            closed = clock.safe(closed)
            yield [
                f"{prefix}{number:06d}",
                reference,
                category,
                _yn(hate),
                description,
                clock.text(reported),
                "" if contact > end_t else clock.text(contact),
                "" if closed > end_t else clock.text(closed),
            ]


def visit_rows(
    *, homes: Sequence[tuple[str, str]], period: Period, calendar: WorkingCalendar, visits: int, seed: int
) -> Iterator[list[str]]:
    """Visits before planned works start; works may be booked up to two months after the export."""
    rng = random.Random(f"visits-{seed}")
    clock = _Clock(calendar, period.start, period.end.date() + datetime.timedelta(days=70))
    programmes = _chooser(list(PROGRAMMES))
    today = period.end.date().toordinal()
    first = period.start.toordinal() + 14
    span = today + 60 - first
    yield list(VISIT_HEADERS)
    starts = sorted(first + int(rng.random() * span) for _ in range(visits))
    for number, start in enumerate(starts, start=1):
        start = clock.working[clock.on_or_after[start]]
        reference, _ = homes[rng.randrange(len(homes))]
        r = rng.random()
        if r < 0.94:
            notice = 7 + int(rng.random() * 21)
        elif r < 0.985:
            notice = 2 + int(rng.random() * 5)  # too little notice
        else:
            notice = None  # no visit recorded
        visited = None if notice is None else start - notice
        if visited is not None and visited > today:
            visited = None
        yield [
            f"PWV{number:06d}",
            reference,
            str(_pick(rng, *programmes)),
            clock.date_text(start),
            "" if visited is None else clock.date_text(visited),
        ]


OFFICERS = ("A. Patel", "J. Okafor", "S. Murray", "L. Nowak", "R. Hughes", "T. Begum")


def neighbourhood_visit_rows(
    *, neighbourhoods: Sequence[str], period: Period, calendar: WorkingCalendar, seed: int
) -> Iterator[list[str]]:
    """Housing officers' visits to each neighbourhood, week by week: usually two on working
    days, sometimes three, now and then only one or none (leave, sickness, snow)."""
    rng = random.Random(f"patrols-{seed}")
    clock = _Clock(calendar, period.start, period.end.date())
    yield list(PATROL_HEADERS)
    today = period.end.date().toordinal()
    monday = period.start.toordinal() - period.start.weekday()
    number = 0
    while monday <= today:
        working = [monday + d for d in range(5) if monday + d not in clock.non_working and monday + d <= today]
        for place in neighbourhoods:
            r = rng.random()
            visits = 2 if r < 0.9 else 3 if r < 0.95 else 1 if r < 0.99 else 0
            officer = OFFICERS[rng.randrange(len(OFFICERS))]
            for day in sorted(rng.sample(working, min(visits, len(working)))):
                number += 1
                yield [f"NV{number:06d}", place, clock.date_text(day), officer]
        monday += 7


# How each kind of promise is checked on a sample, by the start of the measure's code.
SAMPLE_METHODS = {"rep": "Post-inspection", "pm": "Tenant inspector visit", "asb": "Case file review"}


def sample_check_rows(
    *,
    homes: Sequence[tuple[str, str]],
    period: Period,
    calendar: WorkingCalendar,
    measures: Sequence[str],
    checks: int,
    seed: int,
) -> Iterator[list[str]]:
    """`checks` checks of each measure in `measures` (codes) on working days of the period; most
    pass (94 to 99.5% a measure, a little lower in winter)."""
    rng = random.Random(f"samples-{seed}")
    clock = _Clock(calendar, period.start, period.end.date())
    yield list(SAMPLE_HEADERS)
    first, last = period.start.toordinal(), period.end.date().toordinal()
    number = 0
    for code in measures:
        usual = 0.94 + rng.random() * 0.055
        method = SAMPLE_METHODS.get(code.split("-", 1)[0], "Sample check")
        for day in sorted(first + int(rng.random() * (last - first + 1)) for _ in range(checks)):
            day = clock.working[clock.on_or_after[day]]
            if day > last:
                continue
            number += 1
            winter = datetime.date.fromordinal(day).month in (12, 1, 2)
            passed = rng.random() < usual - (0.02 if winter else 0.0)
            reference, _ = homes[rng.randrange(len(homes))]
            yield [f"SC{number:07d}", reference, code, clock.date_text(day), _yn(passed), method]


def hazard_rows(
    *, homes: Sequence[tuple[str, str]], period: Period, calendar: WorkingCalendar, hazards: int, seed: int
) -> Iterator[list[str]]:
    rng = random.Random(f"hazards-{seed}")
    clock = _Clock(calendar, period.start, period.end.date())
    end_t = period.end.date().toordinal() * MINUTES_A_DAY + period.end.hour * 60 + period.end.minute
    types = _chooser(list(HAZARD_TYPES))
    yield list(HAZARD_HEADERS)
    weights = [(o, w if o not in clock.non_working else 0.0) for o, w in _daily_weights(period, calendar, winter=0.3)]
    number = 0
    for ordinal, count in _allocate(hazards, weights):
        for _ in range(count):
            number += 1
            hazard_type = str(_pick(rng, *types))
            severe = hazard_type in ("Damp and mould growth", "Excess cold", "Fire", "Electrical hazards")
            category = "1" if rng.random() < (0.4 if severe else 0.2) else "2"
            identified = ordinal * MINUTES_A_DAY + 9 * 60 + int(rng.random() * 7 * 60)
            if category == "1":
                days = rng.uniform(1, 29.5) if rng.random() < 0.95 else rng.uniform(31, 75)
            else:
                days = rng.uniform(10, 200)
            fixed = clock.safe(identified + int(days * MINUTES_A_DAY))
            reference, _ = homes[rng.randrange(len(homes))]
            yield [
                f"HZ{number:06d}",
                reference,
                category,
                hazard_type,
                clock.text(identified),
                "" if fixed > end_t else clock.text(fixed),
            ]


# --- Counts -----------------------------------------------------------------------------------


def stock_count_rows(*, homes: int, lcho_homes: int, as_at: Iterable[datetime.date], seed: int) -> Iterator[list[str]]:
    """Homes owned, Decent Homes failures and building-safety checks at each date, LCRA and LCHO."""
    rng = random.Random(f"stock-{seed}")
    yield list(STOCK_HEADERS)
    lcra = homes - lcho_homes
    buildings = max(1, lcra // 28)
    for day in sorted(as_at):
        text = f"{day.day:02d}/{day.month:02d}/{day.year}"
        yield [text, "homes", "LCRA", str(lcra), str(lcra)]
        yield [text, "rp01", "LCRA", str(lcra), str(int(lcra * rng.uniform(0.012, 0.035)))]
        gas = int(lcra * rng.uniform(0.82, 0.88))
        yield [text, "bs01", "LCRA", str(gas), str(gas - int(gas * rng.uniform(0.0, 0.004)))]
        yield [text, "bs02", "LCRA", str(buildings), str(buildings - rng.choice((0, 0, 1)))]
        yield [text, "bs03", "LCRA", str(buildings), str(buildings - rng.choice((0, 1, 2)))]
        yield [text, "bs04", "LCRA", str(buildings), str(buildings - rng.choice((0, 0, 1)))]
        lifts = max(1, buildings // 6)
        yield [text, "bs05", "LCRA", str(lifts), str(lifts)]
        if lcho_homes:
            yield [text, "homes", "LCHO", str(lcho_homes), str(lcho_homes)]


def complaint_count_rows(
    *, homes: int, lcho_homes: int, years: Iterable[int], seed: int, fraction: dict[int, float] | None = None
) -> Iterator[list[str]]:
    """Complaints received and answered in each reporting year (`fraction` scales a year still
    under way), stage 1 and stage 2, LCRA and LCHO."""
    rng = random.Random(f"complaints-{seed}")
    yield list(COMPLAINT_HEADERS)
    for year in sorted(years):
        share = (fraction or {}).get(year, 1.0)
        for stock, count in (("LCRA", homes - lcho_homes), ("LCHO", lcho_homes)):
            if count <= 0:
                continue
            for stage, per_thousand, in_time in ((1, 38.0, 0.86), (2, 6.5, 0.8)):
                received = round(count / 1000 * per_thousand * rng.uniform(0.85, 1.15) * share)
                answered = max(0, received - rng.randint(0, max(1, received // 25)))
                on_time = round(answered * in_time * rng.uniform(0.95, 1.05))
                on_time = min(on_time, answered)
                extended = min(answered - on_time, round(answered * rng.uniform(0.03, 0.07)))
                yield [str(year), stock, str(stage), str(received), str(answered), str(on_time), str(extended)]


def write_csv(target: Path | IO[str], rows: Iterable[list[str]]) -> int:
    """Write rows (header first) as CSV; returns the number of data rows."""
    count = -1
    if isinstance(target, Path):
        with target.open("w", newline="", encoding="utf-8") as handle:
            return write_csv(handle, rows)
    writer = csv.writer(target)
    for row in rows:
        writer.writerow(row)
        count += 1
    return max(count, 0)
