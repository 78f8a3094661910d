"""ASB cases, HHSRS hazards, planned works visits, and the stock and complaint counts through
the import pipeline: their stored facts, their bad rows, and re-importing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from core.calendar import LONDON
from performance.generate import REPAIR_HEADERS
from performance.models import AsbCase, ComplaintCount, Hazard, PlannedWorkVisit, RepairJob, StockCount
from performance.tests.importing import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db

ASB = [
    "Case Reference",
    "Property Reference",
    "ASB Category",
    "Hate Incident",
    "Description",
    "Date Reported",
    "First Contact",
    "Date Closed",
]
HAZARDS = ["Hazard Reference", "Property Reference", "Category", "Hazard Type", "Date Identified", "Date Fixed"]
VISITS = ["Visit Reference", "Property Reference", "Programme", "Works Start Date", "Date Visited"]
STOCK = ["As At", "Item", "Stock", "Total", "Count"]
COMPLAINTS = ["Year Starting", "Stock", "Stage", "Received", "Answered", "In Time", "In Time With Extension"]


def end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59, 999999), tzinfo=LONDON)


def test_asb_contact_due_counts_out_of_hours_reports_from_the_next_working_day(offer, load):
    load(
        "asb_cases",
        ASB,
        [
            # Category 1 (one working day). Friday 20 November 2026 at 16:00: due Monday 23rd.
            ["A1", "H1", "1", "Y", "Racist abuse", "20/11/2026 16:00", "23/11/2026 10:00", ""],
            # At 18:00, after the office closed: counted from Monday, so due Tuesday 24th.
            ["A2", "H1", "1", "N", "Threats", "20/11/2026 18:00", "24/11/2026 16:00", ""],
            # On Saturday: also from Monday.
            ["A3", "H1", "1", "N", "Threats", "21/11/2026 09:00", "25/11/2026 09:00", "30/11/2026 12:00"],
            # Category 3 (five working days), not yet contacted.
            ["A4", "H1", "3", "", "Barking dog", "02/11/2026 10:00", "", ""],
        ],
    )
    cases = {c.reference: c for c in AsbCase.objects.select_related("due_rule__measure")}
    assert cases["A1"].contact_due_at == end_of(datetime.date(2026, 11, 23))
    assert cases["A1"].contact_on_time is True and cases["A1"].hate_incident is True
    assert cases["A1"].due_rule.measure.code == "asb-cat1"
    assert cases["A2"].contact_due_at == end_of(datetime.date(2026, 11, 24))
    assert cases["A2"].contact_on_time is True
    assert cases["A3"].contact_due_at == end_of(datetime.date(2026, 11, 24))
    assert cases["A3"].contact_on_time is False
    assert cases["A3"].closed_at == datetime.datetime(2026, 11, 30, 12, 0, tzinfo=LONDON)
    assert cases["A4"].contact_due_at == end_of(datetime.date(2026, 11, 9))
    assert cases["A4"].contact_on_time is None
    assert cases["A4"].hate_incident is False


def test_asb_bad_rows(offer, check):
    batch = check(
        "asb_cases",
        ASB,
        [
            ["A1", "H1", "4", "N", "", "02/11/2026 10:00", "", ""],
            ["A2", "H1", "2", "N", "", "02/11/2026 10:00", "01/11/2026 10:00", ""],
            ["A3", "H1", "2", "N", "", "", "", ""],
            ["A4", "H1", "2", "N", "", "02/11/2026 10:00", "", "30/10/2026 09:00"],
        ],
    )
    errors = {e.row_number: " ".join(e.messages) for e in batch.row_errors.all()}
    assert "ASB category: “4” is not a category of your local offer. Use one of: 1, 2, 3." in errors[2]
    assert "First contact: 01/11/2026 10:00 is before the case was reported" in errors[3]
    assert "Date reported: missing." in errors[4]
    assert "Date closed: 30/10/2026 09:00 is before the case was reported" in errors[5]
    assert AsbCase.objects.count() == 0


def test_hazards_are_due_thirty_calendar_days_after_they_are_found(offer, load, check):
    load(
        "hazards",
        HAZARDS,
        [
            ["Z1", "H1", "1", "Damp and mould", "01/10/2026 10:00", "30/10/2026 15:00"],
            ["Z2", "H1", "1", "Excess cold", "01/10/2026 10:00", "01/11/2026 09:00"],
            ["Z3", "H1", "1", "Falls on stairs", "01/11/2026 10:00", ""],
        ],
    )
    hazards = {h.reference: h for h in Hazard.objects.all()}
    assert hazards["Z1"].due_at == end_of(datetime.date(2026, 10, 31))
    assert hazards["Z1"].on_time is True
    assert hazards["Z2"].on_time is False
    assert hazards["Z3"].on_time is None and hazards["Z3"].due_at == end_of(datetime.date(2026, 12, 1))
    bad = check("hazards", HAZARDS, [["Z9", "H1", "3", "", "01/10/2026 10:00", ""]])
    (error,) = bad.row_errors.all()
    assert "Category: “3” is not a category of your local offer. Use one of: 1, 2." in error.messages[0]


def test_planned_visits_record_whether_the_notice_was_enough(offer, load):
    load(
        "planned_visits",
        VISITS,
        [
            ["V1", "H1", "Kitchens 2026", "20/11/2026", "13/11/2026"],  # 7 days: enough
            ["V2", "H1", "Kitchens 2026", "20/11/2026", "14/11/2026"],  # 6 days: not enough
            ["V3", "H1", "Kitchens 2026", "20/11/2026", ""],  # works started, never visited
            ["V4", "H1", "Windows 2027", "01/03/2027", ""],  # works start today: not visited
            ["V5", "H1", "Windows 2027", "2027-03-20", ""],  # not started yet
        ],
    )
    visits = {v.reference: v for v in PlannedWorkVisit.objects.all()}
    assert visits["V1"].enough_notice is True
    assert visits["V2"].enough_notice is False
    assert visits["V3"].enough_notice is False
    assert visits["V4"].enough_notice is False
    assert visits["V5"].enough_notice is None
    assert visits["V1"].works_start_on == datetime.date(2026, 11, 20)
    assert visits["V5"].works_start_on == datetime.date(2027, 3, 20)


def test_planned_visits_reject_impossible_dates(offer, check):
    batch = check("planned_visits", VISITS, [["V1", "H1", "", "30/02/2027", ""], ["V2", "H1", "", "", "01/01/2026"]])
    errors = {e.row_number: " ".join(e.messages) for e in batch.row_errors.all()}
    assert "Works start date: “30/02/2027” is not a date we can read." in errors[2]
    assert "Works start date: missing." in errors[3]


def test_records_load_once(offer, load):
    rows = [["A1", "H1", "2", "N", "Noise", "02/11/2026 10:00", "", ""]]
    load("asb_cases", ASB, rows)
    again = load("asb_cases", ASB, rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 1)
    rows[0][6] = "03/11/2026 10:00"
    changed = load("asb_cases", ASB, rows)
    assert (changed.created_count, changed.updated_count) == (0, 1)
    assert AsbCase.objects.get().contact_on_time is True


def test_stock_and_building_safety_counts(org, load, check):
    batch = load(
        "stock_counts",
        STOCK,
        [
            ["31/03/2026", "homes", "LCRA", "7,800", ""],
            ["31/03/2026", "bs01", "LCRA", "7500", "7489"],
            ["31/03/2026", "BS05", "lcho", "12", "12"],
        ],
    )
    assert batch.created_count == 3
    homes = StockCount.objects.get(item="homes")
    assert (homes.total, homes.count, homes.as_at) == (7800, 7800, datetime.date(2026, 3, 31))
    assert StockCount.objects.get(item="bs05").stock == "lcho"
    again = load("stock_counts", STOCK, [["31/03/2026", "bs01", "LCRA", "7500", "7490"]])
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 1, 0)
    assert StockCount.objects.get(item="bs01").count == 7490
    bad = check(
        "stock_counts",
        STOCK,
        [
            ["31/03/2026", "bs09", "LCRA", "10", "1"],
            ["31/03/2026", "bs02", "LCRA", "10", "11"],
            ["31/03/2026", "bs03", "LCRA", "10", "1"],
            ["31/03/2026", "bs03", "LCRA", "10", "2"],
        ],
    )
    errors = {e.row_number: " ".join(e.messages) for e in bad.row_errors.all()}
    assert "Item: “bs09” is not a count we know." in errors[2]
    assert "Count: 11 is more than the total (10)." in errors[3]
    assert "As at, item and stock: 2026-03-31 bs03 lcra is also on row 4; each may appear once." in errors[5]


def test_complaint_counts(org, load, check):
    load("complaint_counts", COMPLAINTS, [["2025/26", "LCRA", "Stage 1", "120", "118", "100", "10"]])
    count = ComplaintCount.objects.get()
    assert (count.year_starting, count.stage, count.in_time_extended) == (2025, 1, 10)
    bad = check("complaint_counts", COMPLAINTS, [["last year", "LCRA", "3", "10", "5", "5", "1"]])
    messages = " ".join(bad.row_errors.get().messages)
    assert "Year starting: “last year”" in messages and "Stage: “3” should be 1 or 2." in messages
    assert "5 in time and 1 with an extension is more than the 5 answered." in messages


def test_an_offer_without_categories_says_so(org: Any, check):
    batch = check(
        "repairs",
        ["Job Number", "Property Reference", "Priority", "Date Reported"],
        [["J1", "H1", "1", "02/11/2026 10:00"]],
    )
    assert "which has none for responsive repairs jobs yet" in batch.row_errors.get().messages[0]


def test_every_record_stores_the_uk_months_it_is_counted_in(offer, load):
    """Half past midnight on 1 July in summer time is still 30 June in UTC: the stored months are
    the UK's, as the figures count them, and match what saving a record works out."""
    load(
        "repairs",
        list(REPAIR_HEADERS),
        [["J1", "H1", "2", "Tap", "01/07/2026 00:30", "", "", "", "", "01/08/2026 00:15"] + [""] * 6],
    )
    load("asb_cases", ASB, [["A1", "H1", "1", "N", "Noise", "01/07/2026 00:30", "01/08/2026 00:10", ""]])
    load("hazards", HAZARDS, [["Z1", "H1", "1", "Damp", "01/07/2026 00:30", "01/08/2026 00:20"]])

    job, case, hazard = RepairJob.objects.get(), AsbCase.objects.get(), Hazard.objects.get()
    july, august = datetime.date(2026, 7, 1), datetime.date(2026, 8, 1)
    assert (job.reported_month, job.completed_month) == (july, august)
    assert (case.reported_month, case.contact_month) == (july, august)
    assert (hazard.identified_month, hazard.fixed_month) == (july, august)
    for record in (job, case, hazard):
        stored = {month: getattr(record, month) for month in record.MONTHS}
        record.save()
        assert {month: getattr(record, month) for month in record.MONTHS} == stored


SAMPLES = ["Check Reference", "Property Reference", "Standard Checked", "Date Checked", "Result", "How Checked"]


def test_sample_checks_load_and_give_the_percentage_of_a_sample(org, offer, load, check):
    from people.tests.factories import AreaFactory, HomeFactory
    from performance.models import Figure, SampleCheck
    from performance.services import performance_refresh
    from standards.models import Measure

    north = AreaFactory(organisation=org, name="North")
    HomeFactory(organisation=org, reference="H7", area=north)
    load(
        "sample_checks",
        SAMPLES,
        [
            ["S1", "H7", "rep-tidy", "02/11/2026", "Y", "Post-inspection"],
            ["S2", "H7", "REP-TIDY", "03/11/2026", "N", "Post-inspection"],
            ["S3", "", "rep-tidy", "04/11/2026", "Yes", "Mystery shop"],  # no home: the whole landlord only
            ["S4", "H7", "No personal calls taken in the home", "05/11/2026", "Y", ""],  # by its name
            ["S5", "H7", "rep-tidy", "01/12/2026", "Y", ""],
        ],
    )
    assert SampleCheck.objects.count() == 5 and SampleCheck.objects.get(reference="S3").home is None

    performance_refresh(organisation=org)

    tidy = Measure.objects.get(organisation=org, code="rep-tidy")
    calls = Measure.objects.get(organisation=org, code="rep-calls")
    figures = sorted(
        Figure.objects.filter(measure=tidy).values_list("month", "area_id", "numerator", "denominator"),
        key=lambda f: (f[0], f[1] or 0),
    )
    assert figures == [
        (datetime.date(2026, 11, 1), None, 1, 1),
        (datetime.date(2026, 11, 1), north.pk, 1, 2),
        (datetime.date(2026, 12, 1), north.pk, 1, 1),
    ]
    assert list(Figure.objects.filter(measure=calls).values_list("numerator", "denominator")) == [(1, 1)]

    bad = check(
        "sample_checks",
        SAMPLES,
        [
            ["S6", "H7", "rep-spotless", "02/11/2026", "Y", ""],
            ["S7", "H7", "rep-tidy", "02/11/2026", "", ""],
            ["S8", "H7", "rep-tidy", "31/02/2026", "Maybe", ""],
            ["S9", "H7", "rep-tidy", "02/11/2027", "Y", ""],
            ["S10", "H7", "Work area left clean and tidy", "02/11/2026", "Y", ""],  # repairs' or planned works'?
            ["S1", "H7", "rep-tidy", "02/11/2026", "Y", "Post-inspection"],
            ["S1", "H7", "rep-tidy", "02/11/2026", "Y", "Post-inspection"],
        ],
    )
    errors = {e.row_number: e.messages for e in bad.row_errors.all()}
    assert errors[2][0].startswith("Standard checked: “rep-spotless” is not a measure of your local offer")
    assert "rep-tidy" in errors[2][0] and "rep-calls" in errors[2][0]
    assert errors[3] == ["Result: missing. Use Y if the promise was kept, N if not."]
    assert errors[4][0].startswith("Date checked: “31/02/2026” is not a date")
    assert errors[4][1].startswith("Result: “Maybe” should be Y or N")
    assert errors[5] == ["Date checked: 02/11/2027 is in the future."]
    assert errors[6] == [
        "Standard checked: more than one measure is called “Work area left clean and tidy”. Use its code: "
        "pm-tidy or rep-tidy."
    ]
    assert errors[8] == ["Check reference: S1 is also on row 7; each may appear once."]
    assert bad.unchanged_count == 1  # S1 as loaded before


PATROLS = ["Visit Reference", "Neighbourhood", "Date Visited", "Officer"]


def test_neighbourhood_visits_count_the_weeks_each_neighbourhood_had_two(org, offer, load, check, monkeypatch):
    """Weeks run Monday to Sunday and count in the month of their Thursday; a neighbourhood with
    no visit in a week misses it; the week not yet over is not judged."""
    from django.utils import timezone

    from people.models import Area
    from people.tests.factories import AreaFactory
    from performance.models import Figure, NeighbourhoodVisit
    from performance.services import performance_refresh
    from standards.models import Measure

    north = AreaFactory(organisation=org, name="North")
    AreaFactory(organisation=org, name="Rose Hill", level=Area.Level.NEIGHBOURHOOD, parent=north)
    leys = AreaFactory(organisation=org, name="Blackbird Leys", level=Area.Level.NEIGHBOURHOOD)
    load(
        "neighbourhood_visits",
        PATROLS,
        [
            # Week of Monday 26 October 2026 (Thursday 29 October: an October week).
            ["V1", "Rose Hill", "26/10/2026", "A. Patel"],
            ["V2", "rose hill", "30/10/2026", "A. Patel"],
            ["V3", "Blackbird Leys", "27/10/2026", ""],
            # Week of Monday 2 November: Rose Hill twice, Blackbird Leys not at all.
            ["V4", "Rose Hill", "02/11/2026", ""],
            ["V5", "Rose Hill", "08/11/2026", ""],
            # Week of Monday 9 November, not over on Thursday 12th: not judged.
            ["V6", "Rose Hill", "09/11/2026", ""],
        ],
    )
    assert NeighbourhoodVisit.objects.get(reference="V1").area == north
    assert NeighbourhoodVisit.objects.get(reference="V3").area == leys  # a neighbourhood at the top

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 12))
    performance_refresh(organisation=org)

    visits = Measure.objects.get(organisation=org, code="asb-neighbourhood-visits")
    figures = Figure.objects.filter(measure=visits).values_list("month", "area_id", "numerator", "denominator")
    october, november = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1)
    expected = {
        (october, north.pk): (1, 1),
        (october, leys.pk): (0, 1),
        (november, north.pk): (1, 1),
        (november, leys.pk): (0, 1),
    }
    assert {(m, a): (n, d) for m, a, n, d in figures} == expected

    bad = check(
        "neighbourhood_visits",
        PATROLS,
        [["V7", "Atlantis", "02/11/2026", ""], ["V8", "", "02/11/2026", ""], ["V9", "Rose Hill", "2nd Nov", ""]],
    )
    errors = {e.row_number: e.messages for e in bad.row_errors.all()}
    assert errors[2] == [
        "Neighbourhood: “Atlantis” is not one of your neighbourhoods. Use one of: Blackbird Leys, Rose Hill."
    ]
    assert errors[3] == ["Neighbourhood: missing. Use one of: Blackbird Leys, Rose Hill."]
    assert errors[4][0].startswith("Date visited: “2nd Nov” is not a date")
