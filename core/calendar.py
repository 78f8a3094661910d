"""The one working-day calendar. Every deadline in the system (complaint stages, repair targets)
is worked out here, so that bank holidays, closure days, the receipt rule and clock changes are
handled the same way everywhere.

Terms used below:

* A *working day* is Monday to Friday and not a bank holiday or closure day.
* The *receipt rule*: anything received at or after the office closes, or on a non-working day,
  counts as received on the next working day (the *effective receipt date*).
* *Day zero*: usual practice is that the effective receipt date is day 0 and the next working day
  is day 1, so "5 working days" means the 5th working day after receipt. Some landlords count the
  receipt day itself as day 1, which makes every deadline one working day earlier.

The core (`WorkingCalendar`) is pure: it knows nothing about the database, so it can be tested
and used without one. `calendar_for` builds one from the stored bank holidays and closure days.
"""

from __future__ import annotations

import bisect
import calendar as month_calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays

if TYPE_CHECKING:
    from accounts.models import Organisation

__all__ = [
    "DEFAULT_RULE",
    "LONDON",
    "ReceiptRule",
    "WorkingCalendar",
    "calendar_for",
    "holidays_for",
    "package_calendar",
    "shift_months",
]

LONDON = ZoneInfo("Europe/London")

# The `holidays` package has no separate list for Wales: it shares England's bank holidays.
_SUBDIVISIONS = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ReceiptRule:
    """When a report counts as received, and whether the receipt day is day 0 or day 1."""

    office_opens: time = time(9)
    office_closes: time = time(17)
    receipt_day_is_day_zero: bool = True

    def __post_init__(self) -> None:
        # An empty or inverted office day would make working-hours arithmetic loop for ever.
        if self.office_opens >= self.office_closes:
            raise ValueError("The office must open before it closes.")
        if self.office_opens.tzinfo is not None or self.office_closes.tzinfo is not None:
            raise ValueError("Office hours are local wall-clock times and must not carry a time zone.")


DEFAULT_RULE = ReceiptRule()


def _require_aware(value: datetime, name: str) -> None:
    # A naive datetime is ambiguous (local? UTC?), and guessing wrong moves deadlines by an hour or a day.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a time-zone-aware datetime, got naive {value!r}.")


def _weekdays_through(d: date) -> int:
    """Number of Mondays-to-Fridays from 1 January 0001 (a Monday) to d inclusive."""
    weeks, into_week = divmod(d.toordinal() - 1, 7)
    return weeks * 5 + min(into_week + 1, 5)


class WorkingCalendar:
    """Working-day and office-hours arithmetic for one landlord (or one nation).

    `non_working_dates` is every bank holiday and closure day; weekends are always non-working
    and need not be listed. Dates outside the years supplied are treated as having no holidays.
    """

    def __init__(
        self,
        non_working_dates: Iterable[date],
        *,
        rule: ReceiptRule = DEFAULT_RULE,
        tz: ZoneInfo = LONDON,
    ) -> None:
        # A set makes each lookup O(1), so adding n working days costs O(days), not O(days * holidays).
        self.non_working_dates: frozenset[date] = frozenset(non_working_dates)
        self.rule = rule
        self.tz = tz
        # Holidays that fall on a weekday, sorted, so working_days_between can count them by bisection.
        self._weekday_closures: list[date] = sorted(d for d in self.non_working_dates if d.weekday() < 5)

    def __repr__(self) -> str:
        return f"<WorkingCalendar {len(self.non_working_dates)} non-working dates, {self.rule!r}, {self.tz}>"

    # --- Days -------------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday and not a bank holiday or closure day."""
        return d.weekday() < 5 and d not in self.non_working_dates

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after d."""
        d += _ONE_DAY
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    def working_day_on_or_after(self, d: date) -> date:
        """d itself if it is a working day, otherwise the next working day."""
        return d if self.is_working_day(d) else self.next_working_day(d)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after start (start itself is not counted).

        n == 0 gives working_day_on_or_after(start). Negative n raises ValueError: nothing in the
        system counts backwards, so a negative value is a bug upstream.
        """
        if n < 0:
            raise ValueError(f"Cannot add a negative number of working days ({n}).")
        if n == 0:
            return self.working_day_on_or_after(start)
        d = start
        for _ in range(n):
            d = self.next_working_day(d)
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days d satisfy start < d <= end (0 if end <= start).

        This is the inverse of add_working_days: for a working day s,
        working_days_between(s, add_working_days(s, n)) == n. Use it for "how many working days
        late" or "days taken" figures.
        """
        if end <= start:
            return 0
        weekdays = _weekdays_through(end) - _weekdays_through(start)
        closures = bisect.bisect_right(self._weekday_closures, end) - bisect.bisect_right(self._weekday_closures, start)
        return weekdays - closures

    # --- Receipt and due dates ---------------------------------------------------------------

    def effective_receipt_date(self, received_at: datetime) -> date:
        """The local date a report counts as received on, under the receipt rule.

        Received on a working day before office_closes: that day (even before the office opens).
        Received at or after office_closes, or on a weekend, bank holiday or closure day: the next
        working day.
        """
        _require_aware(received_at, "received_at")
        local = received_at.astimezone(self.tz)
        day = local.date()
        if not self.is_working_day(day) or local.time() >= self.rule.office_closes:
            return self.next_working_day(day)
        return day

    def due_date(self, received_at: datetime, working_days: int) -> date:
        """The last date for a response due within `working_days` working days of receipt.

        Day-zero rule (the default): the effective receipt date is day 0, so the due date is the
        `working_days`-th working day after it. Otherwise the receipt day is day 1, so the due date
        is one working day earlier. With the receipt day as day 1 a limit of 0 days is treated
        like 1 (due on the effective receipt date), since a deadline cannot precede receipt.
        """
        if working_days < 0:
            raise ValueError(f"A time limit cannot be negative ({working_days} working days).")
        effective = self.effective_receipt_date(received_at)
        if self.rule.receipt_day_is_day_zero:
            return self.add_working_days(effective, working_days)
        return self.add_working_days(effective, max(working_days - 1, 0))

    # --- Hours -------------------------------------------------------------------------------

    def add_hours(self, at: datetime, hours: float) -> datetime:
        """`at` plus `hours` of elapsed real time, returned in local time.

        Done in UTC so a clock change is respected: 24 hours after 12:00 on the Saturday before
        the clocks go forward is 13:00 on the Sunday. (Adding a timedelta to a local datetime would
        give wall-clock arithmetic instead, i.e. 12:00, which is 23 real hours.)

        Note: subtracting two datetimes that share the same tzinfo also ignores the clock change,
        so compare results in UTC.
        """
        _require_aware(at, "at")
        return (at.astimezone(UTC) + timedelta(hours=hours)).astimezone(self.tz)

    def _open_at(self, d: date) -> datetime:
        return datetime.combine(d, self.rule.office_opens)

    def add_working_hours(self, at: datetime, hours: float) -> datetime:
        """`at` plus `hours` counted only while the office is open on working days.

        Counted in local wall-clock time (an office day is office_opens to office_closes whatever
        the clocks did overnight). A start before opening counts from opening; a start at or after
        closing, or on a non-working day, counts from the next working day's opening. A result that
        lands exactly on closing time stays at closing time rather than rolling to the next day.
        """
        _require_aware(at, "at")
        if hours < 0:
            raise ValueError(f"Cannot add a negative number of working hours ({hours}).")
        opens, closes = self.rule.office_opens, self.rule.office_closes
        # Naive local wall-clock from here on; re-attached to the zone at the end.
        cursor = at.astimezone(self.tz).replace(tzinfo=None)
        if not self.is_working_day(cursor.date()) or cursor.time() >= closes:
            cursor = self._open_at(self.next_working_day(cursor.date()))
        elif cursor.time() < opens:
            cursor = self._open_at(cursor.date())

        remaining = timedelta(hours=hours)
        while True:
            left_today = datetime.combine(cursor.date(), closes) - cursor
            if remaining <= left_today:
                cursor += remaining
                break
            remaining -= left_today
            cursor = self._open_at(self.next_working_day(cursor.date()))

        # Round-trip through UTC so a wall-clock time skipped by a clock change (only possible with
        # unusual office hours) comes back as a real instant.
        return cursor.replace(tzinfo=self.tz).astimezone(UTC).astimezone(self.tz)


# --- Building calendars ------------------------------------------------------------------------


def holidays_for(nation: str, years: Iterable[int]) -> dict[date, str]:
    """Bank holidays (including substitute days) for a nation from the `holidays` package.

    `nation` is an accounts.models.Nation value. Holidays falling on a weekend are included
    as the package lists them; the substitute weekday is listed separately.
    """
    try:
        subdiv = _SUBDIVISIONS[nation]
    except KeyError:
        raise ValueError(f"Unknown nation {nation!r}; expected one of {', '.join(_SUBDIVISIONS)}.") from None
    return dict(holidays.country_holidays("GB", subdiv=subdiv, years=list(years)).items())


def package_calendar(
    nation: str,
    years: Iterable[int] = range(2020, 2041),
    rule: ReceiptRule = DEFAULT_RULE,
) -> WorkingCalendar:
    """A calendar from the `holidays` package alone, with no closure days and no database.

    For tests and scripts. Live deadlines should use calendar_for, which respects holidays
    added by staff and the landlord's closure days.
    """
    return WorkingCalendar(holidays_for(nation, years), rule=rule)


def calendar_for(organisation: Organisation) -> WorkingCalendar:
    """The calendar for one landlord: its nation's stored bank holidays plus its closure days,
    with its own office hours and day-zero setting. Two queries.

    The stored BankHoliday table is the source of truth (staff can add one-off holidays), so it
    must have been filled by `manage.py sync_bank_holidays`.
    """
    # Imported here so the rest of this module works without Django being set up.
    from core.models import BankHoliday, ClosureDay

    bank_holidays = BankHoliday.objects.filter(nation=organisation.nation).values_list("date", flat=True)
    closures = ClosureDay.objects.filter(organisation=organisation).values_list("date", flat=True)
    rule = ReceiptRule(
        office_opens=organisation.office_opens,
        office_closes=organisation.office_closes,
        receipt_day_is_day_zero=organisation.receipt_day_is_day_zero,
    )
    return WorkingCalendar([*bank_holidays, *closures], rule=rule)


def shift_months(day: date, months: int) -> date:
    """`day` moved by whole months (back when negative); the last day of a month stays the last
    day of a month, and a day the target month lacks becomes its last (31 January + 1: 28 or 29
    February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = month_calendar.monthrange(year, month)[1]
    if day.day == month_calendar.monthrange(day.year, day.month)[1]:
        return date(year, month, last)
    return date(year, month, min(day.day, last))
