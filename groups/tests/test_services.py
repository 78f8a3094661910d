"""The rules of the involvement structure, through the services and selectors."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Role
from core.models import ClosureDay, Message
from groups import selectors, services
from groups.models import (
    Action,
    Attendance,
    Criterion,
    GroupDocument,
    GroupKind,
    Meeting,
    MemberRole,
    Membership,
    PaperComment,
    RecognitionReminder,
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

pytestmark = pytest.mark.django_db


def _future(days: int = 20, hour: int = 18) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=days), datetime.time(hour))
    )


def _past_meeting(group, days_ago: int = 3) -> Meeting:
    return MeetingFactory(group=group, starts_at=timezone.now() - datetime.timedelta(days=days_ago))


# --- Membership -------------------------------------------------------------------------------


def test_member_from_another_landlord_is_refused_with_a_clear_error(org, other_org, officer):
    group = GroupFactory(organisation=org)
    stranger = ResidentFactory(organisation=other_org, first_name="Ola", last_name="Okafor")
    with pytest.raises(ValidationError) as exc:
        services.membership_add(
            group=group, actor=officer, resident=stranger, role=MemberRole.MEMBER, starts_on=timezone.localdate()
        )
    assert exc.value.message_dict["resident"] == ["Ola Okafor is not a resident of Riverside Homes."]
    assert not Membership.objects.exists()


def test_the_same_person_cannot_hold_two_open_memberships_of_one_group(org, officer):
    group = GroupFactory(organisation=org, name="Scrutiny Panel")
    resident = ResidentFactory(organisation=org, first_name="Ann", last_name="Lee")
    today = timezone.localdate()
    services.membership_add(group=group, actor=officer, resident=resident, role=MemberRole.CHAIR, starts_on=today)
    with pytest.raises(ValidationError) as exc:
        services.membership_add(group=group, actor=officer, resident=resident, role=MemberRole.MEMBER, starts_on=today)
    assert "Ann Lee is already a member of Scrutiny Panel (chair since" in exc.value.message_dict["resident"][0]
    assert Membership.objects.count() == 1


def test_the_database_refuses_a_second_open_membership_too(org):
    membership = MembershipFactory(group=GroupFactory(organisation=org))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(group=membership.group, resident=membership.resident, starts_on=timezone.localdate())


def test_a_member_who_left_can_join_again(org, officer):
    membership = MembershipFactory(group=GroupFactory(organisation=org))
    services.membership_update(
        membership=membership,
        actor=officer,
        role=membership.role,
        starts_on=membership.starts_on,
        term_ends_on=None,
        ended_on=timezone.localdate(),
    )
    again = services.membership_add(
        group=membership.group,
        actor=officer,
        resident=membership.resident,
        role=MemberRole.MEMBER,
        starts_on=timezone.localdate(),
    )
    assert again.pk != membership.pk
    assert selectors.open_members(group=membership.group) == [again]


def test_staff_of_another_landlord_cannot_add_members(org, other_org, make_user):
    group = GroupFactory(organisation=org)
    outsider = make_user(Role.INVOLVEMENT_OFFICER, organisation=other_org, username="outsider")
    with pytest.raises(PermissionDenied):
        services.membership_add(
            group=group,
            actor=outsider,
            resident=ResidentFactory(organisation=org),
            role=MemberRole.MEMBER,
            starts_on=timezone.localdate(),
        )


def test_a_manager_cannot_manage_groups(org, manager):
    with pytest.raises(PermissionDenied):
        services.group_create(
            organisation=org,
            actor=manager,
            values={"name": "X", "kind": GroupKind.TRA, "purpose": "x", "quorum": 3, "privacy": "hidden"},
        )


def test_a_landlord_names_its_own_type_of_group(org, officer):
    values = {"name": "Youth Voice", "kind": GroupKind.OTHER, "purpose": "Young residents", "quorum": 2}
    group = services.group_create(organisation=org, actor=officer, values=values, other_type="Youth  panel")
    assert group.type_label == "Youth panel"
    with pytest.raises(ValidationError) as exc:
        services.group_create(organisation=org, actor=officer, values={**values, "name": "Another"}, other_type="")
    assert "other_type" in exc.value.message_dict


# --- Documents --------------------------------------------------------------------------------


def test_a_new_version_keeps_the_old_ones(org, officer):
    group = GroupFactory(organisation=org)
    first = services.document_upload(
        group=group,
        actor=officer,
        kind=GroupDocument.Kind.TERMS_OF_REFERENCE,
        title="",
        file=SimpleUploadedFile("tor.pdf", b"%PDF-1.7 one"),
        agreed_on=datetime.date(2025, 5, 1),
    )
    second = services.document_upload(
        group=group,
        actor=officer,
        kind=GroupDocument.Kind.TERMS_OF_REFERENCE,
        title="Terms of reference",
        file=SimpleUploadedFile("tor-2.pdf", b"%PDF-1.7 two"),
        agreed_on=datetime.date(2026, 1, 10),
        notes="Quorum raised to 4",
    )
    assert first.document_id == second.document_id
    assert (first.number, second.number) == (1, 2)
    [document] = selectors.documents(group=group)
    assert [v.number for v in document.versions.all()] == [2, 1]
    assert document.versions.all()[1].file.read() == b"%PDF-1.7 one"


# --- Meetings ---------------------------------------------------------------------------------


def test_scheduling_a_meeting_in_the_past_is_refused(org, officer):
    group = GroupFactory(organisation=org)
    venue = VenueFactory(organisation=org)
    start = timezone.now() - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.meeting_schedule(
            group=group, actor=officer, starts_at=start, ends_at=start + datetime.timedelta(hours=2), venue=venue
        )
    assert exc.value.message_dict["date"] == [
        "The meeting must be in the future. Choose a date and start time that have not passed yet."
    ]
    assert not Meeting.objects.exists()


def test_a_meeting_needs_a_place_and_must_end_after_it_starts(org, officer):
    group = GroupFactory(organisation=org)
    start = _future()
    with pytest.raises(ValidationError) as exc:
        services.meeting_schedule(group=group, actor=officer, starts_at=start, ends_at=start)
    assert "end_time" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.meeting_schedule(
            group=group, actor=officer, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        )
    assert "venue" in exc.value.message_dict


def test_another_landlords_venue_is_refused(org, other_org, officer):
    group = GroupFactory(organisation=org)
    start = _future()
    with pytest.raises(ValidationError):
        services.meeting_schedule(
            group=group,
            actor=officer,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            venue=VenueFactory(organisation=other_org),
        )


def test_a_double_submitted_schedule_form_makes_one_meeting(org, officer):
    group = GroupFactory(organisation=org)
    start = _future()
    kwargs = {
        "group": group,
        "actor": officer,
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=2),
        "online_link": "https://meet.example.com/x",
        "submission_key": "same-key",
    }
    first = services.meeting_schedule(**kwargs)
    second = services.meeting_schedule(**kwargs)
    assert first.pk == second.pk
    assert Meeting.objects.count() == 1


def test_publicity_deadline_counts_working_days_back_from_the_meeting(org):
    # Meeting on Thursday 7 May 2026; 10 working days back skips two weekends and the
    # 4 May bank holiday (early May): Wed 22 April.
    group = GroupFactory(organisation=org)
    meeting = MeetingFactory(group=group)
    meeting.starts_at = timezone.make_aware(datetime.datetime(2026, 5, 7, 18))
    p = selectors.publicity(meeting)
    assert p.deadline == datetime.date(2026, 4, 22)
    ClosureDay.objects.create(organisation=org, date=datetime.date(2026, 4, 30), reason="Staff training")
    assert selectors.publicity(meeting).deadline == datetime.date(2026, 4, 21)


def test_calendar_days_when_the_landlord_says_so(org, officer):
    services.group_settings_update(organisation=org, actor=officer, publicity_days=14, publicity_in_working_days=False)
    meeting = MeetingFactory(group=GroupFactory(organisation=org))
    meeting.starts_at = timezone.make_aware(datetime.datetime(2026, 5, 7, 18))
    assert selectors.publicity(meeting).deadline == datetime.date(2026, 4, 23)


def test_staff_are_warned_about_a_meeting_not_publicised_in_time(org, officer):
    group = GroupFactory(organisation=org)
    soon = MeetingFactory(group=group, days_ahead=3)
    later = MeetingFactory(group=group, days_ahead=60)
    assert selectors.publicity(soon).state == "overdue"
    assert selectors.publicity(soon).needs_warning
    assert selectors.publicity(later).state == "due"
    services.meeting_mark_publicised(meeting=soon, actor=officer)
    assert selectors.publicity(soon).state == "late"
    due = [m for m, _ in selectors.meetings_needing_publicity(user=officer)]
    assert soon not in due and later not in due


def test_quorum_counts_voting_members_present_only(org):
    group = GroupFactory(organisation=org, quorum=3)
    meeting = _past_meeting(group)
    voting = [MembershipFactory(group=group) for _ in range(2)]
    halo = MembershipFactory(group=group, role=MemberRole.HALO)
    apologies = MembershipFactory(group=group)
    for m in [*voting, halo]:
        Attendance.objects.create(meeting=meeting, resident=m.resident, status=Attendance.Status.PRESENT)
    Attendance.objects.create(meeting=meeting, resident=apologies.resident, status=Attendance.Status.APOLOGIES)
    q = selectors.quorum(meeting)
    assert (q.present, q.needed, q.met) == (2, 3, False)


def test_attendance_before_the_meeting_is_apologies_only(org, officer):
    group = GroupFactory(organisation=org)
    meeting = MeetingFactory(group=group)
    member = MembershipFactory(group=group)
    with pytest.raises(ValidationError):
        services.attendance_record(meeting=meeting, actor=officer, statuses={member.resident_id: "present"})
    services.attendance_record(meeting=meeting, actor=officer, statuses={member.resident_id: "apologies"})
    assert meeting.attendance.get().status == "apologies"
    stranger = ResidentFactory(organisation=org)
    with pytest.raises(ValidationError):
        services.attendance_record(meeting=meeting, actor=officer, statuses={stranger.pk: "apologies"})


def test_minutes_wait_for_the_meeting(org, officer):
    meeting = MeetingFactory(group=GroupFactory(organisation=org))
    with pytest.raises(ValidationError):
        services.minutes_record(meeting=meeting, actor=officer, minutes="x", summary="")


def test_open_actions_carry_to_later_meetings_until_done(org, officer):
    group = GroupFactory(organisation=org)
    first = _past_meeting(group, days_ago=60)
    second = _past_meeting(group, days_ago=30)
    third = MeetingFactory(group=group, days_ahead=10)
    action = services.action_add(
        meeting=first,
        actor=officer,
        description="Chase the lift repair",
        due_on=timezone.localdate(),
        owner_user=officer,
    )
    assert selectors.carried_actions(meeting=second) == [action]
    assert selectors.carried_actions(meeting=third) == [action]
    services.action_update(
        action=action, actor=officer, status=Action.Status.DONE, progress_note="Fixed", due_on=action.due_on
    )
    action.refresh_from_db()
    assert action.closed_on == timezone.localdate()
    assert selectors.carried_actions(meeting=third) == []
    # The record of the earlier meeting still shows it was open then.
    assert selectors.carried_actions(meeting=second) == [action]


def test_an_action_needs_an_owner_of_this_landlord(org, other_org, officer):
    meeting = _past_meeting(GroupFactory(organisation=org))
    with pytest.raises(ValidationError):
        services.action_add(
            meeting=meeting,
            actor=officer,
            description="x",
            due_on=timezone.localdate(),
            owner_resident=ResidentFactory(organisation=other_org),
        )


# --- Halo members and comments ----------------------------------------------------------------


@pytest.fixture
def halo_member(org, make_user):
    user = make_user(Role.INVOLVED_RESIDENT, username="halo")
    resident = ResidentFactory(organisation=org, user=user)
    return user, resident


def test_a_halo_member_comments_on_papers_before_the_meeting(org, halo_member):
    user, resident = halo_member
    group = GroupFactory(organisation=org)
    MembershipFactory(group=group, resident=resident, role=MemberRole.HALO)
    meeting = MeetingFactory(group=group)
    paper = PaperFactory(meeting=meeting)
    comment = services.paper_comment_add(meeting=meeting, actor=user, text="Please add a chart.", paper=paper)
    pack = selectors.meeting_pack(meeting=meeting)
    assert pack["comments_by_paper"] == [(paper, [comment])]
    assert pack["comments"][0].author_role == "halo member"


def test_a_member_of_a_halo_group_reads_the_papers_of_the_group_it_surrounds(org, halo_member):
    user, resident = halo_member
    panel = GroupFactory(organisation=org)
    halo = GroupFactory(organisation=org, kind=GroupKind.HALO_GROUP, parent=panel)
    MembershipFactory(group=halo, resident=resident, role=MemberRole.HALO)
    meeting = MeetingFactory(group=panel)
    assert selectors.resident_can_read_papers(resident=resident, meeting=meeting)
    services.paper_comment_add(meeting=meeting, actor=user, text="Agree with the report.")
    assert resident in selectors.paper_readers(meeting=meeting)


def test_a_halo_member_cannot_comment_on_a_group_they_are_not_in(org, halo_member):
    user, resident = halo_member
    mine = GroupFactory(organisation=org)
    MembershipFactory(group=mine, resident=resident, role=MemberRole.HALO)
    other = MeetingFactory(group=GroupFactory(organisation=org))
    with pytest.raises(PermissionDenied):
        services.paper_comment_add(meeting=other, actor=user, text="Let me in")
    assert not PaperComment.objects.exists()


def test_a_former_member_can_no_longer_comment(org, halo_member):
    user, resident = halo_member
    group = GroupFactory(organisation=org)
    MembershipFactory(group=group, resident=resident, role=MemberRole.HALO, ended_on=timezone.localdate())
    with pytest.raises(PermissionDenied):
        services.paper_comment_add(meeting=MeetingFactory(group=group), actor=user, text="Hello")


def test_comments_close_when_the_meeting_starts(org, halo_member):
    user, resident = halo_member
    group = GroupFactory(organisation=org)
    MembershipFactory(group=group, resident=resident, role=MemberRole.HALO)
    with pytest.raises(ValidationError):
        services.paper_comment_add(meeting=_past_meeting(group), actor=user, text="Too late")


def test_papers_ready_goes_to_each_member_once(org, officer):
    group = GroupFactory(organisation=org)
    members = [MembershipFactory(group=group), MembershipFactory(group=group, role=MemberRole.HALO)]
    meeting = MeetingFactory(group=group)
    PaperFactory(meeting=meeting)
    assert services.meeting_send_papers(meeting=meeting, actor=officer) == 2
    assert services.meeting_send_papers(meeting=meeting, actor=officer) == 0
    assert Message.objects.filter(template="group_meeting_papers").count() == 2
    assert {m.recipient_name for m in Message.objects.all()} == {m.resident.full_name for m in members}


# --- Elections --------------------------------------------------------------------------------


@pytest.fixture
def election(org, officer):
    group = GroupFactory(organisation=org, kind=GroupKind.TRA)
    held = timezone.localdate() - datetime.timedelta(days=1)
    e = services.election_create(group=group, actor=officer, kind="agm", held_on=held)
    return e


def test_votes_elect_the_winner_who_gets_the_role_and_term(election, officer, org):
    group = election.group
    old_chair = MembershipFactory(group=group, role=MemberRole.CHAIR)
    position = services.election_position_add(
        election=election, actor=officer, role=MemberRole.CHAIR, seats=1, term_months=24
    )
    a, b = ResidentFactory(organisation=org), ResidentFactory(organisation=org)
    ca = services.candidate_add(position=position, actor=officer, resident=a)
    cb = services.candidate_add(position=position, actor=officer, resident=b)
    services.election_record_votes(position=position, actor=officer, votes={ca.pk: 21, cb.pk: 9})
    ca.refresh_from_db()
    cb.refresh_from_db()
    assert (ca.elected, cb.elected, ca.votes, cb.votes) == (True, False, 21, 9)
    chair = Membership.objects.open().get(group=group, resident=a)
    assert chair.role == MemberRole.CHAIR
    assert chair.starts_on == election.held_on
    assert chair.term_ends_on == services._add_months(election.held_on, 24)
    assert chair.elected_in == election
    old_chair.refresh_from_db()
    assert old_chair.role == MemberRole.MEMBER
    assert not Membership.objects.filter(resident=b).exists()


def test_a_result_cannot_be_recorded_twice(election, officer, org):
    position = services.election_position_add(
        election=election, actor=officer, role=MemberRole.SECRETARY, seats=1, term_months=12
    )
    c = services.candidate_add(position=position, actor=officer, resident=ResidentFactory(organisation=org))
    services.election_record_votes(position=position, actor=officer, votes={c.pk: 12})
    with pytest.raises(ValidationError) as exc:
        services.election_record_votes(position=position, actor=officer, votes={c.pk: 12})
    assert "already recorded" in exc.value.messages[0]
    c.refresh_from_db()
    assert c.votes == 12
    assert Membership.objects.count() == 1


def test_a_tie_needs_the_tie_break_recorded(election, officer, org):
    position = services.election_position_add(
        election=election, actor=officer, role=MemberRole.MEMBER, seats=2, term_months=12
    )
    a, b, c = (
        services.candidate_add(position=position, actor=officer, resident=ResidentFactory(organisation=org))
        for _ in range(3)
    )
    votes = {a.pk: 20, b.pk: 7, c.pk: 7}
    with pytest.raises(ValidationError) as exc:
        services.election_record_votes(position=position, actor=officer, votes=votes)
    assert "tied with 7 votes" in exc.value.messages[0]
    services.election_record_votes(position=position, actor=officer, votes=votes, tie_winners=[c.pk])
    assert set(position.candidates.filter(elected=True).values_list("pk", flat=True)) == {a.pk, c.pk}


def test_a_candidate_stands_once_and_only_from_this_landlord(election, officer, org, other_org):
    position = services.election_position_add(
        election=election, actor=officer, role=MemberRole.TREASURER, seats=1, term_months=12
    )
    resident = ResidentFactory(organisation=org)
    services.candidate_add(position=position, actor=officer, resident=resident)
    with pytest.raises(ValidationError):
        services.candidate_add(position=position, actor=officer, resident=resident)
    with pytest.raises(ValidationError):
        services.candidate_add(position=position, actor=officer, resident=ResidentFactory(organisation=other_org))


# --- Recognition ------------------------------------------------------------------------------


def _all_evidence(group, officer, skip: str = "") -> None:
    for code in Criterion.values:
        if code != skip:
            services.recognition_evidence_record(group=group, actor=officer, criterion=code, meets=True, note="Seen")


def test_recognition_needs_every_criterion_met(org, officer, manager):
    group = GroupFactory(organisation=org, kind=GroupKind.TRA)
    _all_evidence(group, officer, skip=Criterion.NEWSLETTERS)
    with pytest.raises(ValidationError) as exc:
        services.recognition_decide(group=group, actor=manager, decision="recognised", reasons="All good")
    assert "Regular newsletters" in exc.value.message_dict["decision"][0]
    services.recognition_evidence_record(
        group=group, actor=officer, criterion=Criterion.NEWSLETTERS, meets=True, note="3 a year"
    )
    review = services.recognition_decide(
        group=group, actor=manager, decision="recognised", reasons="Meets the standard"
    )
    assert review.renewal_due == timezone.localdate() + datetime.timedelta(days=365)
    assert selectors.is_recognised(group)


def test_only_a_manager_or_administrator_decides(org, officer):
    group = GroupFactory(organisation=org, kind=GroupKind.TRA)
    _all_evidence(group, officer)
    with pytest.raises(PermissionDenied):
        services.recognition_decide(group=group, actor=officer, decision="recognised", reasons="x")


def test_is_recognised_on_a_date(org, officer, manager):
    group = GroupFactory(organisation=org, kind=GroupKind.TRA)
    _all_evidence(group, officer)
    decided = timezone.localdate() - datetime.timedelta(days=100)
    services.recognition_decide(
        group=group,
        actor=manager,
        decision="recognised",
        reasons="ok",
        decided_on=decided,
        renewal_due=decided + datetime.timedelta(days=365),
    )
    assert not selectors.is_recognised(group, on=decided - datetime.timedelta(days=1))
    assert selectors.is_recognised(group, on=decided)
    assert selectors.is_recognised(group, on=decided + datetime.timedelta(days=365))
    assert not selectors.is_recognised(group, on=decided + datetime.timedelta(days=366))
    services.recognition_decide(group=group, actor=manager, decision="lapsed", reasons="No accounts sent")
    assert not selectors.is_recognised(group)
    assert selectors.is_recognised(group, on=decided + datetime.timedelta(days=10))
    assert selectors.recognition_status(group).label == "Lapsed"


def test_evidence_that_says_met_needs_a_note_or_file(org, officer):
    group = GroupFactory(organisation=org, kind=GroupKind.TRA)
    with pytest.raises(ValidationError):
        services.recognition_evidence_record(
            group=group, actor=officer, criterion=Criterion.CONSTITUTION, meets=True, note=""
        )
    evidence = services.recognition_evidence_record(
        group=group,
        actor=officer,
        criterion=Criterion.CONSTITUTION,
        meets=True,
        note="",
        file=SimpleUploadedFile("constitution.pdf", b"%PDF-1.7 c"),
    )
    again = services.recognition_evidence_record(
        group=group, actor=officer, criterion=Criterion.CONSTITUTION, meets=False, note="Out of date"
    )
    assert again.pk == evidence.pk
    assert RecognitionReview.objects.filter(group=group, decision="").count() == 1


def test_reminders_go_before_renewal_and_never_twice(org, officer, manager):
    group = GroupFactory(organisation=org, kind=GroupKind.TRA, support_officer=officer)
    chair = MembershipFactory(group=group, role=MemberRole.CHAIR)
    MembershipFactory(group=group, role=MemberRole.SECRETARY)
    MembershipFactory(group=group, role=MemberRole.MEMBER)
    _all_evidence(group, officer)
    today = timezone.localdate()
    decided = today - datetime.timedelta(days=300)
    services.recognition_decide(
        group=group,
        actor=manager,
        decision="recognised",
        reasons="ok",
        decided_on=decided,
        renewal_due=today + datetime.timedelta(days=65),
    )
    assert services.recognition_reminders_send(today=today) == 0  # more than 60 days away
    day_60 = today + datetime.timedelta(days=5)
    assert services.recognition_reminders_send(today=day_60) == 1
    assert services.recognition_reminders_send(today=day_60) == 0
    call_command("send_recognition_reminders", date=(day_60 + datetime.timedelta(days=1)).isoformat())
    messages = Message.objects.filter(template="group_recognition_renewal")
    # Chair, secretary and the support officer; not the ordinary member.
    assert messages.count() == 3
    assert chair.resident.full_name in set(messages.values_list("recipient_name", flat=True))
    # A missed fortnight sends only the most urgent reminder, once.
    day_7 = today + datetime.timedelta(days=60)
    assert services.recognition_reminders_send(today=day_7) == 1
    assert list(RecognitionReminder.objects.order_by("days_before").values_list("days_before", flat=True)) == [7, 60]
    assert services.recognition_reminders_send(today=day_7 + datetime.timedelta(days=1)) == 0
    # On the day it runs out, one last reminder.
    assert services.recognition_reminders_send(today=today + datetime.timedelta(days=66)) == 1
    assert "ran out" in Message.objects.order_by("-pk").first().body


def test_no_reminder_after_a_newer_decision(org, officer, manager):
    group = GroupFactory(organisation=org, kind=GroupKind.TRA)
    MembershipFactory(group=group, role=MemberRole.CHAIR)
    _all_evidence(group, officer)
    today = timezone.localdate()
    services.recognition_decide(
        group=group,
        actor=manager,
        decision="recognised",
        reasons="ok",
        decided_on=today - datetime.timedelta(days=350),
        renewal_due=today + datetime.timedelta(days=15),
    )
    services.recognition_decide(group=group, actor=manager, decision="lapsed", reasons="Folded")
    assert services.recognition_reminders_send(today=today) == 0


def test_action_factory_is_consistent(org):
    action = ActionFactory(meeting=_past_meeting(GroupFactory(organisation=org)))
    assert action.group_id == action.meeting.group_id
