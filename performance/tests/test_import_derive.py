"""performance.derive on its own: UK local time either side of the clock changes, and the
remembered due moments agreeing with Timescale.due_at for every hour of a fortnight."""

from __future__ import annotations

import datetime

import pytest

from core.calendar import LONDON, calendar_for
from performance.derive import DAY_US, Deriver, LocalTime, day_of, from_us, to_us
from performance.tests.importing import *  # noqa: F403  (fixtures)
from standards.models import Subject
from standards.selectors import timescale_table

UTC = datetime.UTC


def wall(*args: int) -> int:
    """A wall-clock time as microseconds, as if local time were UTC."""
    return to_us(datetime.datetime(*args, tzinfo=UTC))


def test_local_time_either_side_of_the_clock_changes():
    clock = LocalTime(LONDON)
    # Winter: local is UTC. Summer: local is UTC+1.
    assert from_us(clock.local_to_us(wall(2026, 1, 15, 9, 0))) == datetime.datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    assert from_us(clock.local_to_us(wall(2026, 7, 15, 9, 0))) == datetime.datetime(2026, 7, 15, 8, 0, tzinfo=UTC)
    # 29 March 2026: 00:59 is GMT, 02:00 is BST; 01:30 does not exist and counts as the hour before.
    assert from_us(clock.local_to_us(wall(2026, 3, 29, 0, 59))) == datetime.datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    assert from_us(clock.local_to_us(wall(2026, 3, 29, 2, 0))) == datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert from_us(clock.local_to_us(wall(2026, 3, 29, 1, 30))) == datetime.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # 25 October 2026: 01:30 happens twice; the first (BST) is taken.
    assert from_us(clock.local_to_us(wall(2026, 10, 25, 1, 30))) == datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert from_us(clock.local_to_us(wall(2026, 10, 25, 2, 30))) == datetime.datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
    # And back: the instant as local wall-clock time.
    assert clock.us_to_local(to_us(datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC))) == wall(2026, 10, 25, 1, 30)
    assert clock.us_to_local(to_us(datetime.datetime(2026, 10, 24, 23, 30, tzinfo=UTC))) == wall(2026, 10, 25, 0, 30)


@pytest.mark.django_db
def test_remembered_due_moments_match_the_timescale(offer):
    """Every 20 minutes of the fortnight around the October clock change (with Monday 26 October
    made a closure day), each category, through one Deriver: every answer, most of them from its
    memory, is what Timescale.due_at gives for that very moment."""
    from core.models import ClosureDay

    ClosureDay.objects.create(organisation=offer, date=datetime.date(2026, 10, 26), reason="Office move")
    deriver = Deriver(offer)
    table = timescale_table(organisation=offer, subject=Subject.REPAIR)
    calendar = calendar_for(offer)
    start = to_us(datetime.datetime(2026, 10, 18, 0, 0, tzinfo=LONDON))
    checked = 0
    for step in range(16 * 24 * 3):
        reported = start + step * 20 * 60_000_000
        moment = from_us(reported)
        for category in ("1", "2", "3"):
            due, rule, _, _, _ = deriver.repair(
                category=category, reported_us=reported, completed_us=None, letter_sent_us=None, cancelled=False
            )
            timescale = table.on(category, moment.astimezone(LONDON).date())
            assert timescale is not None and rule == timescale.version_id
            # Compared as instants: an aware time in the repeated autumn hour never equals one in
            # another zone (PEP 495), though they are the same moment.
            assert due == to_us(timescale.due_at(moment, calendar)), (category, moment)
            checked += 1
    assert checked == 16 * 24 * 3 * 3
    assert len(deriver._dues) < 200  # remembered per category, day and before/after closing


def test_day_numbers():
    assert day_of(datetime.date(1970, 1, 2)) == 1
    assert day_of(datetime.date(2026, 12, 23)) * DAY_US == to_us(datetime.datetime(2026, 12, 23, tzinfo=UTC))
