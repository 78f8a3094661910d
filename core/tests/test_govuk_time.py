"""Times are written the GOV.UK way: 6pm, 5:30pm, midday, midnight."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.template import Context, Template

from core.templatetags.govuk import govuk_time

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.time(18, 0), "6pm"),
        (datetime.time(17, 30), "5:30pm"),
        (datetime.time(9, 5), "9:05am"),
        (datetime.time(12, 0), "midday"),
        (datetime.time(0, 0), "midnight"),
        (datetime.time(12, 30), "12:30pm"),
        (datetime.time(0, 15), "12:15am"),
        (None, ""),
    ],
)
def test_govuk_time(value, expected):
    assert govuk_time(value) == expected


def test_aware_datetimes_are_shown_in_uk_time():
    # 17:30 UTC in July is 6:30pm in London; in January it is 5:30pm.
    assert govuk_time(datetime.datetime(2026, 7, 1, 17, 30, tzinfo=datetime.UTC)) == "6:30pm"
    assert govuk_time(datetime.datetime(2026, 1, 1, 17, 30, tzinfo=datetime.UTC)) == "5:30pm"
    assert govuk_time(datetime.datetime(2026, 7, 1, 18, 0, tzinfo=LONDON)) == "6pm"


def test_the_filter_in_a_template():
    text = Template("{% load govuk %}{{ t|govuk_time }}").render(Context({"t": datetime.time(19, 0)}))
    assert text == "7pm"
