"""Journeys in a real Chromium: a halo member commenting on papers, and staff recording minutes and
actions. Every page the groups app adds is checked with axe-core for WCAG 2.2 A and AA."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from groups.models import (
    Action,
    Criterion,
    DocumentVersion,
    Election,
    ElectionPosition,
    GroupDocument,
    GroupKind,
    MemberRole,
    Membership,
    PaperComment,
    RecognitionEvidence,
    RecognitionReview,
)
from groups.tests.factories import (
    ActionFactory,
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
    PaperFactory,
    VenueFactory,
)
from people.tests.factories import ResidentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, username: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1).wait_for()


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", level=1).wait_for()


@pytest.fixture
def panel(org, make_user):
    group = GroupFactory(organisation=org, name="Independent Tenant Scrutiny Panel", quorum=2, is_published=True)
    officers = [
        MembershipFactory(group=group, role=role, resident=ResidentFactory(organisation=org, last_name=name))
        for role, name in (
            (MemberRole.CHAIR, "Adeyemi"),
            (MemberRole.SECRETARY, "Brennan"),
            (MemberRole.MEMBER, "Chowdhury"),
        )
    ]
    return group, officers


def test_halo_member_reads_papers_and_comments(page, axe_check, make_user, org, panel):
    group, _ = panel
    user = make_user(Role.INVOLVED_RESIDENT, username="halo")
    resident = ResidentFactory(organisation=org, user=user, first_name="Hope", last_name="Halloran")
    MembershipFactory(group=group, resident=resident, role=MemberRole.HALO)
    meeting = MeetingFactory(group=group, days_ahead=9)
    PaperFactory(meeting=meeting, title="Repairs performance report")
    other = MeetingFactory(group=GroupFactory(organisation=org, name="Leaseholder Panel"), days_ahead=9)
    make_user(Role.INVOLVEMENT_OFFICER, username="officer")

    _sign_in(page, "halo")
    page.goto("/your-groups/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your groups")
    expect(page.locator("main")).to_contain_text("Independent Tenant Scrutiny Panel: halo member")
    axe_check(page, "your groups")
    page.get_by_role("button", name="Get a calendar address").click()
    expect(page.locator("main")).to_contain_text("/your-groups/calendar/")
    axe_check(page, "your groups with calendar address")

    page.get_by_role("link", name="Read papers and comment").click()
    expect(page.get_by_role("link", name="Repairs performance report")).to_be_visible()
    axe_check(page, "meeting papers")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your comment")
    axe_check(page, "comment with an error")
    page.get_by_label("Which paper is it about").select_option(label="Repairs performance report")
    page.get_by_label("Your comment").fill("Please show how many repairs were fixed first time.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your comment has been sent")
    expect(page.locator("main")).to_contain_text("Please show how many repairs were fixed first time.")
    axe_check(page, "comment sent")
    assert PaperComment.objects.filter(resident=resident).count() == 1

    assert page.console_errors == []

    # Another group's meeting is not there for them (the browser logs the 404 it was given).
    response = page.goto(f"/your-groups/meetings/{other.pk}/")
    assert response is not None and response.status == 404
    page.console_errors.clear()

    _sign_out(page)
    _sign_in(page, "officer")
    page.goto(f"/staff/groups/meetings/{meeting.pk}/pack/")
    expect(page.locator("main")).to_contain_text("Please show how many repairs were fixed first time.")
    expect(page.locator("main")).to_contain_text("Hope Halloran (halo member)")
    axe_check(page, "meeting pack")
    assert page.console_errors == []


def test_staff_record_minutes_and_actions(page, axe_check, make_user, org, panel):
    group, members = panel
    officer = make_user(Role.INVOLVEMENT_OFFICER, username="officer", first_name="Olu", last_name="Officer")
    meeting = MeetingFactory(group=group, starts_at=timezone.now() - datetime.timedelta(hours=3))
    next_meeting = MeetingFactory(group=group, days_ahead=25)
    assert officer

    _sign_in(page, "officer")
    page.goto("/staff/groups/")
    axe_check(page, "group list")
    page.get_by_role("link", name="Independent Tenant Scrutiny Panel").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Independent Tenant Scrutiny Panel")
    axe_check(page, "group page")
    page.goto(f"/staff/groups/meetings/{meeting.pk}/")
    axe_check(page, "past meeting")

    page.get_by_role("link", name="Record attendance and apologies").click()
    axe_check(page, "attendance")
    page.locator("fieldset", has_text="Adeyemi").get_by_label("Present").check()
    page.locator("fieldset", has_text="Brennan").get_by_label("Present").check()
    page.locator("fieldset", has_text="Chowdhury").get_by_label("Sent apologies").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The meeting was quorate.")

    page.get_by_role("link", name="Record the minutes").click()
    page.get_by_role("button", name="Save minutes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the minutes")
    axe_check(page, "minutes with an error")
    page.get_by_label("Minutes").fill("1. Apologies from Chowdhury.\n2. Repairs report discussed.")
    page.get_by_label("What happened, for residents").fill("We looked at repairs and asked for more figures.")
    page.get_by_role("button", name="Save minutes").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Minutes saved")

    page.get_by_label("What was decided").fill("Repairs appointments will be the next scrutiny review.")
    page.get_by_role("button", name="Add decision").click()
    expect(page.locator("main")).to_contain_text("Repairs appointments will be the next scrutiny review.")

    due = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("What needs doing").fill("Send the panel missed-appointment figures by contractor")
    page.get_by_label("Who will do it").select_option(label="Olu Officer (staff)")
    page.get_by_label("Due by").fill(due.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Add action").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action added")
    axe_check(page, "meeting with minutes and actions")
    action = Action.objects.get()
    assert action.owner_user == officer and action.due_on == due

    # The open action carries to the next meeting until it is done.
    page.goto(f"/staff/groups/meetings/{next_meeting.pk}/")
    carried = page.locator("table", has_text="Actions from earlier meetings")
    expect(carried).to_contain_text("Send the panel missed-appointment figures")
    axe_check(page, "next meeting with carried action")
    carried.get_by_role("link", name="Send the panel missed-appointment figures").click()
    axe_check(page, "action update")
    page.get_by_label("In progress").check()
    page.get_by_label("Progress (optional)").fill("Asked both contractors.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Action updated")
    assert page.url.endswith(f"/staff/groups/meetings/{next_meeting.pk}/")
    assert page.console_errors == []


def test_every_other_groups_page_passes_axe(page, axe_check, make_user, org, panel):
    group, members = panel
    make_user(Role.ADMINISTRATOR, username="admin")
    venue = VenueFactory(organisation=org)
    meeting = MeetingFactory(group=group, days_ahead=4, venue=venue)
    PaperFactory(meeting=meeting)
    past = MeetingFactory(
        group=group, starts_at=timezone.now() - datetime.timedelta(days=14), summary="We met and agreed things."
    )
    action = ActionFactory(meeting=past)
    tra = GroupFactory(organisation=org, name="Ashfield TRA", kind=GroupKind.TRA, is_published=True)
    review = RecognitionReview.objects.create(group=tra)
    RecognitionEvidence.objects.create(review=review, criterion=Criterion.CONSTITUTION, meets=True, note="Seen")
    document = GroupDocument.objects.create(group=group, kind="terms_of_reference", title="Terms of reference")
    DocumentVersion.objects.create(
        document=document, number=1, file="groups/x.pdf", original_name="x.pdf", agreed_on=timezone.localdate()
    )
    DocumentVersion.objects.create(
        document=document, number=2, file="groups/y.pdf", original_name="y.pdf", agreed_on=timezone.localdate()
    )
    election = Election.objects.create(group=tra, held_on=timezone.localdate())
    position = ElectionPosition.objects.create(election=election, role=MemberRole.CHAIR)
    position.candidates.create(resident=members[0].resident)
    membership = Membership.objects.filter(group=group).first()
    halo = GroupFactory(organisation=org, name="Panel Halo", kind=GroupKind.HALO_GROUP, parent=group)
    assert halo and membership

    _sign_in(page, "admin")
    for path in (
        "/staff/groups/new/",
        f"/staff/groups/{group.pk}/edit/",
        f"/staff/groups/{halo.pk}/",
        f"/staff/groups/{group.pk}/members/add/",
        f"/staff/groups/{group.pk}/members/add/?find=Adeyemi",
        f"/staff/groups/{group.pk}/members/{membership.pk}/",
        f"/staff/groups/{group.pk}/documents/",
        f"/staff/groups/{tra.pk}/",
        f"/staff/groups/{tra.pk}/elections/new/",
        f"/staff/groups/elections/{election.pk}/",
        f"/staff/groups/elections/{election.pk}/results/{position.pk}/",
        f"/staff/groups/{tra.pk}/recognition/",
        f"/staff/groups/{tra.pk}/recognition/evidence/?criterion=constitution",
        "/staff/groups/settings/",
        "/staff/groups/venues/",
        "/staff/groups/venues/new/",
        f"/staff/groups/venues/{venue.pk}/",
        f"/staff/groups/{group.pk}/meetings/new/",
        f"/staff/groups/meetings/{meeting.pk}/",
        f"/staff/groups/meetings/{meeting.pk}/edit/",
        f"/staff/groups/meetings/{meeting.pk}/attendance/",
        f"/staff/groups/meetings/{meeting.pk}/pack/",
        f"/staff/groups/actions/{action.pk}/",
        "/your-groups/",
        "/groups/",
        f"/groups/{group.pk}/",
        f"/groups/{tra.pk}/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        axe_check(page, path)

    # Error states: a meeting in the past, and a decision without reasons.
    page.goto(f"/staff/groups/{group.pk}/meetings/new/")
    page.get_by_label("Date").fill((timezone.localdate() - datetime.timedelta(days=2)).isoformat())
    page.get_by_label("Start time").fill("18:00")
    page.get_by_label("End time").fill("20:00")
    page.get_by_label("Venue").select_option(label=venue.name)
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The meeting must be in the future")
    axe_check(page, "meeting in the past")
    page.goto(f"/staff/groups/{tra.pk}/recognition/")
    page.get_by_label("Recognised", exact=True).check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reasons for the decision")
    axe_check(page, "decision with an error")
    assert page.console_errors == []
