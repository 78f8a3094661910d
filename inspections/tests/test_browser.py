"""Journeys in a real Chromium, with axe-core (WCAG 2.2 A and AA) on every page: a shopper fills
in an assessment; staff record a walkabout finding with a photo and close it. Then every page of
this app is opened once and checked."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.models import Role
from core.tests.axe_sweep import check_pages
from inspections.models import Answer, Exercise, Finding
from inspections.tests.factories import (
    ExerciseFactory,
    QuestionFactory,
    ScenarioFactory,
    WalkaboutFactory,
    trained_shopper,
)
from people.tests.factories import AreaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, username: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_shopper_fills_in_an_assessment(page, axe_check, org, make_user):
    user = make_user(Role.INVOLVED_RESIDENT, username="shopper")
    shopper = trained_shopper(org, user=user)
    scenario = ScenarioFactory(organisation=org, title="Report a leaking tap")
    QuestionFactory(scenario=scenario, text="Was the call answered within a minute?", kind="yes_no", weight=2)
    QuestionFactory(scenario=scenario, text="How polite was the call handler?", kind="score")
    QuestionFactory(scenario=scenario, text="What happened?", kind="text", is_required=False)
    exercise = ExerciseFactory(scenario=scenario, shopper=shopper)

    _sign_in(page, "shopper")
    page.goto("/your-inspections/")
    axe_check(page, "your inspections")
    page.get_by_role("link", name="Report a leaking tap").click()
    page.get_by_role("heading", level=1, name="Report a leaking tap").wait_for()
    axe_check(page, "assessment form")

    # Sending with nothing filled in shows the errors, linked from the summary.
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Answer the question: Was the call answered")
    axe_check(page, "assessment form with errors")

    page.get_by_role("group", name="Was the call answered within a minute?").get_by_label("Yes").check()
    page.get_by_role("group", name="How polite was the call handler?").get_by_label("4 – good").check()
    page.get_by_label("What happened? (optional)").fill("Answered quickly, booked for Tuesday.")
    page.get_by_label("Date you did this").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("heading", name="Answers sent").wait_for()
    axe_check(page, "answers sent")
    exercise.refresh_from_db()
    assert exercise.status == Exercise.Status.SUBMITTED and exercise.score is not None
    assert Answer.objects.filter(exercise=exercise).count() == 3
    assert page.console_errors == []


def _jpeg(path) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 30)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_staff_record_a_finding_and_close_it(page, axe_check, org, make_user, tmp_path):
    officer = make_user(Role.INVOLVEMENT_OFFICER, username="officer", first_name="Sam", last_name="Patel")
    walkabout = WalkaboutFactory(
        organisation=org, area=AreaFactory(organisation=org, name="Larkhill", level="estate"),
        date=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip
    _sign_in(page, "officer")
    page.goto("/staff/walkabouts/")
    axe_check(page, "walkabouts")
    page.get_by_role("link", name="Larkhill").first.click()
    page.get_by_role("heading", level=1).wait_for()
    axe_check(page, "walkabout")
    page.get_by_role("link", name="Add a finding").click()
    axe_check(page, "finding form")

    page.get_by_label("Category").select_option(label="Litter and fly-tipping")
    page.get_by_label("What was found").fill("Dumped mattress")
    page.get_by_label("Where").fill("Bin store behind 12 Larkhill Road")
    page.get_by_label("Action to take").fill("Bulky waste collection")
    page.get_by_label("Owner (optional)").select_option(label="Sam Patel")
    page.get_by_label("Photo", exact=True).set_input_files(_jpeg(tmp_path / "mattress.jpg"))
    page.get_by_label("What the photo shows (optional)").fill("A mattress leaning on the bin store")
    page.get_by_role("button", name="Save finding", exact=True).click()
    page.get_by_role("heading", level=1, name="Litter and fly-tipping: Bin store behind 12 Larkhill Road").wait_for()
    expect(page.get_by_role("img", name="A mattress leaning on the bin store")).to_be_visible()
    axe_check(page, "finding")
    finding = Finding.objects.get()
    assert finding.owner == officer and finding.photos.count() == 1

    page.get_by_role("link", name="Close this action").click()
    page.get_by_role("button", name="Close action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what was done, to close this action")
    axe_check(page, "close with error")
    page.get_by_label("What was done").fill("Collected on Tuesday; lock fixed on the bin store")
    page.get_by_role("button", name="Close action").click()
    expect(page.locator(".govuk-tag").first).to_have_text("Closed")
    finding.refresh_from_db()
    assert finding.is_closed

    page.goto(f"/staff/walkabouts/{walkabout.pk}/complete/")
    axe_check(page, "complete walkabout")
    page.get_by_label("Summary for residents").fill("We walked Larkhill with four residents and the councillor.")
    page.get_by_role("button", name="Complete and publish").click()
    page.get_by_role("link", name="summary of this walkabout").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Larkhill")
    expect(page.locator("main")).to_contain_text("Collected on Tuesday")
    axe_check(page, "public summary")
    assert page.console_errors == []


# Every page of this app, once, as the first role that may see it (the site-wide sweep does the same
# for all apps; this one runs with the app's own tests).
MINE = ("staff/mystery-shopping/", "staff/walkabouts/", "your-inspections/", "walkabouts/")


def test_every_inspections_page_passes_axe(page, axe_check, client, make_user, world, live_server):
    checked = check_pages(MINE, page=page, axe_check=axe_check, client=client, make_user=make_user, world=world,
                          live_server=live_server)  # fmt: skip
    assert len(checked) >= 25, checked
    assert page.console_errors == []
