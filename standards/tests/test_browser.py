"""A manager loads the Oxford Local Offer and changes a target, in a real Chromium with axe."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from standards.models import Measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_loads_the_local_offer_and_changes_a_target(page, axe_check, client, live_server, manager):
    client.force_login(manager)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto("/staff/local-offer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Local offer")
    axe_check(page, "empty local offer")
    page.get_by_role("link", name="Load a ready-made local offer").click()
    axe_check(page, "preset")
    page.get_by_label("Oxford City Council Local Offer, July 2014 to March 2016").check()
    page.get_by_role("button", name="Load the local offer").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("34 commitments and 41 measures added")
    axe_check(page, "local offer")

    page.get_by_role("link", name="Category 3 routine repairs completed within 28 working days").click()
    axe_check(page, "measure")
    page.get_by_role("link", name="Change the target").click()
    page.get_by_label("Target", exact=True).fill("150")
    page.get_by_label("Date the change takes effect").fill("1/4/2015")
    page.get_by_label("Why is it changing?").fill("Agreed with the Tenants' Review Group - Repairs")
    page.get_by_role("button", name="Save the new version").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("A percentage target must be between 0 and 100")
    axe_check(page, "change with error")
    page.get_by_label("Target", exact=True).fill("97")
    page.get_by_role("button", name="Save the new version").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 2 saved, in force from 1 April 2015")
    axe_check(page, "measure with two versions")
    measure = Measure.objects.get(code="rep-cat3")
    assert list(measure.versions.values_list("target", flat=True)) == [Decimal("96.50"), Decimal("97.00")]

    page.goto("/staff/local-offer/milestones/")
    axe_check(page, "milestones")
    leaflet = Measure.objects.get(code="asb-leaflet")
    page.locator(f'a[href="/staff/local-offer/milestones/{leaflet.pk}/done/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record Service standard leaflet published as done")
    page.get_by_role("button", name="Record as done").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what shows the milestone was delivered")
    axe_check(page, "milestone form with error")
    page.goto(f"/staff/local-offer/commitments/{measure.commitment_id}/change/")
    axe_check(page, "commitment form")
    page.goto("/staff/local-offer/asb-categories/?q=graffiti")
    axe_check(page, "categories")
    assert page.console_errors == []
