"""A complaint in a real Chromium, with axe-core (WCAG 2.2 A and AA) on every page it passes: a
resident raises it online, staff acknowledge and answer it, and the resident takes it to stage 2.
Then every page of this app is opened once and checked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from complaints import services
from complaints.models import Case, CaseStage
from core.models import Message
from core.tests.axe_sweep import check_pages
from people.tests.factories import ResidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_resident_complains_staff_answer_and_the_resident_escalates(page, axe_check, org, make_user):
    manager = make_user(Role.MANAGER, username="manager")
    make_user(Role.INVOLVEMENT_OFFICER, username="officer", first_name="Sam", last_name="Patel")
    services.procedure_load_preset(organisation=org, actor=manager, preset="chc-2024")
    user = make_user(Role.RESIDENT, username="ada")
    ResidentFactory(organisation=org, user=user, first_name="Ada", email="ada@example.org", contact_by_email=True)

    # The resident raises a complaint.
    _sign_in(page, "ada")
    page.goto("/your-cases/")
    axe_check(page, "your cases")
    page.get_by_role("button", name="Tell us something").click()
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what you would like to tell us")
    axe_check(page, "raise with errors")
    page.get_by_label("A complaint").check()
    page.get_by_label("What happened").fill("My kitchen tap has leaked for three weeks after two visits.")
    page.get_by_label("What would you like us to do?").fill("Fix the tap properly.")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-panel__title")).to_contain_text("We have your complaint")
    axe_check(page, "received")
    case = Case.objects.get()
    expect(page.locator(".govuk-panel__body")).to_contain_text(case.reference)

    # Staff see it due, acknowledge it and answer it.
    _sign_in(page, "officer")
    page.goto("/staff/complaints/")
    axe_check(page, "what is due")
    page.goto(f"/staff/complaints/cases/{case.pk}/")
    axe_check(page, "case")
    page.get_by_role("button", name="Acknowledge Stage 1").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Acknowledged")
    page.get_by_role("link", name="Record the response").click()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the decision")
    axe_check(page, "respond with errors")
    page.get_by_label("Not upheld").check()
    page.get_by_label("Reasons for the decision").fill("The plumber found the tap was fixed on the second visit.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Response recorded")
    axe_check(page, "case answered")

    # The resident reads the letter and takes it further.
    _sign_in(page, "ada")
    page.goto(f"/your-cases/{case.pk}/")
    axe_check(page, "own case")
    page.locator(".govuk-details__summary-text", has_text="Our answer to your complaint").click()
    expect(page.locator("main")).to_contain_text("The plumber found the tap was fixed")
    page.get_by_role("link", name="Take it further").click()
    axe_check(page, "escalate")
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("We have your request")
    stages = list(CaseStage.objects.filter(case=case).order_by("pk"))
    assert [s.stage.code for s in stages] == ["stage-1", "stage-2"]
    assert Message.objects.filter(because_id=str(case.pk), template="complaint_letter").count() == 4
    assert page.console_errors == []


MINE = ("staff/complaints/", "your-cases/", "your-groups/concerns-report/", "complaints/")


def test_every_complaints_page_passes_axe(page, axe_check, client, make_user, world, live_server):
    checked = check_pages(MINE, page=page, axe_check=axe_check, client=client, make_user=make_user, world=world,
                          live_server=live_server)  # fmt: skip
    assert len(checked) >= 15, checked
    assert page.console_errors == []
