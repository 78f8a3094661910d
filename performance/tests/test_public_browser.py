"""A resident, not signed in, finds their landlord's promises and results from the home page,
in a real Chromium with axe on every page and JavaScript turned off for the chart."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from people.tests.factories import AreaFactory
from performance import published
from performance.tests.factories import FigureFactory
from standards import services as standards_services
from standards.models import Measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _month(offset: int):
    return published._add_months(timezone.localdate().replace(day=1), offset)


def test_a_resident_reads_the_promises_results_and_trend(page, axe_check, org, manager, chromium, live_server):
    standards_services.local_offer_load_preset(organisation=org, actor=manager)
    cat1 = Measure.objects.get(organisation=org, code="rep-cat1")
    for offset in range(-12, -1):
        FigureFactory(organisation=org, measure=cat1, month=_month(offset), numerator=199, denominator=200)
    FigureFactory(organisation=org, measure=cat1, month=_month(-1), numerator=97, denominator=100)
    _, quarter = published.latest_periods(organisation=org)
    for name, d in (("Blackbird Leys", 60), ("Rose Hill", 2), ("Barton", 30)):
        area = AreaFactory(organisation=org, name=name)
        FigureFactory(organisation=org, measure=cat1, month=quarter.start, area=area, numerator=d - 1, denominator=d)
    month_label = f"{_month(-1):%B %Y}"

    page.goto("/")
    page.get_by_role("link", name="Our promises to you and how we are keeping them").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our promises to you and how we are keeping them")
    expect(page.get_by_text(f"In {month_label}, 97 out of 100 category 1 emergency repairs")).to_be_visible()
    expect(page.locator(".govuk-summary-card").first).to_contain_text("Promise not kept")
    axe_check(page, "public performance page")

    page.get_by_role(
        "link", name="How we did each month for Category 1 emergency repairs made safe within 24 hours"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Category 1 emergency repairs made safe within 24 hours")
    chart = page.get_by_role("img", name="Category 1 emergency repairs made safe within 24 hours: each month")
    expect(chart).to_be_visible()
    expect(page.locator("table").first.locator("tbody tr")).to_have_count(12)
    expect(page.get_by_role("row", name="Rose Hill")).to_contain_text("Fewer than 5: not shown")
    expect(page.get_by_role("row", name="Blackbird Leys")).to_contain_text("98.3%")
    axe_check(page, "measure trend")

    page.get_by_role("link", name="All our promises").click()
    page.get_by_role("link", name="All downloads, in CSV and JSON, and what each column means").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download our figures")
    axe_check(page, "open data")
    assert page.console_errors == []

    # The chart is drawn on the server: with JavaScript off it is all still there.
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    no_js = context.new_page()
    no_js.goto(f"/performance/{org.slug}/measures/{cat1.pk}/")
    expect(no_js.locator("svg[role=img] circle")).to_have_count(12)
    context.close()
