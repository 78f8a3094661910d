"""An administrator loads the dataset, chooses our landlord and reads where we stand, in a real
Chromium with axe on every page; the measure page's peer choice works without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tsm.tests.factories import make_dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, username: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_admin_chooses_our_landlord_and_reads_the_comparison(page, axe_check, org, make_user):
    make_user(Role.ADMINISTRATOR, username="tsm-admin")
    make_dataset(codes={"L0003:BS02": "[S]", "L0003:TP01": "[U]"})
    _sign_in(page, "tsm-admin")
    page.goto("/staff/tsm/")
    axe_check(page, "benchmark without a landlord")
    page.get_by_role("link", name="Choose this organisation's landlord").click()
    axe_check(page, "choose landlord")
    page.get_by_label("Which landlord in the regulator's dataset is this organisation?").select_option("L0003")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tenant Satisfaction Measures: how we compare")
    expect(page.locator("table").first).to_contain_text("[U] unreliable")
    axe_check(page, "benchmark")
    page.get_by_role("link", name="RP01 Homes that do not meet the Decent Homes Standard").click()
    axe_check(page, "measure")
    page.get_by_label("Same region").check()
    page.get_by_role("button", name="Show landlords").click()
    expect(page.locator("caption", has_text="Same region")).to_contain_text("3 landlords")
    axe_check(page, "measure, same region")
    page.goto("/staff/tsm/dataset/")
    axe_check(page, "dataset")
    page.get_by_role("button", name="Load the dataset").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the dataset file to upload")
    axe_check(page, "dataset with an error")
