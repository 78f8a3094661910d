"""The staff performance pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from accounts.models import Role
from performance.models import Figure, RagThresholds
from performance.tests.conftest import MAY
from performance.tests.factories import RepairJobFactory, repairs_measure, uk, version_of

pytestmark = pytest.mark.django_db


def test_overview_shows_every_measure_with_status_and_milestones(client, officer, offer, django_assert_max_num_queries):
    client.force_login(officer)
    with django_assert_max_num_queries(13):
        page = client.get(f"/staff/performance/?{MAY}").content.decode()
    assert "May 2025" in page
    assert "Category 2 urgent repairs completed within 3 working days" in page
    assert "60.0%" in page and "3 of 5" in page
    assert "Red: below target" in page
    assert "100.0%" in page and "Green: target met" in page  # category 3
    assert "No figures" in page  # measures that are not worked out from records
    # Milestones with their status, beside the results.
    assert "Feasibility study of evening and weekend appointments complete" in page
    assert "Overdue" in page and "Done" in page
    assert 'href="/staff/performance/thresholds/"' not in page  # officers do not set thresholds
    assert "Refresh figures" in page


def test_overview_filters_by_area_and_category_and_compares_with_before(client, officer, offer, org):
    client.force_login(officer)
    page = client.get(f"/staff/performance/?{MAY}&category=3").content.decode()
    assert "60.0%" not in page and "100.0%" in page
    page = client.get(f"/staff/performance/?period=month&month=2025-06&area={offer.north.pk}").content.decode()
    assert "June 2025, North" in page and "No earlier figure" in page
    # A quarter with a month before it: worse than the quarter before (which had none) is not claimed.
    page = client.get("/staff/performance/?period=quarter&month=2025-05").content.decode()
    assert "Quarter 1 of 2025/26" in page
    Figure.objects.create(
        organisation=org, measure=offer.cat2, month=datetime.date(2025, 4, 1), numerator=1, denominator=1
    )
    page = client.get(f"/staff/performance/?{MAY}").content.decode()
    assert "Worse than before (100.0%)" in page


def test_measure_page_has_a_chart_with_its_table_misses_and_at_risk(
    client, officer, offer, django_assert_max_num_queries
):
    client.force_login(officer)
    url = f"/staff/performance/measures/{offer.cat2.pk}/?{MAY}"
    with django_assert_max_num_queries(23):
        page = client.get(url).content.decode()
    assert "<svg" in page and 'role="img"' in page and "<script" not in page.split("<svg")[1].split("</svg>")[0]
    assert "each month's result and target (the data in the chart)" in page
    assert "June 2024" in page and "May 2025" in page  # twelve months up to the period
    assert "Records that missed (2)" in page
    assert "LATE0" in page and "LATE1" in page and "ONTIME0" not in page
    assert "3 working days" in page  # due Friday 9 May, done Wednesday 14 May
    assert "At risk: open and already past due (1)" in page and "OPEN1" in page
    assert "Open a remedial action" in page
    assert "North" in page


def test_misses_are_paginated_in_a_fixed_number_of_queries(client, officer, offer, org, django_assert_max_num_queries):
    v2 = offer.cat2.versions.get()
    for i in range(60):
        RepairJobFactory(organisation=org, due_rule=v2, reported_at=uk(2025, 5, 6), due_at=uk(2025, 5, 9, 23, 59),
                         completed_at=uk(2025, 5, 20), reference=f"MORE{i:02d}")  # fmt: skip
    client.force_login(officer)
    with django_assert_max_num_queries(23):
        page = client.get(f"/staff/performance/measures/{offer.cat2.pk}/?{MAY}&page=3").content.decode()
    assert "Records that missed (62)" in page and "Page 3 of 3" in page


def test_refresh_figures(client, officer, org, make_user, offer):
    Figure.objects.filter(organisation=org).delete()
    client.force_login(make_user(Role.PARTNERSHIP_VIEWER))
    assert client.post("/staff/performance/refresh/").status_code == 403
    client.force_login(officer)
    response = client.post("/staff/performance/refresh/", follow=True)
    assert "Figures worked out again" in response.content.decode()
    assert Figure.objects.filter(organisation=org, measure=offer.cat2).count() == 1
    assert client.get("/staff/performance/refresh/").status_code == 405


def test_thresholds_are_set_by_managers(client, officer, manager, org, offer):
    client.force_login(officer)
    assert client.get("/staff/performance/thresholds/").status_code == 403
    client.force_login(manager)
    bad = client.post("/staff/performance/thresholds/", {"amber_points": "-1"}).content.decode()
    assert "Enter a number from 0 to 100" in bad
    assert client.post("/staff/performance/thresholds/", {"amber_points": "45"}).status_code == 302
    assert RagThresholds.objects.get(organisation=org).amber_points == Decimal("45")
    page = client.get(f"/staff/performance/?{MAY}").content.decode()
    assert "Amber: just below target" in page  # 60% against 99% is within 45 points


def test_another_landlords_measure_is_not_found(client, officer, other_org):
    theirs = repairs_measure(other_org)
    client.force_login(officer)
    assert client.get(f"/staff/performance/measures/{theirs.pk}/").status_code == 404
    assert client.get(f"/staff/performance/measures/{theirs.pk}/remedial-action/").status_code == 404


def test_a_period_across_a_target_change_says_so(client, officer, org):
    measure = repairs_measure(org, target="90")
    from standards.models import MeasureVersion

    MeasureVersion.objects.create(
        measure=measure, number=2, effective_from=datetime.date(2025, 5, 1), target=Decimal("95")
    )
    RepairJobFactory(
        organisation=org, due_rule=version_of(measure), reported_at=uk(2025, 4, 1), completed_at=uk(2025, 4, 2)
    )
    client.force_login(officer)
    page = client.get(
        f"/staff/performance/measures/{measure.pk}/?period=custom&from=2025-04&to=2025-05"
    ).content.decode()
    assert "The target changed during this period" in page
    assert "95% from 1 May 2025" in page


def test_a_sample_measure_lists_the_checks_that_failed(client, officer, offer, org, django_assert_max_num_queries):
    from performance import services
    from performance.models import SampleCheck

    tidy = offer.measures["rep-tidy"]
    for n, passed in enumerate([True, True, True, False]):
        SampleCheck.objects.create(
            organisation=org,
            reference=f"CHECK{n}",
            measure=tidy,
            area=offer.north,
            checked_on=datetime.date(2025, 5, 5 + n),
            passed=passed,
            method="Post-inspection",
        )
    services.performance_refresh(organisation=org)
    client.force_login(officer)

    with django_assert_max_num_queries(23):
        page = client.get(f"/staff/performance/measures/{tidy.pk}/?{MAY}").content.decode()

    assert "75.0%" in page and "3 of 4" in page
    assert "Checks that failed (1)" in page and "CHECK3" in page and "CHECK0" not in page
    assert "8 May 2025" in page and "Post-inspection" in page
    assert "At risk" not in page
