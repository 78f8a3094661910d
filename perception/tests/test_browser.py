"""The TSM perception survey in a real Chromium, with axe-core (WCAG 2.2 A and AA) on every page
it passes: an officer starts the year's survey, leaves a household out, draws the sample and opens
the fieldwork; a tenant answers from their link on a phone-sized screen; the officer closes it, a
manager publishes the results, and the public page shows them. Then every page of this app is
opened once and checked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from core.tests.axe_sweep import check_pages
from perception.models import PerceptionSurvey
from perception.tests.factories import households
from surveys import services as survey_services
from surveys.models import Invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_tsm_survey_from_the_draw_to_the_public_page(page, axe_check, org, make_user):
    hh = households(org, north=6, south=4, shared_owners=0)
    make_user(Role.INVOLVEMENT_OFFICER, username="officer")
    make_user(Role.MANAGER, username="manager")
    _sign_in(page, "officer")
    page.goto("/staff/tenant-satisfaction/")
    axe_check(page, "tenant satisfaction surveys")
    page.get_by_label("Reporting year").select_option("2025")
    page.get_by_role("button", name="Start the survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tenant satisfaction survey 2025/26")
    expect(page.locator("main")).to_contain_text("Minimum sample")
    axe_check(page, "survey design")

    page.get_by_role("link", name="Change households left out").click()
    page.get_by_label("Person reference").fill(hh["lcra"][0].person_ref)
    page.get_by_label("Recent bereavement").check()
    page.get_by_role("button", name="Leave them out").click()
    expect(page.locator("main")).to_contain_text("Recent bereavement")
    axe_check(page, "households left out")
    page.get_by_role("link", name="Back to the survey").click()

    page.get_by_label("Everyone (a census)").check()
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.locator("main")).to_contain_text("Everyone (a census): 9 households")
    page.get_by_label("Opening date").fill("2025-10-01")
    page.get_by_label("Closing date").fill("2099-11-14")
    page.get_by_role("button", name="Open for answers").click()
    page.get_by_role("button", name="Invite those drawn").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Invited 9 households")
    axe_check(page, "fieldwork")

    perception = PerceptionSurvey.objects.get()
    survey = perception.populations.get().survey
    token = survey_services.token_for(Invitation.objects.filter(survey=survey).first())
    page.context.clear_cookies()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/surveys/answer/{token}/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Fairly satisfied").check()
    axe_check(page, "TP01 on a phone")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("No", exact=True).check()  # no repair: TP02 and TP03 are not asked
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text("well maintained")
    while "Check your answers" not in page.locator("h1").inner_text():
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Thank you")

    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "officer")
    page.goto(f"/staff/tenant-satisfaction/{perception.pk}/")
    page.get_by_role("button", name="Close the survey").click()
    page.goto(f"/staff/tenant-satisfaction/{perception.pk}/results/")
    expect(page.locator("main")).to_contain_text("100.0%")
    axe_check(page, "results")

    _sign_in(page, "manager")
    page.goto(f"/staff/tenant-satisfaction/{perception.pk}/results/")
    page.get_by_role("button", name="Publish the results").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("published")
    page.context.clear_cookies()
    page.goto(f"/tenant-satisfaction/{org.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("How satisfied our tenants are: 2025/26")
    expect(page.locator("main")).to_contain_text("TP01 Overall satisfaction")
    expect(page.locator("main")).to_contain_text("Recent bereavement: 1")
    axe_check(page, "published results")
    assert page.console_errors == []


MINE = ("staff/tenant-satisfaction/", "tenant-satisfaction/")


def test_every_perception_page_passes_axe(page, axe_check, client, make_user, world, live_server):
    checked = check_pages(MINE, page=page, axe_check=axe_check, client=client, make_user=make_user, world=world,
                          live_server=live_server)  # fmt: skip
    assert len(checked) >= 7, checked
    assert page.console_errors == []
