"""Figures: the refresh gives exactly the contract's figure; results for any period, area and
category; trends; target versions; red/amber/green; the records that missed and those at risk."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from people.tests.factories import AreaFactory
from performance import selectors
from performance.models import RagThresholds
from performance.tests.factories import FigureFactory, repairs_measure
from standards.models import MeasureVersion

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
    for p in (selectors.year_period(2024), selectors.quarter_period(today), selectors.custom_period(today, today)):
        assert selectors.period_from_query(p.query(), today) == p
