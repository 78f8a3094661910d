"""The demo landlord's operational data: two reporting years, loaded through the importers, and
figures that look like a real landlord's (most measures near target, not all)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.calendar import LONDON
from core.models import ClosureDay, ImportBatch
from people.demo import build_demo
from people.models import Home
from performance.demo import christmas_closures, reporting_year_start
from performance.models import AsbCase, ComplaintCount, Figure, Hazard, PlannedWorkVisit, RepairJob, StockCount
from standards.models import Measure


@pytest.mark.django_db
def test_demo_has_two_reporting_years_of_operational_data_through_the_importers():
    build_demo(residents=500, seed=4)
    home = Home.objects.filter(reference__startswith="RH").select_related("organisation").first()
    org = home.organisation
    homes = Home.objects.filter(organisation=org).count()
    today = timezone.localdate(timezone=LONDON)
    first = datetime.date(reporting_year_start(today) - 1, 4, 1)
    years = (today - first).days / 365.25

    jobs = RepairJob.objects.filter(organisation=org)
    assert 2.6 * homes * years < jobs.count() < 3.4 * homes * years
    # Every job from the files, for a known home and area, reported inside the two years.
    assert not jobs.filter(home__isnull=True).exists() and not jobs.filter(area__isnull=True).exists()
    earliest = jobs.order_by("reported_at").first().reported_at
    assert timezone.localtime(earliest, LONDON).date() >= first
    assert jobs.filter(completed_at__isnull=True, cancelled=False).exists()  # some still open
    assert jobs.filter(cancelled=True).exists()
    # (Hate incidents are about 6% of cases: test_generate checks the mix on a larger sample.)
    assert AsbCase.objects.filter(organisation=org).values("category").distinct().count() == 3
    assert PlannedWorkVisit.objects.filter(organisation=org).exists()
    assert Hazard.objects.filter(organisation=org, category="1").exists()
    assert StockCount.objects.filter(organisation=org, item="homes").count() >= 2
    assert ComplaintCount.objects.filter(organisation=org).values("year_starting").distinct().count() == 2
    # Loaded the real way: one imported batch per kind of file.
    kinds = set(
        ImportBatch.objects.filter(organisation=org, status=ImportBatch.Status.IMPORTED).values_list("kind", flat=True)
    )
    assert {
        "repairs",
        "asb_cases",
        "planned_visits",
        "hazards",
        "sample_checks",
        "stock_counts",
        "complaint_counts",
    } <= kinds
    # The Christmas shutdown is in the landlord's calendar.
    assert set(christmas_closures(first, today)) <= set(
        ClosureDay.objects.filter(organisation=org).values_list("date", flat=True)
    )

    # Figures worked out; the repairs timescales mostly near their targets, but not all perfect.
    timed = Measure.objects.filter(organisation=org, code__in=["rep-cat1", "rep-cat2", "rep-cat3"])
    assert timed.count() == 3
    rates = {}
    for measure in timed:
        figures = Figure.objects.filter(organisation=org, measure=measure)
        numerator = sum(f.numerator for f in figures)
        denominator = sum(f.denominator for f in figures)
        assert denominator > 50
        rates[measure.code] = 100 * numerator / denominator
    assert rates["rep-cat1"] > 97 and rates["rep-cat2"] > 95 and rates["rep-cat3"] > 92
    assert min(rates.values()) < 100
    assert Figure.objects.filter(organisation=org, measure__code="rep-post-inspect").exists()
    # Every promise measured on a sample has checks, and most pass.
    for measure in Measure.objects.filter(organisation=org, kind=Measure.Kind.SAMPLE):
        figures = Figure.objects.filter(organisation=org, measure=measure)
        checked = sum(f.denominator for f in figures)
        assert checked > 5, measure.code
        assert 0.85 < sum(f.numerator for f in figures) / checked <= 1, measure.code
    # Neighbourhood visits: most neighbourhood-weeks had their two visits, not all.
    visits = Figure.objects.filter(organisation=org, measure__code="asb-neighbourhood-visits")
    weeks = sum(f.denominator for f in visits)
    assert weeks > 50 and 0.8 < sum(f.numerator for f in visits) / weeks < 1
