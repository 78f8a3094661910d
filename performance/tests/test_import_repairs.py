"""Repairs jobs through the import pipeline: stored facts (area, due moment and rule, on time)
around bank holidays, clock changes and out-of-hours reports; idempotent re-import; every kind
of bad row reported by row with its reason and nothing written."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from core.calendar import LONDON
from core.imports import ImportError_, batch_commit
from people.tests.factories import AreaFactory, HomeFactory
from performance.generate import REPAIR_HEADERS
from performance.models import RepairJob
from performance.tests.importing import *  # noqa: F403  (fixtures)
from standards.models import MeasureVersion

pytestmark = pytest.mark.django_db

HEADER = list(REPAIR_HEADERS)  # a housing system's own column names, as the generator writes them


def job(
    ref: str,
    *,
    home: str = "H1",
    priority: str = "3",
    reported: str = "02/11/2026 10:00",
    completed: str = "",
    letter: str = "",
    cancelled: str = "N",
) -> list[str]:
    return [
        ref,
        home,
        priority,
        "Dripping tap",
        reported,
        "",
        "Y",
        "Y",
        letter,
        completed,
        "Y",
        cancelled,
        "Acme",
        "N",
        "",
        "N",
    ]


def local(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


def end_of(day: datetime.date) -> datetime.datetime:
    """The last moment of a UK local day: when something due that day stops being on time."""
    return datetime.datetime.combine(day, datetime.time(23, 59, 59, 999999), tzinfo=LONDON)


@pytest.fixture
def homes(org: Any) -> dict[str, Any]:
    north = AreaFactory(organisation=org, name="North")
    return {"H1": HomeFactory(organisation=org, reference="H1", area=north), "north": north}


def test_a_file_loads_with_area_due_moment_rule_and_on_time(offer, homes, load):
    batch = load(
        "repairs",
        HEADER,
        [
            job("J1", priority="2", reported="02/11/2026 10:00", completed="04/11/2026 15:00"),
            job("J2", priority="2", reported="02/11/2026 10:00", completed="06/11/2026 09:00"),
            job("J3", priority="3", reported="02/11/2026 10:00"),
            job("J4", priority="3", reported="02/11/2026 10:00", completed="03/11/2026 10:00", cancelled="Y"),
        ],
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (4, 0, 0)
    jobs = {j.reference: j for j in RepairJob.objects.select_related("due_rule__measure")}
    j1 = jobs["J1"]
    assert j1.reported_at == local(2026, 11, 2, 10, 0)
    assert j1.reported_at.utcoffset() is not None
    assert j1.home == homes["H1"] and j1.area == homes["north"]
    assert j1.import_batch_id == batch.pk
    # Category 2: 3 working days from Monday 2 November: due at the end of Thursday 5 November.
    assert j1.due_at == end_of(datetime.date(2026, 11, 5))
    assert j1.due_rule.measure.code == "rep-cat2"
    assert j1.on_time is True
    assert jobs["J2"].on_time is False
    assert jobs["J3"].on_time is None  # still open
    assert jobs["J3"].due_rule.measure.code == "rep-cat3"
    assert jobs["J4"].on_time is None  # cancelled
    assert jobs["J4"].cancelled is True
    assert j1.appointment_made is True and j1.satisfied is None and j1.contractor == "Acme"


def test_due_moments_around_christmas_easter_and_the_clock_change(offer, homes, load):
    load(
        "repairs",
        HEADER,
        [
            # Category 3 (28 working days) reported Wednesday 23 December 2026 before the office
            # closes: Christmas Day, the substitute Boxing Day (Monday 28th) and New Year's Day
            # are skipped, so it is due at the end of Thursday 4 February 2027.
            job("XMAS-1", priority="3", reported="23/12/2026 16:00"),
            # The same at 17:30, after the office closed: received on the 24th, due a day later.
            job("XMAS-2", priority="3", reported="23/12/2026 17:30"),
            # Category 2 (3 working days) reported on Maundy Thursday 2026: Good Friday and Easter
            # Monday are skipped, so it is due at the end of Thursday 9 April (BST).
            job("EASTER", priority="2", reported="02/04/2026 10:00", completed="09/04/2026 23:30"),
            # Category 1 (24 hours) reported at noon on Saturday 24 October 2026, the day before the
            # clocks go back: 24 real hours later is 11:00 GMT on Sunday, not 12:00.
            job("CLOCK-1", priority="1", reported="24/10/2026 12:00", completed="25/10/2026 11:30"),
            job("CLOCK-2", priority="1", reported="24/10/2026 12:00", completed="25/10/2026 11:00"),
        ],
    )
    jobs = {j.reference: j for j in RepairJob.objects.all()}
    assert jobs["XMAS-1"].due_at == end_of(datetime.date(2027, 2, 4))
    assert jobs["XMAS-2"].due_at == end_of(datetime.date(2027, 2, 5))
    assert jobs["EASTER"].due_at == end_of(datetime.date(2026, 4, 9))
    assert jobs["EASTER"].due_at.astimezone(datetime.UTC).hour == 22  # BST
    assert jobs["EASTER"].on_time is True
    assert jobs["CLOCK-1"].due_at == datetime.datetime(2026, 10, 25, 11, 0, tzinfo=datetime.UTC)
    assert jobs["CLOCK-1"].due_at == local(2026, 10, 25, 11, 0)
    assert jobs["CLOCK-1"].on_time is False
    assert jobs["CLOCK-2"].on_time is True


def test_the_letter_timescale_is_stored_for_routine_jobs(offer, homes, load):
    load(
        "repairs",
        HEADER,
        [
            job("L1", priority="3", reported="02/11/2026 10:00", letter="06/11/2026 09:00"),
            job("L2", priority="3", reported="02/11/2026 10:00", letter="07/11/2026 09:00"),
            job("L3", priority="3", reported="02/11/2026 10:00", completed="20/11/2026 09:00"),
            job("L4", priority="2", reported="02/11/2026 10:00", letter="03/11/2026 09:00"),
        ],
    )
    jobs = {j.reference: j for j in RepairJob.objects.all()}
    # 4 calendar days from Monday 2 November: the end of Friday 6 November.
    assert jobs["L1"].letter_due_at == end_of(datetime.date(2026, 11, 6))
    assert jobs["L1"].letter_on_time is True
    assert jobs["L2"].letter_on_time is False
    assert jobs["L3"].letter_on_time is False  # completed with no letter
    assert jobs["L4"].letter_due_at is None and jobs["L4"].letter_on_time is None  # not a routine job


def test_importing_the_same_file_again_changes_nothing_and_a_changed_row_updates(offer, homes, load):
    rows = [job("J1", priority="2"), job("J2", priority="3")]
    load("repairs", HEADER, rows)
    first = {j.reference: (j.pk, j.due_at) for j in RepairJob.objects.all()}

    again = load("repairs", HEADER, rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)

    rows[0] = job("J1", priority="2", completed="03/11/2026 09:00")
    rows.append(job("J3"))
    changed = load("repairs", HEADER, rows)
    assert (changed.created_count, changed.updated_count, changed.unchanged_count) == (1, 1, 1)
    j1 = RepairJob.objects.get(reference="J1")
    assert j1.pk == first["J1"][0]  # the same record, written again
    assert j1.completed_at == local(2026, 11, 3, 9, 0)
    assert j1.on_time is True
    assert j1.import_batch_id == changed.pk
    assert RepairJob.objects.get(reference="J2").import_batch_id == again.pk - 1  # untouched
    assert RepairJob.objects.count() == 3


def test_every_bad_row_is_reported_with_its_reason_and_nothing_is_written(offer, homes, check, officer):
    batch = check(
        "repairs",
        HEADER,
        [
            job("OK-1"),
            job("BAD-CAT", priority="7"),
            job("BAD-ORDER", reported="05/11/2026 10:00", completed="04/11/2026 10:00"),
            job("BAD-MISSING", reported=""),
            job("OK-1", priority="2"),
            job("BAD-FORMAT", reported="2026/31/12 25:00"),
            job("BAD-DAY", reported="31/02/2026 10:00"),
            job("BAD-FLAG", cancelled="perhaps"),
            job("BAD-FUTURE", reported="01/06/2027 10:00"),
            job("OK-2"),
        ],
    )
    assert (batch.total_rows, batch.valid_rows, batch.invalid_rows) == (10, 2, 8)
    errors = {e.row_number: " ".join(e.messages) for e in batch.row_errors.all()}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "Priority: “7” is not a category of your local offer. Use one of: 1, 2, 3." in errors[3]
    assert "Date completed: 04/11/2026 10:00 is before the job was reported (05/11/2026 10:00)." in errors[4]
    assert "Date reported: missing." in errors[5]
    assert "Job number: OK-1 is also on row 2; each may appear once." in errors[6]
    assert "Date reported: “2026/31/12 25:00” is not a date and time we can read." in errors[7]
    assert "“31/02/2026 10:00” is not a date and time we can read" in errors[8]
    assert "Cancelled: “perhaps” should be Y or N" in errors[9]
    assert "Date reported: 01/06/2027 10:00 is in the future." in errors[10]
    with pytest.raises(ImportError_, match="8 rows have errors, so nothing was imported"):
        batch_commit(batch=batch, actor=officer, valid_only=False)
    assert RepairJob.objects.count() == 0


def test_a_row_with_several_problems_lists_every_one(offer, homes, check):
    batch = check("repairs", HEADER, [job("", priority="X", reported="soon", cancelled="maybe")])
    (error,) = batch.row_errors.all()
    assert error.row_number == 2
    assert len(error.messages) == 4
    assert error.values["Priority"] == "X"


def test_valid_only_imports_just_the_good_rows(offer, homes, check, officer):
    batch = check("repairs", HEADER, [job("J1"), job("J2", priority="9")])
    batch = batch_commit(batch=batch, actor=officer, valid_only=True)
    assert list(RepairJob.objects.values_list("reference", flat=True)) == ["J1"]


def test_an_unknown_property_is_loaded_without_a_home_and_the_check_says_so(offer, homes, load):
    batch = load("repairs", HEADER, [job("J1", home="BLOCK-7"), job("J2", home="BLOCK-8"), job("J3")])
    assert batch.notes and "2 rows name a property reference that is not one of your homes" in batch.notes[0]
    assert "BLOCK-7, BLOCK-8" in batch.notes[0]
    j1 = RepairJob.objects.get(reference="J1")
    assert j1.home is None and j1.area is None and j1.due_at is not None


def test_a_file_outside_the_offer_has_no_due_moment(offer, homes, load):
    load("repairs", HEADER, [job("OLD", priority="2", reported="02/11/2024 10:00", completed="03/11/2024 10:00")])
    old = RepairJob.objects.get()
    assert old.due_at is None and old.due_rule is None and old.on_time is None


def test_a_later_version_of_a_measure_sets_the_due_moment_from_its_date(offer, homes, load):
    from standards.models import Measure

    cat2 = Measure.objects.get(code="rep-cat2")
    first = cat2.versions.get()
    later = MeasureVersion.objects.create(
        measure=cat2,
        number=2,
        effective_from=datetime.date(2026, 11, 4),
        target=first.target,
        timescale_amount=5,
        timescale_unit=first.timescale_unit,
        start_event=first.start_event,
        end_event=first.end_event,
        timescale_rule=first.timescale_rule,
    )
    load(
        "repairs",
        HEADER,
        [
            job("BEFORE", priority="2", reported="03/11/2026 10:00"),
            job("AFTER", priority="2", reported="04/11/2026 10:00"),
        ],
    )
    before, after = RepairJob.objects.get(reference="BEFORE"), RepairJob.objects.get(reference="AFTER")
    assert before.due_rule == first and before.due_at == end_of(datetime.date(2026, 11, 6))
    assert after.due_rule == later and after.due_at == end_of(datetime.date(2026, 11, 11))


def test_iso_dates_and_model_field_names_are_accepted(offer, homes, load):
    load(
        "repairs",
        ["reference", "home", "category", "reported_at", "completed_at", "cancelled"],
        [
            ["J1", "H1", "2", "2026-11-02T10:00:00", "2026-11-03 09:00", "no"],
            ["J2", "H1", "Cat 2", "2026-11-02T10:00:00+00:00", "2026-11-02T12:00:00Z", ""],
        ],
    )
    j1, j2 = RepairJob.objects.order_by("reference")
    assert j1.reported_at == local(2026, 11, 2, 10, 0)
    assert j1.completed_at == local(2026, 11, 3, 9, 0)
    assert j2.category == "2"
    assert j2.completed_at == datetime.datetime(2026, 11, 2, 12, 0, tzinfo=datetime.UTC)


def test_summer_times_are_uk_local(offer, homes, load):
    load("repairs", HEADER, [job("J1", reported="01/07/2026 09:00")])
    assert RepairJob.objects.get().reported_at == datetime.datetime(2026, 7, 1, 8, 0, tzinfo=datetime.UTC)


def test_an_optional_stock_column_splits_low_cost_rental_from_home_ownership(offer, homes, load, check):
    load(
        "repairs",
        ["Job Number", "Property Reference", "Priority", "Date Reported", "Stock"],
        [["J1", "H1", "2", "02/11/2026 10:00", "LCHO"], ["J2", "H1", "2", "02/11/2026 10:00", ""]],
    )
    assert dict(RepairJob.objects.values_list("reference", "stock")) == {"J1": "lcho", "J2": "lcra"}
    bad = check(
        "repairs",
        ["Job Number", "Property Reference", "Priority", "Date Reported", "Stock"],
        [["J3", "H1", "9", "02/11/2026 10:00", "Market rent"]],
    )
    messages = bad.row_errors.get().messages
    assert any(m.startswith("Priority:") for m in messages)
    assert "Stock: “Market rent” should be LCRA (low-cost rental) or LCHO (low-cost home ownership)." in messages


def test_loading_records_works_the_figures_out_again_after_the_import_commits(
    org, offer, homes, load, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from performance.models import Figure
    from performance.tasks import refresh_figures

    rows = [
        job("J1", priority="2", completed="03/11/2026 09:00"),
        job("J2", priority="3", completed="04/11/2026 09:00"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        load("repairs", HEADER, rows)
    queued = DBTaskResult.objects.filter(task_path="performance.tasks.refresh_figures")
    assert queued.count() == 1 and queued.get().args_kwargs["args"] == [org.pk]

    # What the worker then runs: the new jobs are in the figures.
    assert refresh_figures.call(org.pk) > 0
    assert Figure.objects.filter(organisation_id=org.pk).exists()

    # The same file again changes no record, so nothing is queued.
    with django_capture_on_commit_callbacks(execute=True):
        load("repairs", HEADER, rows)
    assert queued.count() == 1


def test_a_home_removed_between_check_and_import_stops_the_import_with_nothing_written(
    offer, homes, org, check, officer
):
    """The record tables have no foreign-key constraints (performance.models._Record), so the
    commit checks that the homes and areas the check found are still there."""
    second = HomeFactory(organisation=org, reference="H2", area=homes["north"])
    batch = check("repairs", HEADER, [job("J1"), job("J2", home="H2")])
    assert batch.invalid_rows == 0
    second.delete()
    with pytest.raises(ImportError_, match="removed since it was checked"):
        batch_commit(batch=batch, actor=officer, valid_only=False)
    assert not RepairJob.objects.exists()
    # Checked again, the row now names an unknown home and loads without one.
    again = check("repairs", HEADER, [job("J1"), job("J2", home="H2")])
    batch_commit(batch=again, actor=officer, valid_only=False)
    assert RepairJob.objects.get(reference="J2").home is None
