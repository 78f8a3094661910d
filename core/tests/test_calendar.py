"""Tests for core.calendar (pure: no database) and the calendar write services (marked django_db).

Every fixed date below was worked out by hand from the published UK bank holidays; the working is
in the comments so a reader can check it without running anything.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.calendar import (
    LONDON,
    ReceiptRule,
    WorkingCalendar,
    holidays_for,
    package_calendar,
)

ENGLAND = "england-and-wales"
SCOTLAND = "scotland"
NORTHERN_IRELAND = "northern-ireland"

# One year either side of the property-test range, so results that run past 2040 still see holidays.
YEARS = range(2019, 2043)
ENG = package_calendar(ENGLAND, YEARS)
SCT = package_calendar(SCOTLAND, YEARS)
ENG_DAY_ONE = package_calendar(ENGLAND, YEARS, ReceiptRule(receipt_day_is_day_zero=False))
# Independent list for the "never a holiday" property, so it does not just check the calendar against itself.
ENG_HOLIDAYS = set(holidays_for(ENGLAND, YEARS))


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)  # type: ignore[misc]


# --- Bank holidays -------------------------------------------------------------------------------


def test_easter_2026_england_has_good_friday_and_easter_monday() -> None:
    assert not ENG.is_working_day(date(2026, 4, 3))  # Good Friday
    assert not ENG.is_working_day(date(2026, 4, 6))  # Easter Monday
    assert ENG.is_working_day(date(2026, 4, 2))
    assert ENG.is_working_day(date(2026, 4, 7))
    # Thursday 2 April -> next working day skips Fri (holiday), the weekend and Mon (holiday).
    assert ENG.next_working_day(date(2026, 4, 2)) == date(2026, 4, 7)


def test_easter_monday_is_not_a_holiday_in_scotland() -> None:
    assert not SCT.is_working_day(date(2026, 4, 3))  # Good Friday is a Scottish bank holiday
    assert SCT.is_working_day(date(2026, 4, 6))  # Easter Monday is not
    assert date(2026, 4, 6) not in holidays_for(SCOTLAND, [2026])
    assert SCT.next_working_day(date(2026, 4, 2)) == date(2026, 4, 6)


def test_christmas_2026_boxing_day_substitute_is_monday_28th() -> None:
    # 25 Dec 2026 is a Friday; 26 Dec is a Saturday, so the substitute day is Monday 28 Dec.
    assert date(2026, 12, 25).weekday() == 4
    assert date(2026, 12, 28) in holidays_for(ENGLAND, [2026])
    for d in (date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 27), date(2026, 12, 28)):
        assert not ENG.is_working_day(d)
    assert ENG.is_working_day(date(2026, 12, 29))
    assert ENG.next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)


def test_christmas_2027_two_substitute_days() -> None:
    # 25 Dec 2027 is a Saturday and 26th a Sunday, so Monday 27th and Tuesday 28th are holidays.
    assert date(2027, 12, 25).weekday() == 5
    holidays_2027 = holidays_for(ENGLAND, [2027])
    assert date(2027, 12, 27) in holidays_2027
    assert date(2027, 12, 28) in holidays_2027
    assert ENG.next_working_day(date(2027, 12, 24)) == date(2027, 12, 29)


def test_scotland_has_2_january() -> None:
    # 2 Jan 2026 is a Friday: a holiday in Scotland only.
    assert not SCT.is_working_day(date(2026, 1, 2))
    assert ENG.is_working_day(date(2026, 1, 2))
    # 2 Jan 2027 is a Saturday, so Scotland's substitute is Monday 4 Jan 2027 (England works that day).
    assert not SCT.is_working_day(date(2027, 1, 4))
    assert ENG.is_working_day(date(2027, 1, 4))


def test_holidays_for_each_nation_and_unknown_nation() -> None:
    assert date(2026, 3, 17) in holidays_for(NORTHERN_IRELAND, [2026])  # St Patrick's Day
    assert date(2026, 3, 17) not in holidays_for(ENGLAND, [2026])
    assert date(2026, 11, 30) in holidays_for(SCOTLAND, [2026])  # St Andrew's Day
    with pytest.raises(ValueError, match="Unknown nation"):
        holidays_for("wales", [2026])


# --- Working-day arithmetic ----------------------------------------------------------------------


def test_add_working_days_basics() -> None:
    monday = date(2026, 5, 11)
    assert ENG.add_working_days(monday, 0) == monday
    assert ENG.add_working_days(monday, 1) == date(2026, 5, 12)
    assert ENG.add_working_days(monday, 5) == date(2026, 5, 18)  # next Monday
    saturday = date(2026, 5, 16)
    assert ENG.add_working_days(saturday, 0) == date(2026, 5, 18)
    assert ENG.add_working_days(saturday, 1) == date(2026, 5, 18)
    with pytest.raises(ValueError, match="negative"):
        ENG.add_working_days(monday, -1)


def test_working_days_between() -> None:
    # Wed 23 Dec 2026 to Mon 4 Jan 2027 in England: 24, 29, 30, 31 Dec and 4 Jan.
    assert ENG.working_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 5
    assert ENG.working_days_between(date(2027, 1, 4), date(2026, 12, 23)) == 0
    assert ENG.working_days_between(date(2026, 12, 23), date(2026, 12, 23)) == 0
    # Over a weekend only: Fri -> Sun is nothing, Fri -> Mon is one.
    assert ENG.working_days_between(date(2026, 5, 15), date(2026, 5, 17)) == 0
    assert ENG.working_days_between(date(2026, 5, 15), date(2026, 5, 18)) == 1


# --- Receipt rule and due dates ------------------------------------------------------------------


def test_due_date_over_christmas_2026_day_zero() -> None:
    # Received Wed 23 Dec 2026 10:00, a working day before closing: day 0 is 23 Dec.
    # Day 1 Thu 24 Dec; Fri 25 (Christmas), Sat, Sun, Mon 28 (Boxing Day substitute) skipped;
    # day 2 Tue 29, day 3 Wed 30, day 4 Thu 31; Fri 1 Jan (New Year's Day), Sat, Sun skipped;
    # day 5 Mon 4 Jan 2027.
    received = london(2026, 12, 23, 10)
    assert ENG.effective_receipt_date(received) == date(2026, 12, 23)
    assert ENG.due_date(received, 5) == date(2027, 1, 4)
    # In Scotland Mon 4 Jan 2027 is the substitute for 2 Jan, so day 5 is Tue 5 Jan.
    assert SCT.due_date(received, 5) == date(2027, 1, 5)


def test_receipt_day_as_day_one_gives_one_day_less() -> None:
    received = london(2026, 12, 23, 10)
    # The receipt day is day 1, so day 5 is the 4th working day after it: Thu 31 Dec 2026.
    assert ENG_DAY_ONE.due_date(received, 5) == date(2026, 12, 31)
    assert ENG_DAY_ONE.due_date(received, 1) == date(2026, 12, 23)
    # A limit of 0 cannot fall before receipt: it is treated like 1.
    assert ENG_DAY_ONE.due_date(received, 0) == date(2026, 12, 23)
    assert ENG.due_date(received, 0) == date(2026, 12, 23)


def test_received_after_closing_on_christmas_eve_counts_from_29_december() -> None:
    # Thu 24 Dec 2026 17:30 is after 17:00 closing -> next working day, skipping 25-28 Dec.
    assert ENG.effective_receipt_date(london(2026, 12, 24, 17, 30)) == date(2026, 12, 29)
    # Exactly at closing also counts as after; a minute before does not.
    assert ENG.effective_receipt_date(london(2026, 12, 24, 17, 0)) == date(2026, 12, 29)
    assert ENG.effective_receipt_date(london(2026, 12, 24, 16, 59)) == date(2026, 12, 24)
    # Before opening on a working day is still that day (the rule only moves late and non-working receipts).
    assert ENG.effective_receipt_date(london(2026, 12, 24, 7, 0)) == date(2026, 12, 24)
    # Day zero is 29 Dec, so 1 working day later is Wed 30 Dec.
    assert ENG.due_date(london(2026, 12, 24, 17, 30), 1) == date(2026, 12, 30)


def test_received_on_saturday_counts_as_monday() -> None:
    saturday = london(2026, 5, 16, 11)
    assert ENG.effective_receipt_date(saturday) == date(2026, 5, 18)
    # Monday is day 0, so 1 working day is Tuesday; counting Monday as day 1, it is Monday.
    assert ENG.due_date(saturday, 1) == date(2026, 5, 19)
    assert ENG_DAY_ONE.due_date(saturday, 1) == date(2026, 5, 18)
    # Received on a bank holiday (Easter Monday 2026) counts as Tuesday 7 April.
    assert ENG.effective_receipt_date(london(2026, 4, 6, 10)) == date(2026, 4, 7)


def test_receipt_time_is_converted_to_london_time() -> None:
    # 16:30 UTC on 10 June 2026 is 17:30 BST: after closing, so the next day.
    assert ENG.effective_receipt_date(datetime(2026, 6, 10, 16, 30, tzinfo=UTC)) == date(2026, 6, 11)
    # 16:30 UTC on 10 December 2026 is 16:30 GMT: before closing, so the same day.
    assert ENG.effective_receipt_date(datetime(2026, 12, 10, 16, 30, tzinfo=UTC)) == date(2026, 12, 10)
    # 23:30 UTC on Friday 15 May 2026 is 00:30 BST on Saturday -> Monday.
    assert ENG.effective_receipt_date(datetime(2026, 5, 15, 23, 30, tzinfo=UTC)) == date(2026, 5, 18)


def test_custom_office_hours_change_the_cut_off() -> None:
    early = package_calendar(ENGLAND, YEARS, ReceiptRule(office_opens=time(8), office_closes=time(16)))
    assert early.effective_receipt_date(london(2026, 5, 12, 16, 30)) == date(2026, 5, 13)
    assert ENG.effective_receipt_date(london(2026, 5, 12, 16, 30)) == date(2026, 5, 12)


def test_naive_datetimes_and_bad_rules_are_rejected() -> None:
    naive = datetime(2026, 5, 12, 10)
    with pytest.raises(ValueError, match="aware"):
        ENG.effective_receipt_date(naive)
    with pytest.raises(ValueError, match="aware"):
        ENG.due_date(naive, 5)
    with pytest.raises(ValueError, match="aware"):
        ENG.add_hours(naive, 1)
    with pytest.raises(ValueError, match="aware"):
        ENG.add_working_hours(naive, 1)
    with pytest.raises(ValueError, match="negative"):
        ENG.due_date(london(2026, 5, 12, 10), -1)
    with pytest.raises(ValueError, match="negative"):
        ENG.add_working_hours(london(2026, 5, 12, 10), -1)
    with pytest.raises(ValueError, match="open before it closes"):
        ReceiptRule(office_opens=time(17), office_closes=time(9))


def test_christmas_shutdown_closure_days_push_the_due_date() -> None:
    shutdown = [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)]
    calendar = WorkingCalendar([*holidays_for(ENGLAND, [2026, 2027]), *shutdown])
    received = london(2026, 12, 23, 10)
    # Day 0 Wed 23 Dec; day 1 Thu 24; 25 Dec-3 Jan all closed; days 2-5 are Mon 4 to Thu 7 Jan 2027.
    assert calendar.due_date(received, 5) == date(2027, 1, 7)
    assert ENG.due_date(received, 5) == date(2027, 1, 4)  # without the shutdown
    # Received after closing on 24 Dec: nothing is open until Mon 4 Jan 2027.
    assert calendar.effective_receipt_date(london(2026, 12, 24, 17, 30)) == date(2027, 1, 4)
    assert calendar.working_days_between(date(2026, 12, 23), date(2027, 1, 7)) == 5


# --- Hours and clock changes -----------------------------------------------------------------------


def test_add_hours_across_spring_clock_change() -> None:
    # Clocks go forward at 01:00 UTC on Sun 29 March 2026. Sat 12:00 GMT is 12:00 UTC; 24 hours
    # later is Sun 12:00 UTC, which is 13:00 BST.
    start = london(2026, 3, 28, 12)
    result = ENG.add_hours(start, 24)
    assert result == london(2026, 3, 29, 13)
    assert (result.hour, result.utcoffset()) == (13, timedelta(hours=1))
    assert result.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=24)


def test_add_hours_across_autumn_clock_change() -> None:
    # Clocks go back at 01:00 UTC on Sun 25 October 2026. Sat 12:00 BST is 11:00 UTC; 24 hours
    # later is Sun 11:00 UTC, which is 11:00 GMT.
    start = london(2026, 10, 24, 12)
    result = ENG.add_hours(start, 24)
    assert result == london(2026, 10, 25, 11)
    assert (result.hour, result.utcoffset()) == (11, timedelta(0))
    assert result.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=24)


def test_add_hours_returns_local_time_for_utc_input() -> None:
    result = ENG.add_hours(datetime(2026, 7, 1, 9, tzinfo=UTC), 1.5)
    assert result.tzinfo == LONDON
    assert (result.hour, result.minute) == (11, 30)  # 10:30 UTC is 11:30 BST


def test_add_working_hours_within_a_day_and_across_a_weekend() -> None:
    assert ENG.add_working_hours(london(2026, 5, 12, 10), 3) == london(2026, 5, 12, 13)
    # Landing exactly on closing time stays on that day.
    assert ENG.add_working_hours(london(2026, 5, 12, 10), 7) == london(2026, 5, 12, 17)
    # Fri 15 May 2026 16:00 + 3 working hours: 1 hour on Friday, 2 on Monday -> Mon 11:00.
    assert ENG.add_working_hours(london(2026, 5, 15, 16), 3) == london(2026, 5, 18, 11)
    # Starting before opening counts from opening; after closing or at the weekend from the next opening.
    assert ENG.add_working_hours(london(2026, 5, 12, 6), 1) == london(2026, 5, 12, 10)
    assert ENG.add_working_hours(london(2026, 5, 12, 18), 1) == london(2026, 5, 13, 10)
    assert ENG.add_working_hours(london(2026, 5, 16, 12), 0.5) == london(2026, 5, 18, 9, 30)
    # 16 working hours from Mon 09:00 is two full office days: Tue 17:00.
    assert ENG.add_working_hours(london(2026, 5, 11, 9), 16) == london(2026, 5, 12, 17)


def test_add_working_hours_across_bank_holidays() -> None:
    # Thu 2 April 2026 16:00 + 2 hours: 1 on Thursday, then Good Friday, the weekend and Easter
    # Monday are skipped, 1 hour on Tue 7 April -> 10:00.
    assert ENG.add_working_hours(london(2026, 4, 2, 16), 2) == london(2026, 4, 7, 10)


def test_add_working_hours_across_clock_changes_uses_wall_clock() -> None:
    # Fri 27 March 2026 16:00 GMT + 2 working hours: 1 on Friday, 1 on Monday 30 March -> 10:00 BST,
    # although more than 2 real hours plus the weekend have passed, and the weekend was 1 hour short.
    result = ENG.add_working_hours(london(2026, 3, 27, 16), 2)
    assert result == london(2026, 3, 30, 10)
    assert result.utcoffset() == timedelta(hours=1)
    # Fri 23 October 2026 16:30 BST + 1 hour -> Mon 26 October 09:30 GMT.
    result = ENG.add_working_hours(london(2026, 10, 23, 16, 30), 1)
    assert result == london(2026, 10, 26, 9, 30)
    assert result.utcoffset() == timedelta(0)


# --- Properties ----------------------------------------------------------------------------------

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))
counts = st.integers(min_value=0, max_value=60)
zones = st.sampled_from([LONDON, UTC, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")])
# Hypothesis takes naive bounds and attaches the zones itself; imaginary (skipped) wall-clock times are excluded.
aware_datetimes = st.datetimes(
    min_value=datetime(2020, 1, 1),
    max_value=datetime(2040, 12, 31, 23, 59),
    timezones=zones,
    allow_imaginary=False,
)


@given(start=dates, n=counts)
def test_add_working_days_lands_on_a_working_day_and_round_trips(start: date, n: int) -> None:
    result = ENG.add_working_days(start, n)
    assert result >= start
    assert result.weekday() < 5
    assert result not in ENG_HOLIDAYS
    assert ENG.is_working_day(result)
    if n > 0:
        assert result > start
    if ENG.is_working_day(start):
        assert ENG.working_days_between(start, result) == n


@given(start=dates, n=counts)
def test_add_working_days_is_monotonic(start: date, n: int) -> None:
    this, following = ENG.add_working_days(start, n), ENG.add_working_days(start, n + 1)
    assert this <= following
    if n > 0 or ENG.is_working_day(start):
        # Strictly increasing, one working day per step.
        assert following == ENG.next_working_day(this) > this
    else:
        # From a non-working day, 0 and 1 working days both give the first working day after it:
        # n == 0 means "on or after", n == 1 means "the first working day after".
        assert this == following == ENG.next_working_day(start)


@given(start=dates, days=st.integers(min_value=-10, max_value=120))
def test_working_days_between_matches_counting_one_by_one(start: date, days: int) -> None:
    end = start + timedelta(days=days)
    expected = sum(1 for k in range(1, days + 1) if ENG.is_working_day(start + timedelta(days=k)))
    assert ENG.working_days_between(start, end) == expected


@given(received=aware_datetimes, n=counts)
def test_due_date_is_on_or_after_effective_receipt(received: datetime, n: int) -> None:
    effective = ENG.effective_receipt_date(received)
    assert effective >= received.astimezone(LONDON).date()
    assert ENG.is_working_day(effective)
    due = ENG.due_date(received, n)
    assert due >= effective
    assert ENG.is_working_day(due)
    assert ENG.working_days_between(effective, due) == n
    # Counting the receipt day as day 1 is exactly one working day earlier (never before receipt).
    assert ENG_DAY_ONE.due_date(received, n) == ENG.due_date(received, max(n - 1, 0))


@given(at=aware_datetimes, hours=st.floats(min_value=-2000, max_value=2000, allow_nan=False))
def test_add_hours_is_exact_elapsed_time(at: datetime, hours: float) -> None:
    result = ENG.add_hours(at, hours)
    assert result.tzinfo == LONDON
    # Compared in UTC: subtracting two datetimes with the same tzinfo would ignore clock changes.
    assert result.astimezone(UTC) - at.astimezone(UTC) == timedelta(hours=hours)


@given(
    at=aware_datetimes,
    hours=st.floats(min_value=0, max_value=500, allow_nan=False),
    rule=st.sampled_from([ReceiptRule(), ReceiptRule(office_opens=time(8, 30), office_closes=time(16, 45))]),
)
def test_add_working_hours_lands_in_office_hours(at: datetime, hours: float, rule: ReceiptRule) -> None:
    calendar = WorkingCalendar(ENG.non_working_dates, rule=rule)
    result = calendar.add_working_hours(at, hours)
    local = result.astimezone(LONDON)
    assert result.tzinfo == LONDON
    assert calendar.is_working_day(local.date())
    assert rule.office_opens <= local.time() <= rule.office_closes
    assert result >= at  # aware comparison across zones is by instant


@given(
    at=aware_datetimes, first=st.integers(min_value=0, max_value=100), second=st.integers(min_value=1, max_value=100)
)
def test_add_working_hours_is_additive(at: datetime, first: int, second: int) -> None:
    assert ENG.add_working_hours(ENG.add_working_hours(at, first), second) == ENG.add_working_hours(at, first + second)


# --- Database: stored holidays, closure days and services ---------------------------------------------


@pytest.fixture
def organisation():  # type: ignore[no-untyped-def]
    from accounts.models import Organisation

    return Organisation.objects.create(name="Test Homes", slug="test-homes", nation=ENGLAND)


@pytest.fixture
def officer(organisation):  # type: ignore[no-untyped-def]
    from accounts.models import User

    return User.objects.create_user(username="officer", organisation=organisation)


@pytest.mark.django_db
def test_db_bank_holidays_sync_is_idempotent() -> None:
    from core.models import BankHoliday

    # The migration seeds 2000–2040; start empty to see what a sync adds.
    from core.models import BankHoliday as _BH
    from core.services import bank_holidays_sync

    _BH.objects.all().delete()

    expected = sum(len(holidays_for(nation, [2026, 2027])) for nation in (ENGLAND, SCOTLAND, NORTHERN_IRELAND))
    assert bank_holidays_sync(years=[2026, 2027]) == expected
    assert BankHoliday.objects.count() == expected
    assert bank_holidays_sync(years=[2026, 2027]) == 0
    assert BankHoliday.objects.count() == expected
    assert BankHoliday.objects.filter(nation=SCOTLAND, date=date(2026, 1, 2)).exists()
    assert not BankHoliday.objects.filter(nation=ENGLAND, date=date(2026, 1, 2)).exists()


@pytest.mark.django_db
def test_db_bank_holidays_sync_keeps_staff_rows() -> None:
    from core.models import BankHoliday

    # The migration seeds 2000–2040; start empty to see what a sync adds.
    from core.models import BankHoliday as _BH
    from core.services import bank_holidays_sync

    _BH.objects.all().delete()

    BankHoliday.objects.create(nation=ENGLAND, date=date(2026, 12, 25), name="Staff wording", added_by_staff=True)
    one_off = BankHoliday.objects.create(nation=ENGLAND, date=date(2026, 9, 21), name="One-off", added_by_staff=True)
    BankHoliday.objects.create(nation=ENGLAND, date=date(2026, 8, 31), name="Old package name")

    added = bank_holidays_sync(years=[2026], nations=[ENGLAND])

    assert added == len(holidays_for(ENGLAND, [2026])) - 2
    christmas = BankHoliday.objects.get(nation=ENGLAND, date=date(2026, 12, 25))
    assert (christmas.name, christmas.added_by_staff) == ("Staff wording", True)
    assert BankHoliday.objects.filter(pk=one_off.pk).exists()
    # A row the package loaded is refreshed from the package.
    assert BankHoliday.objects.get(nation=ENGLAND, date=date(2026, 8, 31)).name == "Late Summer Bank Holiday"


@pytest.mark.django_db
def test_db_sync_bank_holidays_command() -> None:
    from django.core.management import call_command

    # The migration seeds 2000–2040; start empty to see what a sync adds.
    from core.models import BankHoliday as _BH

    _BH.objects.all().delete()

    out = StringIO()
    call_command("sync_bank_holidays", "--from", "2026", "--to", "2026", "--nation", ENGLAND, stdout=out)
    assert f"Added {len(holidays_for(ENGLAND, [2026]))} bank holidays" in out.getvalue()
    out = StringIO()
    call_command("sync_bank_holidays", "--from", "2026", "--to", "2026", "--nation", ENGLAND, stdout=out)
    assert "Added 0 bank holidays" in out.getvalue()


@pytest.mark.django_db
def test_db_calendar_for_uses_stored_holidays_and_closure_days(
    organisation, officer, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from core.calendar import calendar_for
    from core.services import bank_holidays_sync, closure_day_add

    bank_holidays_sync(years=[2026, 2027])
    received = london(2026, 12, 23, 10)
    assert calendar_for(organisation).due_date(received, 5) == date(2027, 1, 4)

    for day in (29, 30, 31):
        closure_day_add(organisation=organisation, date=date(2026, 12, day), reason="Christmas shutdown", actor=officer)
    with django_assert_num_queries(2):
        calendar = calendar_for(organisation)
    assert calendar.due_date(received, 5) == date(2027, 1, 7)

    # Another landlord is unaffected by this one's closure days.
    from accounts.models import Organisation

    other = Organisation.objects.create(name="Other Homes", slug="other-homes", nation=ENGLAND)
    assert calendar_for(other).due_date(received, 5) == date(2027, 1, 4)


@pytest.mark.django_db
def test_db_calendar_for_uses_organisation_rule_and_nation(organisation) -> None:  # type: ignore[no-untyped-def]
    from core.calendar import calendar_for
    from core.services import bank_holidays_sync

    bank_holidays_sync(years=[2026, 2027])
    organisation.office_closes = time(16)
    organisation.receipt_day_is_day_zero = False
    organisation.nation = SCOTLAND
    organisation.save()

    calendar = calendar_for(organisation)
    assert calendar.effective_receipt_date(london(2026, 5, 12, 16, 30)) == date(2026, 5, 13)
    # Receipt day 23 Dec is day 1; day 5 is Thu 31 Dec 2026 (Scotland and England agree here).
    assert calendar.due_date(london(2026, 12, 23, 10), 5) == date(2026, 12, 31)
    assert not calendar.is_working_day(date(2026, 1, 2))  # Scottish holiday
    assert calendar.is_working_day(date(2026, 4, 6))  # not Easter Monday in Scotland


@pytest.mark.django_db
def test_db_closure_day_add_rejects_duplicates_weekends_and_bank_holidays(organisation, officer) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from core.models import ClosureDay
    from core.services import bank_holidays_sync, closure_day_add

    bank_holidays_sync(years=[2026], nations=[ENGLAND])
    closure = closure_day_add(organisation=organisation, date=date(2026, 12, 29), reason="Shutdown", actor=officer)
    assert closure.created_by == officer

    with pytest.raises(ValidationError, match="already a closure day"):
        closure_day_add(organisation=organisation, date=date(2026, 12, 29), reason="Again", actor=officer)
    with pytest.raises(ValidationError, match="weekend"):
        closure_day_add(organisation=organisation, date=date(2026, 12, 27), reason="Sunday", actor=officer)
    with pytest.raises(ValidationError, match="bank holiday"):
        closure_day_add(organisation=organisation, date=date(2026, 12, 28), reason="Boxing Day", actor=officer)
    with pytest.raises(ValidationError, match="reason"):
        closure_day_add(organisation=organisation, date=date(2026, 12, 30), reason="  ", actor=officer)
    assert ClosureDay.objects.filter(organisation=organisation).count() == 1


@pytest.mark.django_db
def test_db_closure_day_remove_reopens_the_day(organisation, officer) -> None:  # type: ignore[no-untyped-def]
    from core.calendar import calendar_for
    from core.models import ClosureDay
    from core.services import closure_day_add, closure_day_remove

    closure = closure_day_add(organisation=organisation, date=date(2026, 12, 29), reason="Shutdown", actor=officer)
    assert not calendar_for(organisation).is_working_day(date(2026, 12, 29))
    closure_day_remove(closure_day=closure, actor=officer)
    assert not ClosureDay.objects.exists()
    assert calendar_for(organisation).is_working_day(date(2026, 12, 29))
