"""The one place that works out the stored facts of an operational record: its area, when it
was due, by which measure's timescale, and whether it was on time.

Everything is done the way `standards.selectors.Timescale.due_at` and the landlord's working-day
calendar (`core.calendar.calendar_for`) say; nothing here counts days itself. What makes it fast
enough for a million rows is remembering answers: the timescale in force for a category on a
local date, and the due moment for a category, a local date and whether the report came after
the office closed (every report of that category that day is due at the same moment when the
timescale is in working or calendar days; a timescale in hours is the same elapsed time from
every report). So a million rows ask the calendar a few thousand questions.

Instants are handled as integer microseconds since 1970-01-01 UTC ("us"), which compare and add
quickly and turn into aware datetimes with `from_us`. Files give UK local time (`local_to_us`).

Rules (docs/architecture.md, "How operational records are loaded"):
- repairs: due_at/due_rule from the timescale that sets the due moment for the job's category
  on the local date it was reported; on_time is null when cancelled, not completed or nothing
  sets a due moment, else completed_at <= due_at. The appointment letter has its own timescale
  (ending at letter_sent): letter_due_at, and letter_on_time (null when no timescale covers the
  category or the job is cancelled; false when the job was completed with no letter recorded).
- ASB cases: contact_due_at from the timescale ending at first contact; contact_on_time null
  until first contact, else first_contact_at <= contact_due_at.
- HHSRS hazards: due_at from the hazard timescale for the category on the date identified;
  on_time null until fixed.
- Planned works visits: enough_notice from the visit measure's "at least N days before works
  start" rule; null when the home has not been visited and works have not started, false when
  works started with no visit recorded.
"""

from __future__ import annotations

import datetime
from typing import Any

from core.calendar import WorkingCalendar, calendar_for
from standards.models import Event, Rule, Subject, Unit
from standards.selectors import Timescale, TimescaleTable, timescale_table

UTC = datetime.UTC
US = 1_000_000
HOUR_US = 3600 * US
DAY_US = 86400 * US
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()


def to_us(value: datetime.datetime) -> int:
    """An aware datetime as microseconds since the epoch."""
    if value.tzinfo is None:
        raise ValueError(f"A naive datetime is ambiguous: {value!r}")
    delta = value - _EPOCH
    return (delta.days * 86400 + delta.seconds) * US + delta.microseconds


def from_us(us: int) -> datetime.datetime:
    return _EPOCH + datetime.timedelta(microseconds=us)


def day_of(d: datetime.date) -> int:
    """A date as days since 1970-01-01."""
    return d.toordinal() - _EPOCH_ORDINAL


def date_of(day: int) -> datetime.date:
    return datetime.date.fromordinal(day + _EPOCH_ORDINAL)


class LocalTime:
    """UK local wall-clock time to and from UTC instants, with the offset remembered per hour
    (clocks change on the hour). A wall-clock time the spring change skips counts as the hour
    before the change (01:30 becomes 02:30 BST); one the autumn change repeats is taken as its
    first occurrence (BST), as zoneinfo does with fold=0."""

    def __init__(self, tz: datetime.tzinfo) -> None:
        self.tz = tz
        self._offset_local: dict[int, int] = {}
        self._offset_utc: dict[int, int] = {}

    def local_to_us(self, local_us: int) -> int:
        """Wall-clock microseconds (as if the local time were UTC) to the real instant."""
        hour = local_us // HOUR_US
        offset = self._offset_local.get(hour)
        if offset is None:
            wall = (_EPOCH + datetime.timedelta(microseconds=hour * HOUR_US)).replace(tzinfo=self.tz)
            offset = self._offset_local[hour] = int(wall.utcoffset().total_seconds()) * US  # type: ignore[union-attr]
        return local_us - offset

    def us_to_local(self, us: int) -> int:
        """The instant as wall-clock microseconds in local time."""
        hour = us // HOUR_US
        offset = self._offset_utc.get(hour)
        if offset is None:
            offset = self._offset_utc[hour] = (
                int(from_us(hour * HOUR_US).astimezone(self.tz).utcoffset().total_seconds()) * US  # type: ignore[union-attr]
            )
        return us + offset


class Deriver:
    """Works out stored facts for one landlord's records. Build one per import (it reads the
    calendar and the local offer's timescales once) and call it for every row."""

    def __init__(self, organisation: Any, *, calendar: WorkingCalendar | None = None) -> None:
        self.organisation = organisation
        self.calendar = calendar or calendar_for(organisation)
        self.clock = LocalTime(self.calendar.tz)
        self._closes_us = (
            self.calendar.rule.office_closes.hour * 3600
            + self.calendar.rule.office_closes.minute * 60
            + self.calendar.rule.office_closes.second
        ) * US
        self._tables: dict[str, TimescaleTable] = {}
        self._timescales: dict[tuple[str, str, int, str | None], Timescale | None] = {}
        self._dues: dict[tuple[int, int, bool], int] = {}
        self._hours: dict[int, int] = {}
        self._months: dict[int, str] = {}

    # --- Timescales -----------------------------------------------------------------------------

    def table(self, subject: str) -> TimescaleTable:
        if subject not in self._tables:
            self._tables[subject] = timescale_table(organisation=self.organisation, subject=subject)
        return self._tables[subject]

    def timescale(self, subject: str, category: str, day: int, end_event: str | None = None) -> Timescale | None:
        """The timescale for a record of `subject` and `category` started on local day `day`."""
        key = (subject, category, day, end_event)
        try:
            return self._timescales[key]
        except KeyError:
            found = self._timescales[key] = self.table(subject).on(category, date_of(day), end_event=end_event)
            return found

    def due_us(self, timescale: Timescale, started_us: int) -> int:
        """Timescale.due_at for a start instant, remembered per local date and whether the start
        was after the office closed (or per timescale, for one in hours)."""
        if timescale.unit == Unit.HOURS:
            delta = self._hours.get(timescale.version_id)
            if delta is None:
                start = from_us(started_us)
                delta = self._hours[timescale.version_id] = to_us(timescale.due_at(start, self.calendar)) - started_us
            return started_us + delta
        local = self.clock.us_to_local(started_us)
        day, into_day = divmod(local, DAY_US)
        key = (timescale.version_id, day, into_day >= self._closes_us)
        due = self._dues.get(key)
        if due is None:
            due = self._dues[key] = to_us(timescale.due_at(from_us(started_us), self.calendar))
        return due

    def local_day(self, us: int) -> int:
        return self.clock.us_to_local(us) // DAY_US

    def month(self, us: int | None) -> str | None:
        """The local month an instant falls in, as ISO text of its first day (the records' stored
        months, performance.models._Record.MONTHS)."""
        if us is None:
            return None
        day = self.local_day(us)
        found = self._months.get(day)
        if found is None:
            found = self._months[day] = date_of(day).replace(day=1).isoformat()
        return found

    # --- Records ----------------------------------------------------------------------------------

    def repair(
        self,
        *,
        category: str,
        reported_us: int,
        completed_us: int | None,
        letter_sent_us: int | None,
        cancelled: bool,
    ) -> tuple[int | None, int | None, bool | None, int | None, bool | None]:
        """(due_us, due_rule version id, on_time, letter_due_us, letter_on_time) of a repairs job."""
        day = self.local_day(reported_us)
        due = rule = on_time = letter_due = letter_on_time = None
        timescale = self.timescale(Subject.REPAIR, category, day)
        if timescale is not None:
            due, rule = self.due_us(timescale, reported_us), timescale.version_id
            if not cancelled and completed_us is not None:
                on_time = completed_us <= due
        letter = self.timescale(Subject.REPAIR, category, day, Event.LETTER_SENT)
        if letter is not None:
            letter_due = self.due_us(letter, reported_us)
            if not cancelled:
                if letter_sent_us is not None:
                    letter_on_time = letter_sent_us <= letter_due
                elif completed_us is not None:
                    letter_on_time = False
        return due, rule, on_time, letter_due, letter_on_time

    def asb_case(
        self, *, category: str, reported_us: int, first_contact_us: int | None
    ) -> tuple[int | None, int | None, bool | None]:
        """(contact_due_us, due_rule version id, contact_on_time) of an ASB case."""
        timescale = self.timescale(Subject.ASB_CASE, category, self.local_day(reported_us), Event.FIRST_CONTACT)
        if timescale is None:
            return None, None, None
        due = self.due_us(timescale, reported_us)
        return due, timescale.version_id, (None if first_contact_us is None else first_contact_us <= due)

    def hazard(
        self, *, category: str, identified_us: int, fixed_us: int | None
    ) -> tuple[int | None, int | None, bool | None]:
        """(due_us, due_rule version id, on_time) of an HHSRS hazard."""
        timescale = self.timescale(Subject.HAZARD, category, self.local_day(identified_us))
        if timescale is None:
            return None, None, None
        due = self.due_us(timescale, identified_us)
        return due, timescale.version_id, (None if fixed_us is None else fixed_us <= due)

    def visit_notice(
        self, *, works_start: datetime.date, visited: datetime.date | None, today: datetime.date
    ) -> bool | None:
        """Whether a home was visited with enough notice before planned works started, by the
        visit measure's rule ("at least N days before work starts"). None when no measure sets
        one, or the home is not visited yet and works have not started."""
        timescale = self.timescale(Subject.PLANNED_WORK, "", day_of(works_start), Event.WORKS_START)
        if timescale is None:
            return None
        if visited is None:
            return False if works_start <= today else None
        if timescale.unit == Unit.WORKING_DAYS:
            notice = self.calendar.working_days_between(visited, works_start)
        elif timescale.unit == Unit.HOURS:
            notice = (works_start - visited).days * 24
        else:
            notice = (works_start - visited).days
        if timescale.rule == Rule.AT_LEAST:
            return notice >= timescale.amount
        return 0 <= notice <= timescale.amount
