"""A household votes on estate improvements in a real Chromium, with axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from budgeting.models import Vote
from budgeting.tests.factories import FundFactory, ProposalFactory
from people.tests.factories import AreaFactory, HomeFactory, ResidentFactory, TenancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_household_votes_on_estate_improvements(page, axe_check, org):
    estate = AreaFactory(organisation=org, name="Mill Estate")
    fund = FundFactory(organisation=org, stage="voting", name="Mill Estate improvements")
    fund.areas.set([estate])
    ProposalFactory(fund=fund, title="Community garden", area=estate)
    ProposalFactory(fund=fund, title="Brighter lighting on the path", area=estate)
    home = HomeFactory(organisation=org, area=estate, postcode="OX1 1AA")
    ResidentFactory(
        organisation=org, tenancy=TenancyFactory(organisation=org, home=home, reference="T555"), last_name="Seacole"
    )

    page.goto(f"/estate-funds/{org.slug}/")
    axe_check(page, "funds")
    page.get_by_role("link", name="Mill Estate improvements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mill Estate improvements")
    axe_check(page, "fund")
    page.get_by_role("button", name="Vote now").click()

    page.get_by_label("Tenancy reference").fill("T555")
    page.get_by_label("Postcode").fill("OX1 1AA")
    page.get_by_label("Your last name").fill("Smith")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("could not find a household")
    axe_check(page, "household not found")
    page.get_by_label("Your last name").fill("Seacole")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your vote")
    page.get_by_role("button", name="Send my vote").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose an idea")
    axe_check(page, "ballot with error")
    page.get_by_label("Community garden").check()
    page.get_by_role("button", name="Send my vote").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your household's vote has been counted")
    axe_check(page, "vote counted")
    assert Vote.objects.filter(fund=fund, proposal__title="Community garden").count() == 1

    # Coming back to the ballot does not offer a second vote.
    page.goto(f"/estate-funds/{org.slug}/{fund.slug}/vote/ballot/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your household's vote has been counted")
    assert page.console_errors == []
