"""Staff journey in a real Chromium: sign in, search and filter the register, open a record.
Every page is checked with axe-core for WCAG 2.2 A and AA."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from people.tests.factories import AreaFactory, HomeFactory, ResidentFactory, TenancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register(org, other_org):
    north = AreaFactory(organisation=org, name="North")
    south = AreaFactory(organisation=org, name="South")
    for i in range(12):
        area = north if i % 2 else south
        home = HomeFactory(organisation=org, area=area)
        ResidentFactory(
            organisation=org, tenancy=TenancyFactory(organisation=org, home=home), last_name=f"Smith{i:02d}"
        )
    ResidentFactory(organisation=org, last_name="Okonkwo", involvement_level="decision_making")
    ResidentFactory(organisation=other_org, last_name="Okafor")
    return north


def _sign_in(page, username: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()


def test_staff_search_journey(page, axe_check, make_user, register):
    make_user(Role.INVOLVEMENT_OFFICER, username="officer")
    _sign_in(page, "officer")
    page.get_by_role("heading", level=1).wait_for()
    axe_check(page, "dashboard")

    page.get_by_role("link", name="Residents").first.click()
    axe_check(page, "resident list")
    page.get_by_label("Search").fill("Oko")
    page.get_by_role("button", name="Apply filters").click()
    results = page.locator("#results")
    expect(page.locator("#results")).to_contain_text("1 resident")
    results.get_by_role("link", name="Okonkwo").wait_for()
    assert "Okafor" not in results.inner_text()  # another landlord's resident

    page.get_by_label("Search").fill("")
    page.get_by_label("Area").select_option(label="North")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**area=*")
    expect(page.locator("#results")).to_contain_text("6 residents")
    axe_check(page, "filtered list")

    page.locator("#results").get_by_role("link").filter(has_text="Smith").first.click()
    page.get_by_role("heading", level=1).wait_for()
    axe_check(page, "resident record")
    assert page.console_errors == []


def test_manager_pages_pass_axe(page, axe_check, make_user, register):
    from people.models import EqualityProfile, Resident

    make_user(Role.MANAGER, username="manager")
    resident = Resident.objects.filter(last_name="Okonkwo").get()
    EqualityProfile.objects.create(resident=resident, sex="female")
    _sign_in(page, "manager")
    page.get_by_role("heading", level=1).wait_for()
    for path in (
        f"/staff/residents/{resident.pk}/equality/",
        f"/staff/residents/{resident.pk}/equality/edit/",
        f"/staff/residents/{resident.pk}/history/",
        "/staff/equality/",
        "/staff/calendar/",
        "/staff/messages/",
        "/account/security/",
        "/account/security/two-factor/",
    ):
        page.goto(path)
        axe_check(page, path)
    assert page.console_errors == []


def test_import_pages_pass_axe(page, axe_check, make_user, register):
    make_user(Role.ADMINISTRATOR, username="admin")
    _sign_in(page, "admin")
    page.get_by_role("heading", level=1).wait_for()
    for path in (
        "/staff/imports/",
        "/staff/api-tokens/",
        "/staff/residents/?status=pending",
        "/staff/calendar/office-hours/",
    ):
        page.goto(path)
        axe_check(page, path)
    assert page.console_errors == []
