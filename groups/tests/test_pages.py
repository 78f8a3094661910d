"""The pages: staff, members and public. Forms keep what was typed and explain what is wrong."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Role
from groups.models import (
    Action,
    Attendance,
    Candidate,
    Criterion,
    ElectionPosition,
    Group,
    GroupKind,
    Meeting,
    MemberRole,
    Membership,
    PaperComment,
    PersonalCalendar,
)
from groups.tests.factories import (
    GroupFactory,
    MeetingFactory,
    MembershipFactory,
    PaperFactory,
    VenueFactory,
)
from people.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, officer):
    client.force_login(officer)
    return client


def _structure(org, groups: int = 6):
    made = []
    for i in range(groups):
        group = GroupFactory(organisation=org, name=f"Group {i}", is_published=True)
        for _ in range(4):
            MembershipFactory(group=group)
        MeetingFactory(group=group, days_ahead=5 + i)
        MeetingFactory(group=group, starts_at=timezone.now() - datetime.timedelta(days=30 + i), summary="We met.")
        made.append(group)
    return made


# --- Staff ------------------------------------------------------------------------------------


def test_group_list_query_count_does_not_grow_with_groups(staff_client, org, django_assert_max_num_queries):
    _structure(org, groups=8)
    with django_assert_max_num_queries(14):
        response = staff_client.get(reverse("groups:group-list"))
    assert response.status_code == 200
    assert "8 groups" in response.content.decode()
    group = Group.objects.get(name="Group 7")
    assert response.content.decode().count(reverse("groups:group-detail", args=[group.pk])) == 1


def test_group_list_filters_by_type(staff_client, org):
    GroupFactory(organisation=org, name="Ashfield TRA", kind=GroupKind.TRA)
    GroupFactory(organisation=org, name="Scrutiny", kind=GroupKind.SCRUTINY_PANEL)
    body = staff_client.get(reverse("groups:group-list"), {"kind": GroupKind.TRA}).content.decode()
    assert "Ashfield TRA" in body and "Scrutiny<" not in body


def test_group_page_shows_purpose_members_meetings_and_documents(staff_client, org, officer):
    group = GroupFactory(organisation=org, name="Scrutiny Panel", purpose="Checks our services.")
    MembershipFactory(
        group=group,
        role=MemberRole.CHAIR,
        resident=ResidentFactory(organisation=org, first_name="Ada", last_name="Lovelace"),
    )
    MeetingFactory(group=group, days_ahead=12)
    staff_client.post(
        reverse("groups:document-upload", args=[group.pk]),
        {
            "kind": "terms_of_reference",
            "title": "",
            "file": SimpleUploadedFile("tor.pdf", b"%PDF-1.7 tor"),
            "agreed_on": "2026-01-10",
            "is_public": "on",
        },
    )
    body = staff_client.get(reverse("groups:group-detail", args=[group.pk])).content.decode()
    assert "Checks our services." in body
    assert "Ada Lovelace" in body and "Chair" in body
    assert "Terms of reference" in body
    assert "Publicise by" in body or "Not publicised" in body


def test_group_page_query_count(staff_client, org, django_assert_max_num_queries):
    [group] = _structure(org, groups=1)
    for _ in range(6):
        MeetingFactory(group=group, starts_at=timezone.now() - datetime.timedelta(days=90))
    with django_assert_max_num_queries(30):
        assert staff_client.get(reverse("groups:group-detail", args=[group.pk])).status_code == 200


def test_another_landlords_group_is_not_found(staff_client, other_org):
    group = GroupFactory(organisation=other_org)
    meeting = MeetingFactory(group=group)
    assert staff_client.get(reverse("groups:group-detail", args=[group.pk])).status_code == 404
    assert staff_client.get(reverse("groups:meeting-detail", args=[meeting.pk])).status_code == 404


def test_creating_a_group(staff_client, org):
    response = staff_client.post(
        reverse("groups:group-create"),
        {
            "name": "Youth Voice",
            "kind": "other",
            "other_type": "Youth panel",
            "purpose": "Young residents' views",
            "quorum": "2",
            "privacy": "roles_only",
        },
    )
    group = Group.objects.get(name="Youth Voice")
    assert response.status_code == 302 and response["Location"] == reverse("groups:group-detail", args=[group.pk])
    assert group.type_label == "Youth panel"


def test_member_from_another_landlord_cannot_be_added_through_the_page(staff_client, org, other_org):
    group = GroupFactory(organisation=org)
    stranger = ResidentFactory(organisation=other_org)
    response = staff_client.post(
        reverse("groups:member-add", args=[group.pk]),
        {"resident": stranger.pk, "role": "member", "starts_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert not Membership.objects.exists()
    assert "There is a problem" in response.content.decode()


def test_duplicate_membership_shows_a_message(staff_client, org):
    group = GroupFactory(organisation=org, name="Leaseholder Panel")
    membership = MembershipFactory(
        group=group, resident=ResidentFactory(organisation=org, first_name="Ben", last_name="Ng")
    )
    response = staff_client.post(
        reverse("groups:member-add", args=[group.pk]),
        {"resident": membership.resident_id, "role": "chair", "starts_on": "2026-01-01"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ben Ng is already a member of Leaseholder Panel" in body
    assert Membership.objects.count() == 1


def test_scheduling_in_the_past_is_refused_and_loses_nothing(staff_client, org):
    group = GroupFactory(organisation=org)
    venue = VenueFactory(organisation=org)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = staff_client.post(
        reverse("groups:meeting-schedule", args=[group.pk]),
        {
            "kind": "ordinary",
            "date": yesterday.strftime("%d/%m/%Y"),
            "start_time": "6:30pm",
            "end_time": "20:00",
            "venue": venue.pk,
            "submission_key": "k1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The meeting must be in the future" in body
    assert yesterday.strftime("%d/%m/%Y") in body and "6:30pm" in body
    assert not Meeting.objects.exists()


def test_scheduling_a_meeting_warns_when_it_is_too_late_to_publicise(staff_client, org):
    group = GroupFactory(organisation=org)
    venue = VenueFactory(organisation=org)
    day = timezone.localdate() + datetime.timedelta(days=3)
    data = {
        "kind": "ordinary",
        "date": day.isoformat(),
        "start_time": "18:00",
        "end_time": "8pm",
        "venue": venue.pk,
        "submission_key": "k2",
    }
    response = staff_client.post(reverse("groups:meeting-schedule", args=[group.pk]), data, follow=True)
    assert "It is too late to publicise it 10 working days ahead" in response.content.decode()
    # The same form sent again makes no second meeting.
    staff_client.post(reverse("groups:meeting-schedule", args=[group.pk]), data)
    assert Meeting.objects.count() == 1
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.starts_at).time() == datetime.time(18)
    assert timezone.localtime(meeting.ends_at).time() == datetime.time(20)


def test_staff_record_attendance_minutes_decisions_and_actions(staff_client, org, officer):
    group = GroupFactory(organisation=org, quorum=2)
    members = [MembershipFactory(group=group) for _ in range(3)]
    meeting = MeetingFactory(group=group, starts_at=timezone.now() - datetime.timedelta(hours=3))
    url = reverse("groups:attendance", args=[meeting.pk])
    data = {f"member_{m.resident_id}": "present" for m in members[:2]}
    data[f"member_{members[2].resident_id}"] = "apologies"
    response = staff_client.post(url, data, follow=True)
    assert "The meeting was quorate." in response.content.decode()
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 2
    staff_client.post(
        reverse("groups:minutes", args=[meeting.pk]),
        {"minutes": "1. Apologies noted.", "summary": "We talked about repairs."},
    )
    staff_client.post(
        reverse("groups:decision-add", args=[meeting.pk]), {"text": "Review repairs next.", "submission_key": "d1"}
    )
    action_data = {
        "description": "Get repair figures",
        "owner": f"u{officer.pk}",
        "due_on": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        "submission_key": "a1",
    }
    staff_client.post(reverse("groups:action-add", args=[meeting.pk]), action_data)
    staff_client.post(reverse("groups:action-add", args=[meeting.pk]), action_data)  # double submit
    meeting.refresh_from_db()
    assert meeting.minutes == "1. Apologies noted." and meeting.summary == "We talked about repairs."
    assert meeting.decisions.count() == 1
    action = Action.objects.get()
    assert action.owner_user == officer
    body = staff_client.get(reverse("groups:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Get repair figures" in body and "Review repairs next." in body


def test_votes_form_cannot_record_twice(staff_client, org, officer):
    group = GroupFactory(organisation=org, kind=GroupKind.TRA)
    response = staff_client.post(
        reverse("groups:election-create", args=[group.pk]),
        {"kind": "agm", "held_on": timezone.localdate().isoformat(), "submission_key": "e1"},
    )
    election = group.elections.get()
    assert response["Location"] == reverse("groups:election-detail", args=[election.pk])
    staff_client.post(
        reverse("groups:election-position-add", args=[election.pk]),
        {"role": "chair", "seats": "1", "term_months": "12"},
    )
    position = ElectionPosition.objects.get()
    resident = ResidentFactory(organisation=org)
    staff_client.post(
        reverse("groups:election-candidate-add", args=[election.pk]), {"position": position.pk, "resident": resident.pk}
    )
    candidate = Candidate.objects.get()
    url = reverse("groups:election-results", args=[election.pk, position.pk])
    assert staff_client.post(url, {f"votes_{candidate.pk}": "15"}).status_code == 302
    second = staff_client.post(url, {f"votes_{candidate.pk}": "15"})
    assert "cannot be recorded" in second.content.decode()
    candidate.refresh_from_db()
    assert candidate.votes == 15 and candidate.elected
    assert Membership.objects.get(resident=resident).role == MemberRole.CHAIR


def test_recognition_pages(client, org, officer, manager):
    group = GroupFactory(organisation=org, kind=GroupKind.TRA)
    client.force_login(officer)
    for code in Criterion.values:
        response = client.post(
            reverse("groups:recognition-evidence", args=[group.pk]),
            {"criterion": code, "meets": "True", "note": "Seen it"},
        )
        assert response.status_code == 302
    assert (
        client.post(
            reverse("groups:recognition-decide", args=[group.pk]), {"decision": "recognised", "reasons": "x"}
        ).status_code
        == 403
    )
    client.force_login(manager)
    response = client.post(
        reverse("groups:recognition-decide", args=[group.pk]), {"decision": "recognised", "reasons": ""}
    )
    assert "Give the reasons for the decision" in response.content.decode()
    client.post(
        reverse("groups:recognition-decide", args=[group.pk]),
        {"decision": "recognised", "reasons": "Meets the standard"},
    )
    body = client.get(reverse("groups:recognition", args=[group.pk])).content.decode()
    assert "Recognised" in body and "Meets the standard" in body


# --- Members ----------------------------------------------------------------------------------


@pytest.fixture
def halo(org, make_user):
    user = make_user(Role.INVOLVED_RESIDENT, username="halo")
    resident = ResidentFactory(organisation=org, user=user, first_name="Hal", last_name="Oh")
    group = GroupFactory(organisation=org, name="Scrutiny Panel")
    MembershipFactory(group=group, resident=resident, role=MemberRole.HALO)
    meeting = MeetingFactory(group=group, days_ahead=9)
    paper = PaperFactory(meeting=meeting, title="Repairs report")
    return user, resident, meeting, paper


def test_halo_member_reads_papers_and_comments(client, halo, django_assert_max_num_queries):
    user, resident, meeting, paper = halo
    client.force_login(user)
    with django_assert_max_num_queries(12):
        body = client.get(reverse("groups:my-groups")).content.decode()
    assert "Scrutiny Panel" in body and "halo member" in body
    page = client.get(reverse("groups:my-meeting", args=[meeting.pk])).content.decode()
    assert "Repairs report" in page
    download = client.get(reverse("groups:my-paper", args=[meeting.pk, paper.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    data = {"paper": paper.pk, "text": "Please show right-first-time figures.", "submission_key": "c1"}
    assert client.post(reverse("groups:my-meeting", args=[meeting.pk]), data).status_code == 302
    client.post(reverse("groups:my-meeting", args=[meeting.pk]), data)
    assert PaperComment.objects.get().resident == resident


def test_comment_without_text_keeps_the_form(client, halo):
    user, _, meeting, _ = halo
    client.force_login(user)
    response = client.post(reverse("groups:my-meeting", args=[meeting.pk]), {"text": "", "submission_key": "c2"})
    assert "Enter your comment" in response.content.decode()
    assert not PaperComment.objects.exists()


def test_halo_member_cannot_reach_a_group_they_are_not_in(client, halo, org):
    user, _, _, _ = halo
    other = MeetingFactory(group=GroupFactory(organisation=org, name="Leaseholder Panel"))
    paper = PaperFactory(meeting=other)
    client.force_login(user)
    assert client.get(reverse("groups:my-meeting", args=[other.pk])).status_code == 404
    response = client.post(reverse("groups:my-meeting", args=[other.pk]), {"text": "Let me in", "submission_key": "c3"})
    assert response.status_code == 404
    assert client.get(reverse("groups:my-paper", args=[other.pk, paper.pk])).status_code == 404
    assert not PaperComment.objects.exists()
    # Nor the staff pages.
    assert client.get(reverse("groups:meeting-detail", args=[other.pk])).status_code == 403


def test_a_resident_without_involvement_cannot_use_member_pages(client, make_user, halo):
    _, _, meeting, _ = halo
    client.force_login(make_user(Role.RESIDENT, username="plain"))
    assert client.get(reverse("groups:my-meeting", args=[meeting.pk])).status_code == 403


def test_comments_appear_in_the_meeting_pack(staff_client, halo):
    _, resident, meeting, paper = halo
    PaperComment.objects.create(meeting=meeting, paper=paper, resident=resident, text="Add a chart")
    body = staff_client.get(reverse("groups:meeting-pack", args=[meeting.pk])).content.decode()
    assert "Add a chart" in body and "Hal Oh" in body and "halo member" in body


# --- Public pages and calendars ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("privacy", "shows_name", "shows_role"),
    [("names_and_roles", True, True), ("roles_only", False, True), ("hidden", False, False)],
)
def test_public_page_follows_the_privacy_setting(client, org, privacy, shows_name, shows_role):
    group = GroupFactory(organisation=org, is_published=True, privacy=privacy, purpose="We check repairs.")
    MembershipFactory(
        group=group,
        role=MemberRole.TREASURER,
        resident=ResidentFactory(organisation=org, first_name="Zed", last_name="Quill"),
    )
    body = client.get(reverse("groups:public-group", args=[group.pk])).content.decode()
    assert "We check repairs." in body
    assert ("Zed Quill" in body) is shows_name
    assert ("Treasurer" in body or "treasurer" in body) is shows_role


def test_public_page_shows_upcoming_meetings_and_what_happened(client, org):
    group = GroupFactory(organisation=org, is_published=True)
    MeetingFactory(group=group, days_ahead=8)
    MeetingFactory(
        group=group,
        starts_at=timezone.now() - datetime.timedelta(days=20),
        summary="We agreed a new bin store.",
        minutes="Secret minutes",
    )
    body = client.get(reverse("groups:public-group", args=[group.pk])).content.decode()
    assert "We agreed a new bin store." in body
    assert "Secret minutes" not in body
    assert "Step-free access" in body


def test_unpublished_group_has_no_public_page(client, org):
    group = GroupFactory(organisation=org, is_published=False)
    assert client.get(reverse("groups:public-group", args=[group.pk])).status_code == 404
    assert client.get(reverse("groups:public-group-feed", args=[group.pk])).status_code == 404


def test_public_list_query_count(client, org, django_assert_max_num_queries):
    _structure(org, groups=8)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("groups:public-list"))
    assert response.content.decode().count("Group ") >= 8


def _events(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(b"".join(response.streaming_content) if response.streaming else response.content).walk(
        "VEVENT"
    )


def test_group_calendar_feeds(client, org):
    public_group = GroupFactory(organisation=org, is_published=True, name="Open Forum")
    MeetingFactory(group=public_group, days_ahead=10)
    private = GroupFactory(organisation=org, is_published=False)
    MeetingFactory(group=private, days_ahead=10)
    MeetingFactory(group=private, days_ahead=40)
    [event] = _events(client.get(reverse("groups:public-group-feed", args=[public_group.pk])))
    assert "Open Forum" in str(event["SUMMARY"])
    assert "Step-free access" in str(event["DESCRIPTION"])
    assert len(_events(client.get(reverse("groups:group-feed-secret", args=[private.calendar_token])))) == 2
    assert client.get(reverse("groups:group-feed-secret", args=["not-a-token"])).status_code == 404


def test_personal_calendar_feed(client, halo, org):
    user, resident, meeting, _ = halo
    MeetingFactory(group=GroupFactory(organisation=org), days_ahead=5)  # not theirs
    client.force_login(user)
    client.post(reverse("groups:my-calendar-link"))
    token = PersonalCalendar.objects.get(resident=resident).token
    client.logout()
    events = _events(client.get(reverse("groups:my-calendar", args=[token])))
    assert [str(e["UID"]).split("@")[0] for e in events] == [f"meeting-{meeting.pk}"]
    client.force_login(user)
    client.post(reverse("groups:my-calendar-link"), {"reset": "yes"})
    client.logout()
    assert client.get(reverse("groups:my-calendar", args=[token])).status_code == 404
