"""Inviting residents, answering from the link, the waiting list, and bad input."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import Message
from opportunities import services
from opportunities.models import Invitation, Opportunity
from opportunities.tests.factories import InvitationFactory, OpportunityFactory, involved_resident
from opportunities.tokens import make_token
from people.models import Consent, Resident

pytestmark = pytest.mark.django_db


def _messages(template, resident=None):
    qs = Message.objects.filter(template=template)
    if resident is not None:
        qs = qs.filter(recipient_id=str(resident.pk))
    return qs


def _invite(opportunity, residents, officer):
    return services.invitation_send(
        opportunity=opportunity, residents=residents, actor=officer, site_url="https://involve.example.org"
    )


def test_invitation_goes_through_notify_in_the_preferred_channel(org, officer):
    opportunity = OpportunityFactory(organisation=org, title="Repairs focus group", capacity=3)
    by_email = involved_resident(org, email="ada@example.org")
    by_post = involved_resident(org, preferred_channel="post", contact_by_email=False, contact_by_post=True, email="")
    by_text = involved_resident(
        org, preferred_channel="text", contact_by_text=True, contact_by_email=False, mobile="07700900123"
    )
    invitations = _invite(opportunity, [by_email, by_post, by_text], officer)
    assert len(invitations) == 3
    email = _messages("opportunity_invitation", by_email).get()
    assert email.channel == "email" and email.to == "ada@example.org"
    assert "Repairs focus group" in email.subject
    link = "https://involve.example.org" + reverse("opportunities:invitation-answer", args=[invitations[0].token])
    assert link in email.body
    assert email.because == invitations[0]
    assert _messages("opportunity_invitation", by_post).get().status == Message.Status.TO_PRINT
    text = _messages("opportunity_invitation", by_text).get()
    assert text.channel == "text" and len(text.body) < 320 and "Reply STOP" in text.body


def test_inviting_the_same_resident_twice_is_refused(org, officer):
    opportunity = OpportunityFactory(organisation=org)
    resident = involved_resident(org, first_name="Ada", last_name="Lovelace")
    _invite(opportunity, [resident], officer)
    with pytest.raises(ValidationError) as exc:
        _invite(opportunity, [resident], officer)
    assert "Ada Lovelace has already been invited to this opportunity." in exc.value.messages
    assert Invitation.objects.filter(opportunity=opportunity, resident=resident).count() == 1
    assert _messages("opportunity_invitation", resident).count() == 1
    # And the database refuses it too, whatever the code path.
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(organisation=org, opportunity=opportunity, resident=resident, key="x")


def test_another_landlords_resident_is_refused(org, other_org, officer):
    opportunity = OpportunityFactory(organisation=org)
    theirs = involved_resident(other_org, first_name="Nell", last_name="Jones")
    ours = involved_resident(org)
    with pytest.raises(ValidationError) as exc:
        _invite(opportunity, [ours, theirs], officer)
    assert "Nell Jones is not one of your residents." in exc.value.messages
    assert not Invitation.objects.exists()  # all or none
    assert not Message.objects.exists()


def test_residents_without_consent_or_not_active_are_refused(org, officer):
    opportunity = OpportunityFactory(organisation=org)
    withdrawn = involved_resident(org, first_name="Wendy", last_name="Withdrawn")
    Consent.objects.filter(resident=withdrawn).update(withdrawn_at=timezone.now())
    former = involved_resident(org, first_name="Fred", last_name="Former", status=Resident.Status.FORMER)
    with pytest.raises(ValidationError) as exc:
        _invite(opportunity, [withdrawn, former], officer)
    assert exc.value.messages == [
        "Wendy Withdrawn has not agreed to be contacted about getting involved.",
        "Fred Former is not an active resident.",
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"status": Opportunity.Status.CLOSED},
        {"status": Opportunity.Status.CANCELLED},
        {"status": Opportunity.Status.DRAFT},
        {"starts_at": timezone.now() - datetime.timedelta(hours=1)},
        {"answer_by": timezone.now() - datetime.timedelta(hours=1)},
    ],
)
def test_no_invitations_to_a_closed_or_past_opportunity(org, officer, change):
    opportunity = OpportunityFactory(organisation=org, **change)
    with pytest.raises(ValidationError, match="not open for replies"):
        _invite(opportunity, [involved_resident(org)], officer)


def test_only_managing_staff_of_the_landlord_may_invite(org, other_org, manager, make_user):
    opportunity = OpportunityFactory(organisation=org)
    with pytest.raises(PermissionDenied):
        _invite(opportunity, [involved_resident(org)], manager)
    other_officer = make_user("involvement_officer", organisation=other_org, username="n-officer")
    with pytest.raises(PermissionDenied):
        _invite(opportunity, [involved_resident(org)], other_officer)


# Answering -------------------------------------------------------------------------------


def test_answering_twice_changes_nothing(org):
    invitation = InvitationFactory(opportunity=OpportunityFactory(organisation=org, capacity=2))
    first = services.invitation_answer(token=invitation.token, accept=True)
    assert first.status == Invitation.Status.ACCEPTED
    answered_at = first.answered_at
    again = services.invitation_answer(token=invitation.token, accept=True)
    assert again.status == Invitation.Status.ACCEPTED and again.answered_at == answered_at
    assert Invitation.objects.filter(opportunity=invitation.opportunity, status="accepted").count() == 1


def test_declining_twice_changes_nothing(org):
    invitation = InvitationFactory(opportunity=OpportunityFactory(organisation=org))
    services.invitation_answer(token=invitation.token, accept=False)
    answered = Invitation.objects.get(pk=invitation.pk).answered_at
    services.invitation_answer(token=invitation.token, accept=False)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED and invitation.answered_at == answered


def test_a_wrong_or_replaced_link_finds_nothing(org, officer):
    invitation = InvitationFactory(opportunity=OpportunityFactory(organisation=org))
    old = invitation.token
    assert services.invitation_for_token(old[:-2] + "xx") is None
    assert services.invitation_for_token("not-a-token") is None
    services.invitation_send_again(invitation=invitation, actor=officer)
    assert services.invitation_for_token(old) is None
    invitation.refresh_from_db()
    assert services.invitation_for_token(invitation.token) == invitation
    with pytest.raises(Invitation.DoesNotExist):
        services.invitation_answer(token=old, accept=True)


def test_token_is_signed_not_stored(org):
    invitation = InvitationFactory(opportunity=OpportunityFactory(organisation=org))
    token = make_token(invitation)
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())


def test_answers_close_with_the_opportunity(org):
    opportunity = OpportunityFactory(organisation=org)
    invitation = InvitationFactory(opportunity=opportunity)
    Opportunity.objects.filter(pk=opportunity.pk).update(starts_at=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="closed"):
        services.invitation_answer(token=invitation.token, accept=True)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        starts_at=timezone.now() + datetime.timedelta(days=5), status=Opportunity.Status.CANCELLED
    )
    with pytest.raises(ValidationError, match="closed"):
        services.invitation_answer(token=invitation.token, accept=False)
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.INVITED


def test_a_withdrawn_invitation_cannot_be_answered(org, officer):
    invitation = InvitationFactory(opportunity=OpportunityFactory(organisation=org))
    services.invitation_remove(invitation=invitation, actor=officer)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_answer(token=invitation.token, accept=True)


# The waiting list ---------------------------------------------------------------------------


def test_waiting_list_in_order_and_first_offered_the_place_when_someone_declines(org):
    opportunity = OpportunityFactory(organisation=org, capacity=1)
    a, b, c = (InvitationFactory(opportunity=opportunity) for _ in range(3))
    assert services.invitation_answer(token=a.token, accept=True).status == Invitation.Status.ACCEPTED
    assert services.invitation_answer(token=b.token, accept=True).status == Invitation.Status.WAITING
    assert services.invitation_answer(token=c.token, accept=True).status == Invitation.Status.WAITING

    services.invitation_answer(token=a.token, accept=False)
    statuses = dict(Invitation.objects.filter(opportunity=opportunity).values_list("pk", "status"))
    assert statuses == {a.pk: "declined", b.pk: "accepted", c.pk: "waiting"}
    offered = _messages("opportunity_place_offered")
    assert offered.count() == 1 and offered.get().recipient_id == str(b.resident_id)
    assert reverse("opportunities:invitation-answer", args=[b.token]) in offered.get().body


def test_staff_removing_someone_coming_offers_the_place(org, officer):
    opportunity = OpportunityFactory(organisation=org, capacity=1)
    a, b = InvitationFactory(opportunity=opportunity), InvitationFactory(opportunity=opportunity)
    services.invitation_answer(token=a.token, accept=True)
    services.invitation_answer(token=b.token, accept=True)
    services.invitation_remove(invitation=a, actor=officer)
    assert Invitation.objects.get(pk=b.pk).status == Invitation.Status.ACCEPTED
    assert _messages("opportunity_place_offered", b.resident).count() == 1
    services.invitation_remove(invitation=a, actor=officer)  # removing twice changes nothing
    assert _messages("opportunity_place_offered").count() == 1


def test_someone_on_the_waiting_list_can_leave_it(org):
    opportunity = OpportunityFactory(organisation=org, capacity=1)
    a, b = InvitationFactory(opportunity=opportunity), InvitationFactory(opportunity=opportunity)
    services.invitation_answer(token=a.token, accept=True)
    services.invitation_answer(token=b.token, accept=True)
    services.invitation_answer(token=b.token, accept=False)
    assert Invitation.objects.get(pk=b.pk).status == Invitation.Status.DECLINED
    assert not _messages("opportunity_place_offered").exists()


def test_more_places_fill_from_the_waiting_list(org, officer):
    opportunity = OpportunityFactory(organisation=org, capacity=1)
    invitations = [InvitationFactory(opportunity=opportunity) for _ in range(3)]
    for invitation in invitations:
        services.invitation_answer(token=invitation.token, accept=True)
    services.opportunity_update(opportunity=opportunity, actor=officer, values={"capacity": 2})
    statuses = [Invitation.objects.get(pk=i.pk).status for i in invitations]
    assert statuses == ["accepted", "accepted", "waiting"]
    assert _messages("opportunity_place_offered").count() == 1


def test_fewer_places_than_people_coming_is_refused(org, officer):
    opportunity = OpportunityFactory(organisation=org, capacity=2)
    for _ in range(2):
        services.invitation_answer(token=InvitationFactory(opportunity=opportunity).token, accept=True)
    with pytest.raises(ValidationError) as exc:
        services.opportunity_update(opportunity=opportunity, actor=officer, values={"capacity": 1})
    assert "2 people are already coming" in exc.value.message_dict["capacity"][0]


# Capacity and dates ------------------------------------------------------------------------


@pytest.mark.parametrize("capacity", [-1, 0])
def test_capacity_below_one_is_refused(org, officer, capacity):
    values = {
        "title": "Walkabout",
        "description": "Walk the estate.",
        "starts_at": timezone.now() + datetime.timedelta(days=3),
        "place": "Meet at the shops",
        "capacity": capacity,
        "time_needed": "year",
    }
    with pytest.raises(ValidationError) as exc:
        services.opportunity_create(organisation=org, actor=officer, values=values)
    assert exc.value.message_dict["capacity"] == ["Enter the number of places, 1 or more"]
    assert not Opportunity.objects.exists()


def test_database_refuses_zero_capacity(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        OpportunityFactory(organisation=org, capacity=0)


def test_opportunity_in_the_past_is_refused(org, officer):
    values = {
        "title": "Walkabout",
        "description": "Walk the estate.",
        "starts_at": timezone.now() - datetime.timedelta(days=1),
        "place": "Meet at the shops",
        "capacity": 5,
        "time_needed": "year",
    }
    with pytest.raises(ValidationError) as exc:
        services.opportunity_create(organisation=org, actor=officer, values=values)
    assert exc.value.message_dict["starts_at"] == ["The date and time must be in the future"]


def test_areas_and_courses_of_another_landlord_are_refused(org, other_org, officer):
    from opportunities.tests.factories import TrainingCourseFactory
    from people.tests.factories import AreaFactory

    values = {
        "title": "Walkabout",
        "description": "Walk the estate.",
        "starts_at": timezone.now() + datetime.timedelta(days=1),
        "place": "Meet at the shops",
        "capacity": 5,
        "time_needed": "year",
    }
    with pytest.raises(ValidationError, match="another landlord"):
        services.opportunity_create(
            organisation=org, actor=officer, values=values, areas=[AreaFactory(organisation=other_org)]
        )
    with pytest.raises(ValidationError, match="another landlord"):
        services.opportunity_create(
            organisation=org, actor=officer, values=values, training=[TrainingCourseFactory(organisation=other_org)]
        )
    assert not Opportunity.objects.exists()


def test_someone_coming_can_still_cancel_after_the_reply_by_date(org):
    opportunity = OpportunityFactory(organisation=org, capacity=1)
    coming, waiting, late = (InvitationFactory(opportunity=opportunity) for _ in range(3))
    services.invitation_answer(token=coming.token, accept=True)
    services.invitation_answer(token=waiting.token, accept=True)
    Opportunity.objects.filter(pk=opportunity.pk).update(answer_by=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError, match="closed"):
        services.invitation_answer(token=late.token, accept=True)
    services.invitation_answer(token=coming.token, accept=False)
    assert Invitation.objects.get(pk=waiting.pk).status == Invitation.Status.ACCEPTED
    Opportunity.objects.filter(pk=opportunity.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="closed"):
        services.invitation_answer(token=waiting.token, accept=False)


def test_cancelling_tells_everyone_still_expecting_it_once(org, officer):
    opportunity = OpportunityFactory(organisation=org, title="Estate walkabout", capacity=1)
    coming, waiting, unanswered, declined, removed = (InvitationFactory(opportunity=opportunity) for _ in range(5))
    services.invitation_answer(token=coming.token, accept=True)
    services.invitation_answer(token=waiting.token, accept=True)
    services.invitation_answer(token=declined.token, accept=False)
    services.invitation_remove(invitation=removed, actor=officer)

    services.opportunity_update(opportunity=opportunity, actor=officer, values={"status": Opportunity.Status.CANCELLED})

    told = {int(m.recipient_id) for m in _messages("opportunity_cancelled")}
    assert told == {coming.resident_id, waiting.resident_id, unanswered.resident_id}
    message = _messages("opportunity_cancelled", coming.resident).get()
    assert "Estate walkabout" in message.subject and "will not go ahead" in message.body
    # Saving the cancelled opportunity again tells no one twice.
    services.opportunity_update(opportunity=opportunity, actor=officer, values={"place": "Community centre"})
    assert _messages("opportunity_cancelled").count() == 3
