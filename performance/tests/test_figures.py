"""Figures: the refresh gives exactly the contract's figure; results for any period, area and
category; trends; target versions; red/amber/green; the records that missed and those at risk."""

from __future__ import annotations

import datetime
import functools
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.tests.factories import AreaFactory
from performance import selectors, services
from performance.models import Figure, RagThresholds
from performance.tests.factories import (
    AsbCaseFactory,
    FigureFactory,
    HazardFactory,
    PlannedWorkVisitFactory,
    RepairJobFactory,
    StockCountFactory,
    repairs_measure,
    uk,
    version_of,
)
from standards.models import Measure, MeasureVersion, Subject

D = datetime.date
pytestmark = pytest.mark.django_db


# --- measure_results and measure_trend (the shared contract) -------------------------------------


def test_results_sum_months_and_filter_by_area_and_category(org):
    measure = repairs_measure(org)
    north, south = AreaFactory(organisation=org), AreaFactory(organisation=org)
    FigureFactory(
        organisation=org, measure=measure, month=D(2025, 4, 1), area=north, category="2", numerator=9, denominator=10
    )
    FigureFactory(
        organisation=org, measure=measure, month=D(2025, 5, 1), area=south, category="2", numerator=18, denominator=20
    )
    FigureFactory(
        organisation=org, measure=measure, month=D(2025, 6, 1), area=None, category="3", numerator=1, denominator=3
    )
    # Outside the period: not counted.
    FigureFactory(
        organisation=org, measure=measure, month=D(2025, 7, 1), area=north, category="2", numerator=0, denominator=50
    )

    (r,) = selectors.measure_results(organisation=org, start=D(2025, 4, 1), end=D(2025, 6, 30))
    assert (r.numerator, r.denominator) == (28, 33)
    assert r.value == Decimal("84.8")
    assert r.target == Decimal("99") and r.met is False and r.rag == "red"
    assert r.version == measure.versions.get()

    (r,) = selectors.measure_results(organisation=org, start=D(2025, 4, 1), end=D(2025, 6, 30), area_id=north.pk)
    assert (r.numerator, r.denominator, r.value) == (9, 10, Decimal("90.0"))
    (r,) = selectors.measure_results(organisation=org, start=D(2025, 4, 1), end=D(2025, 6, 30), category="3")
    assert (r.numerator, r.denominator, r.value) == (1, 3, Decimal("33.3"))


def test_result_without_figures_has_no_value_and_another_landlord_is_not_counted(org, other_org):
    measure = repairs_measure(org)
    theirs = repairs_measure(other_org, code="theirs")
    FigureFactory(organisation=other_org, measure=theirs, numerator=1, denominator=1)
    (r,) = selectors.measure_results(organisation=org, start=D(2025, 5, 1), end=D(2025, 5, 31))
    assert r.measure == measure
    assert (r.numerator, r.denominator, r.value, r.met, r.rag) == (0, 0, None, None, None)


def test_rag_uses_the_landlords_thresholds(org):
    measure = repairs_measure(org, target="90")
    FigureFactory(organisation=org, measure=measure, numerator=86, denominator=100)
    period = {"organisation": org, "start": D(2025, 5, 1), "end": D(2025, 5, 31)}
    assert selectors.measure_results(**period)[0].rag == "amber"  # 4 points below, default 5
    RagThresholds.objects.create(organisation=org, amber_points=Decimal("3"))
    assert selectors.measure_results(**period)[0].rag == "red"
    RagThresholds.objects.filter(organisation=org).update(amber_points=Decimal("4"))
    assert selectors.measure_results(**period)[0].rag == "amber"  # exactly on the line is amber


def test_green_at_target(org):
    measure = repairs_measure(org, target="90")
    FigureFactory(organisation=org, measure=measure, numerator=9, denominator=10)
    (r,) = selectors.measure_results(organisation=org, start=D(2025, 5, 1), end=D(2025, 5, 31))
    assert (r.met, r.rag) == (True, "green")


def test_trend_has_every_month_each_judged_against_its_own_target(org):
    measure = repairs_measure(org, target="90")
    MeasureVersion.objects.create(measure=measure, number=2, effective_from=D(2025, 5, 1), target=Decimal("95"))
    FigureFactory(organisation=org, measure=measure, month=D(2025, 4, 1), numerator=92, denominator=100)
    FigureFactory(organisation=org, measure=measure, month=D(2025, 5, 1), numerator=92, denominator=100)
    FigureFactory(organisation=org, measure=measure, month=D(2025, 5, 1), category="3", numerator=8, denominator=10)

    points = selectors.measure_trend(organisation=org, measure=measure, end=D(2025, 6, 15), months=4)
    assert [p.month for p in points] == [D(2025, 3, 1), D(2025, 4, 1), D(2025, 5, 1), D(2025, 6, 1)]
    assert [p.value for p in points] == [None, Decimal("92.0"), Decimal("90.9"), None]
    assert [(p.numerator, p.denominator) for p in points] == [(0, 0), (92, 100), (100, 110), (0, 0)]
    assert [p.target for p in points] == [Decimal("90"), Decimal("90"), Decimal("95"), Decimal("95")]
    assert [p.met for p in points] == [None, True, False, None]

    (only3,) = list(
        selectors.measure_trend(organisation=org, measure=measure, end=D(2025, 5, 1), months=1, category="3")
    )
    assert (only3.numerator, only3.denominator) == (8, 10)

    # A period across the change is judged against the target at its end, and says it changed.
    (r,) = selectors.measure_results(organisation=org, start=D(2025, 4, 1), end=D(2025, 5, 31))
    assert r.target == Decimal("95") and r.target_changed
    assert [v.target for v in r.versions_in_period] == [Decimal("90"), Decimal("95")]
    (r,) = selectors.measure_results(organisation=org, start=D(2025, 4, 1), end=D(2025, 4, 30))
    assert r.target == Decimal("90") and r.met is True and not r.target_changed


# --- Periods ----------------------------------------------------------------------------------------


def test_periods():
    assert selectors.quarter_period(D(2025, 5, 17)) == selectors.Period("quarter", D(2025, 4, 1), D(2025, 6, 30))
    assert selectors.quarter_period(D(2026, 2, 1)) == selectors.Period("quarter", D(2026, 1, 1), D(2026, 3, 31))
    assert selectors.year_period(2025) == selectors.Period("year", D(2025, 4, 1), D(2026, 3, 31))
    assert selectors.month_period(D(2024, 2, 10)).end == D(2024, 2, 29)
    assert selectors.custom_period(D(2025, 9, 3), D(2025, 7, 20)) == selectors.Period(
        "custom", D(2025, 7, 1), D(2025, 9, 30)
    )
    assert selectors.quarter_period(D(2025, 5, 1)).previous() == selectors.Period(
        "quarter", D(2025, 1, 1), D(2025, 3, 31)
    )
    assert selectors.year_period(2025).label == "2025/26 (April 2025 to March 2026)"
    today = D(2025, 6, 10)
    assert selectors.period_from_query({}, today) == selectors.month_period(D(2025, 5, 1))
    assert selectors.period_from_query({"period": "year", "year": "2024"}, today) == selectors.year_period(2024)
    assert selectors.period_from_query({"period": "quarter", "month": "2025-11"}, today).start == D(2025, 10, 1)
    assert selectors.period_from_query({"period": "custom", "from": "2025-01", "to": "2025-03"}, today).end == D(
        2025, 3, 31
    )
    # Nonsense falls back to the default rather than failing.
    assert selectors.period_from_query({"period": "month", "month": "x"}, today) == selectors.month_period(
        D(2025, 5, 1)
    )
    assert selectors.period_from_query({"period": "year", "year": "99999"}, today) == selectors.year_period(2025)
    assert selectors.period_from_query({"period": "custom", "from": "9999-12", "to": "2025-01"}, today) == (
        selectors.month_period(D(2025, 5, 1))
    )
    assert selectors.period_from_query({"period": "month", "month": "2025-13"}, today) == selectors.month_period(
        D(2025, 5, 1)
    )
    for p in (selectors.year_period(2024), selectors.quarter_period(today), selectors.custom_period(today, today)):
        assert selectors.period_from_query(p.query(), today) == p


# --- performance_refresh -----------------------------------------------------------------------------


def _figures(org, measure=None):
    qs = Figure.objects.filter(organisation=org)
    if measure is not None:
        qs = qs.filter(measure=measure)
    return sorted(
        ((f.month, f.area_id, f.category, f.numerator, f.denominator) for f in qs),
        key=lambda t: (t[0], t[1] is not None, t[1] or 0, t[2]),
    )


def test_refresh_gives_exactly_the_contract_figure(org, other_org):
    cat2 = repairs_measure(org, "rep-cat2", "2")
    cat3 = repairs_measure(org, "rep-cat3", "3", amount=28)
    # A later version of the same measure still counts for it.
    v2 = MeasureVersion.objects.create(measure=cat2, number=2, effective_from=D(2025, 5, 1), target=Decimal("98"))
    v1 = version_of(cat2, D(2025, 4, 30))
    north = AreaFactory(organisation=org)
    job = functools.partial(RepairJobFactory, organisation=org)
    job(due_rule=v1, area=north, reported_at=uk(2025, 4, 28), completed_at=uk(2025, 4, 29))  # April, on time
    job(due_rule=v1, area=north, reported_at=uk(2025, 4, 28), completed_at=uk(2025, 5, 9))  # May, late
    job(due_rule=v2, area=north, reported_at=uk(2025, 5, 6), completed_at=uk(2025, 5, 7))  # May, on time
    job(due_rule=v2, area=None, reported_at=uk(2025, 5, 6), completed_at=uk(2025, 5, 7))  # no area
    # 1 July 00:30 in London is 30 June 23:30 UTC: a July figure.
    job(due_rule=v2, reported_at=uk(2025, 6, 30), completed_at=uk(2025, 7, 1, 0, 30), area=north)
    # Not counted: cancelled, still open, no due rule, another landlord's.
    job(due_rule=v2, area=north, cancelled=True, completed_at=uk(2025, 5, 7))
    job(due_rule=v2, area=north, completed_at=None)
    job(due_rule=None, due_at=None, area=north, completed_at=uk(2025, 5, 7))
    theirs = repairs_measure(other_org, "rep-cat2", "2")
    RepairJobFactory(organisation=other_org, due_rule=version_of(theirs))
    cat3_v = version_of(cat3)
    job(due_rule=cat3_v, category="3", area=north, reported_at=uk(2025, 5, 1), completed_at=uk(2025, 5, 2))

    result = services.performance_refresh(organisation=org)

    assert _figures(org, cat2) == [
        (D(2025, 4, 1), north.pk, "2", 1, 1),
        (D(2025, 5, 1), None, "2", 1, 1),
        (D(2025, 5, 1), north.pk, "2", 1, 2),
        (D(2025, 7, 1), north.pk, "2", 1, 1),
    ]
    assert _figures(org, cat3) == [(D(2025, 5, 1), north.pk, "3", 1, 1)]
    assert result.figures == 5 and result.measures == 2
    assert not Figure.objects.filter(organisation=other_org).exists()


def test_refresh_replaces_old_figures_and_leaves_other_landlords_alone(org, other_org):
    measure = repairs_measure(org)
    FigureFactory(organisation=org, measure=measure, month=D(2020, 1, 1))
    theirs = repairs_measure(other_org, "x")
    FigureFactory(organisation=other_org, measure=theirs)
    RepairJobFactory(organisation=org, due_rule=version_of(measure))
    services.performance_refresh(organisation=org)
    assert _figures(org) == [(D(2025, 5, 1), None, "2", 1, 1)]
    assert Figure.objects.filter(organisation=other_org).count() == 1
    # Twice gives the same.
    services.performance_refresh(organisation=org)
    assert _figures(org) == [(D(2025, 5, 1), None, "2", 1, 1)]


def test_refresh_by_someone_who_cannot_load_records_is_refused(org, make_user):
    from accounts.models import Role

    with pytest.raises(PermissionDenied):
        services.performance_refresh(organisation=org, actor=make_user(Role.PARTNERSHIP_VIEWER))


def test_population_measures_from_repair_facts(org):
    inspected = repairs_measure(org, "rep-post-inspect", "2", kind=Measure.Kind.POPULATION, sets_due=False)
    inspected.categories.clear()  # every category
    made = repairs_measure(org, "rep-appointment-made", "2", kind=Measure.Kind.POPULATION, sets_due=False)
    kept = repairs_measure(org, "rep-appointment-kept", "2", kind=Measure.Kind.POPULATION, sets_due=False)
    text = repairs_measure(org, "rep-text-confirmation", "2", kind=Measure.Kind.POPULATION, sets_due=False)
    responses = repairs_measure(org, "rep-satisfaction-responses", "2", kind=Measure.Kind.POPULATION, sets_due=False)
    fvf = repairs_measure(org, "rep-first-visit-fix", "2", kind=Measure.Kind.POPULATION, sets_due=False)
    unknown = repairs_measure(org, "something-else", "2", kind=Measure.Kind.POPULATION, sets_due=False)
    job = functools.partial(RepairJobFactory, organisation=org)
    job(post_inspected=True, appointment_made=True, appointment_kept=True, letter_sent_at=uk(2025, 5, 6),
        satisfied=False, first_visit_fix=True)  # fmt: skip
    job(post_inspected=False, appointment_made=True, appointment_kept=False, satisfied=True, first_visit_fix=False)
    job(appointment_made=False)
    job(appointment_made=True)  # kept not known
    job(category="1", post_inspected=True, appointment_made=True, appointment_kept=True)  # other category
    job(cancelled=True, post_inspected=True)  # cancelled: not counted
    job(completed_at=None, due_at=None, post_inspected=True)  # open: not counted

    services.performance_refresh(organisation=org)

    def total(measure):
        rows = Figure.objects.filter(measure=measure)
        return sum(r.numerator for r in rows), sum(r.denominator for r in rows)

    assert total(inspected) == (2, 5)  # every category, completed jobs
    assert total(made) == (3, 4)
    assert total(kept) == (1, 2)
    assert total(text) == (1, 3)
    assert total(responses) == (2, 4)
    assert total(fvf) == (1, 2)
    assert total(unknown) == (0, 0)


def test_asb_hazard_and_planned_works_figures(org):
    asb1 = repairs_measure(org, "asb-cat1", "1", amount=1, subject=Subject.ASB_CASE, target="100")
    hazard = repairs_measure(org, "pm-hhsrs", "1", amount=30, unit="calendar_days", subject=Subject.HAZARD)
    notice = repairs_measure(org, "pm-visit-notice", "1", subject=Subject.PLANNED_WORK, sets_due=False)
    AsbCaseFactory(organisation=org, due_rule=version_of(asb1))
    AsbCaseFactory(organisation=org, due_rule=version_of(asb1), first_contact_at=uk(2025, 5, 9))  # late
    AsbCaseFactory(organisation=org, due_rule=version_of(asb1), first_contact_at=None)  # not contacted yet
    HazardFactory(organisation=org, due_rule=version_of(hazard))
    HazardFactory(organisation=org, due_rule=version_of(hazard), fixed_at=uk(2025, 6, 20))  # late, June
    PlannedWorkVisitFactory(organisation=org)
    PlannedWorkVisitFactory(organisation=org, visited_on=D(2025, 5, 15))  # 5 days' notice
    PlannedWorkVisitFactory(organisation=org, visited_on=None)  # not known

    services.performance_refresh(organisation=org)

    assert _figures(org, asb1) == [(D(2025, 5, 1), None, "1", 1, 2)]
    assert _figures(org, hazard) == [(D(2025, 5, 1), None, "1", 1, 1), (D(2025, 6, 1), None, "1", 0, 1)]
    assert _figures(org, notice) == [(D(2025, 5, 1), None, "", 1, 2)]


def test_count_and_rate_per_1000_homes(org):
    reports = repairs_measure(
        org, "asb-reports", "2", kind=Measure.Kind.COUNT, sets_due=False, subject=Subject.ASB_CASE
    )
    rate = repairs_measure(
        org, "asb-rate", "2", kind=Measure.Kind.RATE, sets_due=False, subject=Subject.ASB_CASE, target="2"
    )
    StockCountFactory(organisation=org, as_at=D(2025, 3, 31), total=1500)
    StockCountFactory(organisation=org, as_at=D(2025, 3, 31), stock="lcho", total=500)
    for _ in range(3):
        AsbCaseFactory(organisation=org, category="2")
    AsbCaseFactory(organisation=org, category="1")  # another category

    services.performance_refresh(organisation=org)

    assert _figures(org, reports) == [(D(2025, 5, 1), None, "2", 3, 0)]
    assert _figures(org, rate) == [(D(2025, 5, 1), None, "2", 3, 2000)]
    results = {
        r.measure.code: r for r in selectors.measure_results(organisation=org, start=D(2025, 5, 1), end=D(2025, 5, 31))
    }
    assert results["asb-reports"].value == Decimal("3")
    # 3 reports for 2,000 homes is 1.5 per 1,000: under the ceiling of 2, so met.
    assert results["asb-rate"].value == Decimal("1.50")
    assert results["asb-rate"].denominator == 2000
    assert results["asb-rate"].met is True and results["asb-rate"].rag == "green"


@pytest.mark.django_db(transaction=True)
def test_a_refresh_grouped_in_id_ranges_side_by_side_gives_the_same_figures(org, monkeypatch):
    """On SQLite a big table's groupings run in id ranges, one thread and connection each, and the
    ranges' counts are added up: every figure, a rate's denominator too, must be what one query
    gives. (PostgreSQL never splits: it has its own parallel workers.)"""
    timed = repairs_measure(org)
    inspected = repairs_measure(org, "rep-post-inspect", "2", kind=Measure.Kind.POPULATION, sets_due=False)
    rate = repairs_measure(
        org, "asb-rate", "2", kind=Measure.Kind.RATE, sets_due=False, subject=Subject.ASB_CASE, target="2"
    )
    contact = repairs_measure(org, "asb-cat2", "2", amount=1, subject=Subject.ASB_CASE, target="100")
    StockCountFactory(organisation=org, as_at=D(2024, 3, 31), total=900)
    north, south = AreaFactory(organisation=org), AreaFactory(organisation=org)
    for n in range(60):
        reported = uk(2025, 1 + n % 6, 2 + n % 20, 9 + n % 8)
        RepairJobFactory(
            organisation=org,
            area=(north, south, None)[n % 3],
            reported_at=reported,
            completed_at=reported + datetime.timedelta(days=n % 9),
            due_rule=version_of(timed),
            post_inspected=n % 4 == 0,
        )
        AsbCaseFactory(
            organisation=org,
            category="2",
            area=(north, None)[n % 2],
            reported_at=reported,
            first_contact_at=reported + datetime.timedelta(hours=n % 40),
            due_rule=version_of(contact),
        )
    monkeypatch.setattr(services, "_threads", lambda: 1)
    services.performance_refresh(organisation=org)
    one_query = _figures(org)
    assert {f[4] for f in _figures(org, rate)} == {900}
    assert _figures(org, inspected) and _figures(org, timed) and _figures(org, contact)

    pools = []
    monkeypatch.setattr(services, "_threads", lambda: 3)
    monkeypatch.setattr(services, "SPLIT_GROUPING_ROWS", 0)
    monkeypatch.setattr(services, "ThreadPoolExecutor", lambda n: pools.append(n) or ThreadPoolExecutor(n))
    services.performance_refresh(organisation=org)

    assert _figures(org) == one_query
    assert pools == ([3, 3, 3] if connection.vendor == "sqlite" else [])  # repairs, ASB cases, ASB counts


# --- The records that missed and those at risk --------------------------------------------------------


def test_misses_say_how_late_in_working_days_around_a_bank_holiday(org):
    measure = repairs_measure(org)
    v = version_of(measure)
    # Due at the end of Friday 23 May 2025; Monday 26 May is the spring bank holiday.
    due = uk(2025, 5, 23, 23, 59)
    job = functools.partial(RepairJobFactory, organisation=org, due_rule=v, reported_at=uk(2025, 5, 20), due_at=due)
    tuesday = job(reference="TUE", completed_at=uk(2025, 5, 27, 10))
    wednesday = job(reference="WED", completed_at=uk(2025, 5, 28, 10))
    saturday = job(reference="SAT", completed_at=uk(2025, 5, 24, 10))
    job(reference="OK", completed_at=uk(2025, 5, 22))
    page = selectors.misses(measure=measure, period=selectors.month_period(D(2025, 5, 1)))
    late = {r.reference: str(r.late) for r in page.object_list}
    assert late == {"SAT": "1 working day", "TUE": "1 working day", "WED": "2 working days"}
    assert [r.pk for r in page.object_list] == [saturday.pk, tuesday.pk, wednesday.pk]
    assert selectors.misses(measure=measure, period=selectors.month_period(D(2025, 6, 1))).paginator.count == 0


def test_misses_in_hours_and_paginated(org):
    measure = repairs_measure(org, "rep-cat1", "1", amount=24, unit="hours")
    v = version_of(measure)
    for i in range(30):
        RepairJobFactory(
            organisation=org, category="1", due_rule=v, reported_at=uk(2025, 5, 6), due_at=uk(2025, 5, 7, 0),
            completed_at=uk(2025, 5, 7, 0, 1) + datetime.timedelta(hours=i),
        )  # fmt: skip
    page = selectors.misses(measure=measure, period=selectors.month_period(D(2025, 5, 1)), per_page=25)
    assert page.paginator.count == 30 and len(page.object_list) == 25
    assert str(page.object_list[0].late) == "1 hour" and str(page.object_list[1].late) == "2 hours"
    page2 = selectors.misses(measure=measure, period=selectors.month_period(D(2025, 5, 1)), page=2)
    assert len(page2.object_list) == 5


def test_at_risk_lists_open_records_already_past_due(org):
    measure = repairs_measure(org)
    v = version_of(measure)
    now = uk(2025, 6, 4, 12)
    job = functools.partial(
        RepairJobFactory, organisation=org, due_rule=v, completed_at=None, reported_at=uk(2025, 5, 28)
    )
    overdue = job(reference="LATE", due_at=uk(2025, 6, 2, 23, 59))
    job(reference="NOT-YET", due_at=uk(2025, 6, 5, 23, 59))
    job(reference="CANCELLED", due_at=uk(2025, 6, 2, 23, 59), cancelled=True)
    job(reference="DONE", due_at=uk(2025, 6, 2, 23, 59), completed_at=uk(2025, 6, 3))
    page = selectors.at_risk(measure=measure, now=now)
    assert [r.pk for r in page.object_list] == [overdue.pk]
    assert str(page.object_list[0].late) == "2 working days"


def test_planned_works_misses_say_how_much_notice(org):
    notice = repairs_measure(org, "pm-visit-notice", "1", subject=Subject.PLANNED_WORK, sets_due=False)
    PlannedWorkVisitFactory(organisation=org, reference="SHORT", visited_on=D(2025, 5, 15))
    PlannedWorkVisitFactory(organisation=org, reference="FINE")
    page = selectors.misses(measure=notice, period=selectors.month_period(D(2025, 5, 1)))
    assert [(r.reference, r.late) for r in page.object_list] == [("SHORT", "5 days' notice")]
    assert selectors.at_risk(measure=notice) is None


JOB = st.tuples(
    st.sampled_from(["2", "3"]),  # category
    st.integers(min_value=0, max_value=2),  # area index (2: none)
    st.datetimes(min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2025, 12, 31)),
    st.one_of(st.none(), st.integers(min_value=0, max_value=20 * 24)),  # hours to complete; None: open
    st.booleans(),  # cancelled
    st.booleans(),  # has a due rule
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(jobs=st.lists(JOB, max_size=25))
def test_refresh_matches_a_count_of_the_jobs_by_hand(org, jobs):
    """Any jobs: the stored figures are the contract's counts, worked out here one job at a time."""
    from performance.models import RepairJob

    RepairJob.objects.filter(organisation=org).delete()
    if not org.measures.exists():
        for c in ("2", "3"):
            repairs_measure(org, f"prop-cat{c}", c)
    measures = {m.categories.get().code: m for m in org.measures.all()}
    areas = list(org.areas.order_by("pk")) or [AreaFactory(organisation=org), AreaFactory(organisation=org)]
    expected: dict[tuple, list[int]] = {}
    for i, (category, area_i, reported, hours, cancelled, ruled) in enumerate(jobs):
        reported_at = reported.replace(tzinfo=selectors.UK)
        completed_at = None if hours is None else reported_at + datetime.timedelta(hours=hours)
        due_at = reported_at + datetime.timedelta(days=3) if ruled else None
        area = areas[area_i] if area_i < 2 else None
        RepairJobFactory(
            organisation=org, reference=f"H{i}", category=category, area=area, reported_at=reported_at,
            completed_at=completed_at, cancelled=cancelled, due_at=due_at,
            due_rule=version_of(measures[category]) if ruled else None,
        )  # fmt: skip
        if ruled and completed_at is not None and not cancelled:
            local = completed_at.astimezone(selectors.UK)
            key = (measures[category].pk, D(local.year, local.month, 1), area.pk if area else None, category)
            row = expected.setdefault(key, [0, 0])
            row[0] += completed_at <= due_at
            row[1] += 1
    services.performance_refresh(organisation=org)
    stored = {
        (f.measure_id, f.month, f.area_id, f.category): [f.numerator, f.denominator]
        for f in Figure.objects.filter(organisation=org)
    }
    assert stored == expected


def test_asb_at_risk_and_hazard_misses_in_calendar_days(org):
    asb1 = repairs_measure(org, "asb-cat1", "1", amount=1, subject=Subject.ASB_CASE, target="100")
    hazard = repairs_measure(org, "pm-hhsrs", "1", amount=30, unit="calendar_days", subject=Subject.HAZARD)
    waiting = AsbCaseFactory(
        organisation=org, due_rule=version_of(asb1), first_contact_at=None, contact_due_at=uk(2025, 6, 2, 23, 59)
    )
    AsbCaseFactory(organisation=org, due_rule=version_of(asb1), first_contact_at=None, closed_at=uk(2025, 6, 3),
                   contact_due_at=uk(2025, 6, 2, 23, 59))  # fmt: skip  # closed without contact: not at risk
    page = selectors.at_risk(measure=asb1, now=uk(2025, 6, 4, 12))
    assert [(r.pk, str(r.late)) for r in page.object_list] == [(waiting.pk, "2 working days")]
    HazardFactory(organisation=org, reference="SLOW", due_rule=version_of(hazard), identified_at=uk(2025, 4, 1),
                  due_at=uk(2025, 5, 1, 23, 59), fixed_at=uk(2025, 5, 4, 10))  # fmt: skip
    (slow,) = selectors.misses(measure=hazard, period=selectors.month_period(D(2025, 5, 1))).object_list
    assert str(slow.late) == "3 days"


@pytest.mark.parametrize(
    ("completed", "month"),
    [
        (uk(2025, 11, 1, 0, 0), D(2025, 11, 1)),  # the first instant of a month (GMT) is in it
        (uk(2025, 10, 31, 23, 59), D(2025, 10, 1)),  # after the clocks went back, still October
        (uk(2025, 10, 1, 0, 0), D(2025, 10, 1)),  # midnight BST is 23:00 UTC the day before
        (uk(2025, 9, 30, 23, 59), D(2025, 9, 1)),
        (uk(2026, 3, 31, 23, 30), D(2026, 3, 1)),  # after the clocks went forward
        (uk(2026, 4, 1, 0, 15), D(2026, 4, 1)),
    ],
)
def test_each_job_falls_in_its_uk_month_either_side_of_the_clock_changes(org, completed, month):
    """SQLite groups by a CASE over the UTC instants months start at, PostgreSQL by AT TIME ZONE:
    both must put a job in the month a person in the UK would."""
    cat2 = repairs_measure(org, "rep-cat2", "2")
    RepairJobFactory(organisation=org, due_rule=version_of(cat2), reported_at=uk(2025, 1, 6), completed_at=completed)
    # A job months earlier, so the months searched run well before the one that matters.
    RepairJobFactory(
        organisation=org, due_rule=version_of(cat2), reported_at=uk(2025, 1, 6), completed_at=uk(2025, 1, 7)
    )
    services.performance_refresh(organisation=org)
    months = {row[0] for row in _figures(org, cat2)}
    assert months == {D(2025, 1, 1), month}


def test_the_appointment_letter_promise_counts_completed_jobs_by_their_letter(org):
    """The promise "we will write within four days" (a timescale ending at the letter, not the one that sets
    the job's due moment): each completed job of its category counts once, on time or not; a job
    with no timescale for the letter (another category) does not count."""
    cat3 = repairs_measure(org, "rep-cat3", "3", amount=28)
    letter = repairs_measure(org, "rep-letter", "3", amount=4, unit="calendar_days", sets_due=False)
    MeasureVersion.objects.filter(measure=letter).update(start_event="reported", end_event="letter_sent")
    job = functools.partial(
        RepairJobFactory, organisation=org, category="3", due_rule=version_of(cat3), reported_at=uk(2025, 6, 2)
    )
    job(completed_at=uk(2025, 6, 20), letter_on_time=True)
    job(completed_at=uk(2025, 6, 21), letter_on_time=True)
    job(completed_at=uk(2025, 6, 22), letter_on_time=False)  # late, or no letter at all
    job(completed_at=None, letter_on_time=True)  # still open: judged when completed
    job(completed_at=uk(2025, 6, 23), letter_on_time=None)  # nothing says when it was due
    services.performance_refresh(organisation=org)
    assert _figures(org, letter) == [(D(2025, 6, 1), None, "3", 2, 3)]
