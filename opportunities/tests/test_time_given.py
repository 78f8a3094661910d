"""Attendance, time given, awards at the landlord's thresholds, and a resident's own page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role
from core.models import Message
from opportunities import services
from opportunities.models import Invitation, InvolvementSettings, Opportunity, TimeAward, TimeEntry
from opportunities.tests.factories import InvitationFactory, OpportunityFactory, involved_resident

pytestmark = pytest.mark.django_db


def _held(org, *, hours="3", capacity=5, people=2):
    """An opportunity that took place yesterday, with `people` who said they were coming."""
    opportunity = OpportunityFactory(organisation=org, hours=Decimal(hours), capacity=capacity)
    invitations = [InvitationFactory(opportunity=opportunity) for _ in range(people)]
    for invitation in invitations:
        services.invitation_answer(token=invitation.token, accept=True)
    Opportunity.objects.filter(pk=opportunity.pk).update(starts_at=timezone.now() - datetime.timedelta(days=1))
    opportunity.refresh_from_db()
    return opportunity, invitations


def test_attendance_credits_hours_once_and_can_be_corrected(org, officer):
    opportunity, (came, absent) = _held(org)
    services.attendance_record(
        opportunity=opportunity, actor=officer, attendance={came.pk: (True, None), absent.pk: (False, None)}
    )
    services.attendance_record(opportunity=opportunity, actor=officer, attendance={came.pk: (True, None)})
    entry = TimeEntry.objects.get()
    assert entry.resident == came.resident and entry.hours == Decimal("3") and entry.invitation == came
    assert Invitation.objects.get(pk=absent.pk).attended is False

    services.attendance_record(opportunity=opportunity, actor=officer, attendance={came.pk: (True, Decimal("1.5"))})
    assert TimeEntry.objects.get().hours == Decimal("1.5")
    services.attendance_record(opportunity=opportunity, actor=officer, attendance={came.pk: (False, None)})
    assert not TimeEntry.objects.exists()


def test_attendance_before_it_starts_or_for_people_not_coming_is_refused(org, officer):
    opportunity = OpportunityFactory(organisation=org)
    invitation = InvitationFactory(opportunity=opportunity)
    with pytest.raises(ValidationError, match="once it has started"):
        services.attendance_record(opportunity=opportunity, actor=officer, attendance={invitation.pk: (True, None)})
    held, _ = _held(org)
    declined = InvitationFactory(opportunity=held, status=Invitation.Status.DECLINED)
    with pytest.raises(ValidationError, match="said they were coming"):
        services.attendance_record(opportunity=held, actor=officer, attendance={declined.pk: (True, None)})


def test_awards_are_given_once_each_and_the_resident_is_told(org, officer):
    InvolvementSettings.objects.create(organisation=org, award_hours=[5, 10])
    resident = involved_resident(org)
    day = timezone.localdate() - datetime.timedelta(days=1)
    services.time_record(resident=resident, actor=officer, hours=Decimal("4"), date=day, description="Panel")
    assert not TimeAward.objects.exists()
    services.time_record(resident=resident, actor=officer, hours=Decimal("2"), date=day, description="Panel")
    assert list(TimeAward.objects.values_list("hours", flat=True)) == [5]
    services.time_record(resident=resident, actor=officer, hours=Decimal("1"), date=day, description="Panel")
    assert TimeAward.objects.count() == 1  # 7 hours: nothing new
    services.time_record(resident=resident, actor=officer, hours=Decimal("8"), date=day, description="Grant")
    assert list(TimeAward.objects.values_list("hours", flat=True)) == [5, 10]
    told = Message.objects.filter(template="opportunity_time_award", recipient_id=str(resident.pk))
    assert told.count() == 2
    assert "15 hours" in told.order_by("id").last().body


def test_attendance_can_reach_an_award(org, officer):
    InvolvementSettings.objects.create(organisation=org, award_hours=[3])
    opportunity, (came, _) = _held(org, hours="3")
    services.attendance_record(opportunity=opportunity, actor=officer, attendance={came.pk: (True, None)})
    services.attendance_record(opportunity=opportunity, actor=officer, attendance={came.pk: (True, None)})
    assert TimeAward.objects.filter(resident=came.resident, hours=3).count() == 1
    assert Message.objects.filter(template="opportunity_time_award").count() == 1


def test_default_thresholds_are_10_25_50(org, officer):
    resident = involved_resident(org)
    day = timezone.localdate()
    services.time_record(resident=resident, actor=officer, hours=Decimal("24"), date=day, description="Conference")
    services.time_record(resident=resident, actor=officer, hours=Decimal("2"), date=day, description="Panel")
    assert list(TimeAward.objects.values_list("hours", flat=True)) == [10, 25]


@pytest.mark.parametrize(
    ("hours", "date", "field"),
    [
        (Decimal("0"), None, "hours"),
        (Decimal("-2"), None, "hours"),
        (Decimal("25"), None, "hours"),
        (Decimal("2"), timezone.localdate() + datetime.timedelta(days=2), "date"),
    ],
)
def test_time_record_refuses_bad_input(org, officer, hours, date, field):
    resident = involved_resident(org)
    with pytest.raises(ValidationError) as exc:
        services.time_record(
            resident=resident, actor=officer, hours=hours, date=date or timezone.localdate(), description="x"
        )
    assert field in exc.value.message_dict
    assert not TimeEntry.objects.exists()


def test_time_pages(client, officer, org):
    resident = involved_resident(org, person_ref="RHP0000042")
    client.force_login(officer)
    url = reverse("opportunities:time-add")
    response = client.post(url, {"person_ref": "NOPE", "date": "1 1 2026", "hours": "2", "description": "Panel"})
    assert b"There is no resident with person reference NOPE" in response.content
    response = client.post(url, {"person_ref": "RHP0000042", "date": "1 1 2026", "hours": "-1", "description": "x"})
    assert b"Enter hours of 0.25 or more" in response.content
    response = client.post(
        url, {"person_ref": "RHP0000042", "date": "1 1 2026", "hours": "2.5", "description": "Grant panel"}
    )
    assert response.status_code == 302
    page = client.get(reverse("opportunities:time-given"))
    # Escaped as the page escapes it: a name like O'Neill is written O&#x27;Neill.
    assert escape(resident.full_name) in page.content.decode() and b"2.5" in page.content


def test_settings_page(client, officer, org):
    client.force_login(officer)
    url = reverse("opportunities:settings")
    bad = client.post(url, {"rest_days": "0", "max_recent_invitations": "2", "award_hours": "10, ten"})
    assert b"Enter 1 day or more" in bad.content and b"Enter whole numbers of hours" in bad.content
    client.post(url, {"rest_days": "14", "max_recent_invitations": "3", "award_hours": "50, 10, 25, 10"})
    saved = InvolvementSettings.objects.get(organisation=org)
    assert (saved.rest_days, saved.max_recent_invitations, saved.award_hours) == (14, 3, [10, 25, 50])


def test_resident_sees_their_own_invitations_and_hours(client, org, make_user):
    user = make_user(Role.INVOLVED_RESIDENT, username="panel")
    resident = involved_resident(org, user=user)
    someone_else = involved_resident(org)
    mine = InvitationFactory(opportunity=OpportunityFactory(organisation=org, title="Our walkabout"), resident=resident)
    InvitationFactory(opportunity=OpportunityFactory(organisation=org, title="Not mine"), resident=someone_else)
    TimeEntry.objects.create(
        organisation=org, resident=resident, date=timezone.localdate(), hours=Decimal("4"), description="Panel"
    )
    TimeEntry.objects.create(
        organisation=org, resident=someone_else, date=timezone.localdate(), hours=Decimal("9"), description="Other"
    )
    client.force_login(user)
    text = client.get(reverse("opportunities:own-involvement")).content.decode()
    assert "Our walkabout" in text and "Not mine" not in text
    assert "You have given 4 hours" in text
    assert reverse("opportunities:invitation-answer", args=[mine.token]) in text
    assert "Our next thank you is at 10 hours" in text


def test_resident_without_a_linked_record(client, make_user):
    client.force_login(make_user(Role.RESIDENT, username="r"))
    assert b"not linked to our records" in client.get(reverse("opportunities:own-involvement")).content
