"""An officer reads the results, drills into a measure below target and opens a remedial action;
a scrutiny panel member reads the results and comments. In a real Chromium with axe, and with
JavaScript turned off for the chart (it is drawn on the server)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from groups.models import GroupKind
from groups.tests.factories import GroupFactory, MembershipFactory
from people.tests.factories import ResidentFactory
from performance.models import MeasureComment, RemedialAction
from performance.tests.conftest import MAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, client, live_server, user):
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_officer_and_panel_member_journeys(
    page, axe_check, client, live_server, officer, manager, make_user, org, offer
):
    _sign_in(page, client, live_server, officer)
    page.goto(f"/staff/performance/?{MAY}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance")
    axe_check(page, "overview")
    page.get_by_text("Choose the period, area or category").click()
    page.get_by_label("Period").select_option("quarter")
    page.get_by_role("button", name="Show results").click()
    expect(page.locator(".govuk-body-l")).to_contain_text("Quarter 1 of 2025/26")
    axe_check(page, "overview for a quarter")

    page.goto(f"/staff/performance/?{MAY}")
    page.get_by_role("link", name="Category 2 urgent repairs completed within 3 working days").click()
    expect(page.get_by_role("img")).to_have_count(1)
    expect(page.get_by_role("heading", name="Records that missed (2)")).to_be_visible()
    axe_check(page, "measure")
    page.get_by_role("link", name="Open a remedial action").click()
    page.get_by_role("button", name="Open action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what will be done")
    axe_check(page, "remedial action with error")
    page.get_by_label("What will be done").fill("Chase every late job with the contractor")
    page.get_by_label("Who is responsible").fill("Repairs manager")
    page.get_by_label("Due date").fill("31/7/2025")
    page.get_by_role("button", name="Open action").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Remedial action opened")
    assert RemedialAction.objects.get().owner == "Repairs manager"
    page.get_by_role("link", name="Close").click()
    axe_check(page, "close action")
    page.get_by_label("What was done").fill("Every job called back")
    page.get_by_role("button", name="Close action").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Remedial action closed")

    _sign_in(page, client, live_server, manager)
    page.goto("/staff/performance/thresholds/")
    axe_check(page, "thresholds")

    user = make_user(Role.INVOLVED_RESIDENT, username="panel-member")
    resident = ResidentFactory(organisation=org, user=user)
    MembershipFactory(
        group=GroupFactory(organisation=org, name="Scrutiny Panel", kind=GroupKind.SCRUTINY_PANEL), resident=resident
    )
    _sign_in(page, client, live_server, user)
    page.goto(f"/your-groups/performance/?{MAY}")
    axe_check(page, "resident overview")
    page.get_by_role("link", name="Category 2 urgent repairs completed within 3 working days").click()
    axe_check(page, "resident measure")
    page.get_by_label("Your comment").fill("Why were two jobs late in May?")
    page.get_by_role("button", name="Add comment on May 2025").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your comment has been added")
    assert MeasureComment.objects.get().group.name == "Scrutiny Panel"
    assert page.console_errors == []


def test_the_chart_and_its_table_work_without_javascript(chromium, live_server, client, officer, offer):
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    client.force_login(officer)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"/staff/performance/measures/{offer.cat2.pk}/?{MAY}")
    expect(page.locator("svg.app-chart rect")).to_have_count(1)
    expect(page.get_by_role("table").filter(has_text="the data in the chart")).to_contain_text("May 2025")
    context.close()
