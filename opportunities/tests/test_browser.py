"""Journeys in a real Chromium, every page checked with axe-core for WCAG 2.2 A and AA."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import Role
from opportunities.models import Invitation
from opportunities.services import menu_load_presets
from opportunities.tests.factories import InvitationFactory, OpportunityFactory, involved_resident
from people.models import FormatNeed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_answers_an_invitation_from_the_link(page, axe_check, org):
    opportunity = OpportunityFactory(
        organisation=org,
        title="Estate walkabout: Canal Side",
        capacity=1,
        accessibility="Step-free route",
        format_support=[FormatNeed.objects.get(code="large-print")],
    )
    first = InvitationFactory(opportunity=opportunity, resident=involved_resident(org, first_name="Ada"))
    second = InvitationFactory(opportunity=opportunity, resident=involved_resident(org, first_name="Ben"))

    page.goto(reverse("opportunities:invitation-answer", args=[first.token]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Estate walkabout: Canal Side")
    axe_check(page, "invitation")
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select yes if you can come, or no if you cannot")
    axe_check(page, "invitation with an error")
    page.get_by_label("Yes, I can come").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("You have a place")
    axe_check(page, "place confirmed")
    page.reload()  # answering again (or reloading) changes nothing
    expect(page.locator(".govuk-panel__title")).to_have_text("You have a place")

    # The second person finds the place taken and goes on the waiting list.
    page.goto(reverse("opportunities:invitation-answer", args=[second.token]))
    page.get_by_label("Yes, I can come").check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", name="You are on the waiting list")).to_be_visible()
    axe_check(page, "waiting list")

    # The first can no longer come: the place goes to the second.
    page.goto(reverse("opportunities:invitation-answer", args=[first.token]))
    page.get_by_role("button", name="I can no longer come").click()
    expect(page.get_by_role("heading", name="You have told us you cannot come")).to_be_visible()
    axe_check(page, "declined")
    assert Invitation.objects.get(pk=second.pk).status == Invitation.Status.ACCEPTED
    page.goto(reverse("opportunities:invitation-answer", args=[second.token]))
    expect(page.locator(".govuk-panel__title")).to_have_text("You have a place")
    assert page.console_errors == []


def _sign_in(page, username: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1).wait_for()


def test_staff_invite_matching_residents(page, axe_check, org, make_user):
    officer = make_user(Role.INVOLVEMENT_OFFICER, username="officer")
    menu_load_presets(organisation=org, actor=officer)
    for name in ("Ada", "Ben", "Cat"):
        involved_resident(org, first_name=name, last_name="Matcher")
    _sign_in(page, "officer")
    for path in (reverse("opportunities:menu-list"), reverse("opportunities:opportunity-list")):
        page.goto(path)
        axe_check(page, path)
    page.get_by_role("link", name="Add an opportunity").click()
    axe_check(page, "add opportunity")
    page.get_by_label("Title").fill("Repairs focus group")
    page.get_by_label("What people will do").fill("Tell us about repairs.")
    page.get_by_label("Date").fill("1 1 2035")
    page.get_by_label("Start time").fill("18:30")
    page.get_by_label("Place, or how to join online").fill("Mill Lane community centre")
    page.get_by_label("Places").fill("-1")
    page.get_by_label("A few hours a year").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the number of places, 1 or more")
    axe_check(page, "opportunity form with errors")
    page.get_by_label("Places").fill("2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Repairs focus group")
    axe_check(page, "opportunity page")
    page.get_by_role("link", name="Find people to invite").click()
    axe_check(page, "matches")
    page.get_by_label("Ada Matcher").check()
    page.get_by_role("button", name="Invite the people chosen").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Invited 1 person")
    axe_check(page, "opportunity page with invitation")
    for path in (
        reverse("opportunities:time-given"),
        reverse("opportunities:settings"),
        reverse("opportunities:time-add"),
    ):
        page.goto(path)
        axe_check(page, path)
    assert page.console_errors == []


def test_public_menu_and_own_involvement_pass_axe(page, axe_check, org, make_user):
    officer = make_user(Role.INVOLVEMENT_OFFICER, username="officer")
    menu_load_presets(organisation=org, actor=officer)
    page.goto(reverse("opportunities:public-menu", args=[org.slug]))
    axe_check(page, "public menu")
    page.get_by_label("Meetings").select_option("no")
    page.get_by_role("button", name="Show ways to get involved").click()
    expect(page.locator("body")).to_contain_text("Armchair advisers")
    axe_check(page, "public menu filtered")
    user = make_user(Role.INVOLVED_RESIDENT, username="panel")
    resident = involved_resident(org, user=user)
    InvitationFactory(opportunity=OpportunityFactory(organisation=org, title="Halo group papers"), resident=resident)
    _sign_in(page, "panel")
    page.goto(reverse("opportunities:own-involvement"))
    axe_check(page, "your involvement")
    page.get_by_role("link", name="Halo group papers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Halo group papers")
    assert page.console_errors == []
