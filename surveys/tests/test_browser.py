"""A survey in a real Chromium, with axe-core (WCAG 2.2 A and AA) on every page it passes: staff
build and publish it, a resident answers from their personal link on a phone-sized screen, and
staff read the results. Then every page of this app is opened once and checked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from core.tests.axe_sweep import check_pages
from surveys import services
from surveys.models import Invitation, Response, Survey
from surveys.tests.factories import consenting_resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, username: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_staff_build_a_survey_a_resident_answers_on_a_phone_and_staff_read_the_results(page, axe_check, org, make_user):
    make_user(Role.INVOLVEMENT_OFFICER, username="officer")
    _sign_in(page, "officer")
    page.goto("/staff/surveys/")
    axe_check(page, "survey list")
    page.get_by_role("button", name="Create a survey").click()
    page.get_by_label("Title").fill("Estate cleaning")
    page.get_by_label("What it is for").fill("Tell us how clean your block is, so we can plan the cleaning rota.")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Estate cleaning")
    axe_check(page, "survey")

    page.get_by_role("link", name="Add a question").click()
    axe_check(page, "question form")
    page.get_by_label("One answer from a list").check()
    page.get_by_label("Question", exact=True).fill("How clean is your block?")
    page.get_by_label("Options, one a line").fill("Very clean\nClean enough\nNot clean")
    page.get_by_role("button", name="Add question").click()
    page.get_by_role("link", name="Add a page").click()
    page.get_by_label("Page heading").fill("Where to clean")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a question").click()
    page.get_by_label("Page", exact=True).select_option(label="Where to clean")
    page.get_by_label("Their own words").check()
    page.get_by_label("Question", exact=True).fill("What should we clean more often?")
    page.get_by_label("Everyone asked must answer it").uncheck()
    page.get_by_label("Only ask this if").select_option("q1")
    page.get_by_label("the answer was one of (one a line)").fill("Not clean")
    page.get_by_role("button", name="Add question").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-tag").first).to_have_text("Open for answers")

    survey = Survey.objects.get()
    invitation = Invitation.objects.create(survey=survey, resident=consenting_resident(org))
    token = services.token_for(invitation)

    # The resident, on a phone, with no account.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/surveys/answer/{token}/")
    axe_check(page, "start")
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose an answer")
    axe_check(page, "page with an error")
    page.get_by_label("Not clean").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What should we clean more often?").fill("The bin store and the stairs")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    axe_check(page, "check answers")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Thank you")
    axe_check(page, "done")
    assert Response.objects.get().answers.count() == 2

    # Staff read the results.
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "officer")
    page.goto(f"/staff/surveys/{survey.pk}/results/")
    expect(page.locator("main")).to_contain_text("The bin store and the stairs")
    expect(page.locator("main")).to_contain_text("100.0%")
    axe_check(page, "results")
    assert page.console_errors == []


MINE = ("staff/surveys/", "surveys/", "your-surveys/", "consultations/")


def test_every_surveys_page_passes_axe(page, axe_check, client, make_user, world, live_server):
    checked = check_pages(MINE, page=page, axe_check=axe_check, client=client, make_user=make_user, world=world,
                          live_server=live_server)  # fmt: skip
    assert len(checked) >= 12, checked
    assert page.console_errors == []
