"""A resident's record shows what other apps hold about their involvement: groups, invitations,
time given and awards, and training."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.models import Role
from groups.models import MemberRole
from groups.tests.factories import GroupFactory, MembershipFactory
from opportunities.models import TimeAward
from opportunities.tests.factories import (
    InvitationFactory,
    OpportunityFactory,
    TimeEntryFactory,
    TrainingCourseFactory,
    involved_resident,
    trained,
)

pytestmark = pytest.mark.django_db


def test_the_record_shows_groups_invitations_time_and_training(client, org, officer, django_assert_max_num_queries):
    resident = involved_resident(org, first_name="Ada", last_name="Okafor")
    MembershipFactory(
        group=GroupFactory(organisation=org, name="Repairs Task Team"), resident=resident, role=MemberRole.CHAIR
    )
    InvitationFactory(
        opportunity=OpportunityFactory(organisation=org, title="Mystery shop the repairs line"), resident=resident
    )
    TimeEntryFactory(resident=resident, hours=Decimal("12"))
    TimeAward.objects.create(organisation=org, resident=resident, hours=10)
    trained(resident, TrainingCourseFactory(organisation=org, name="Mystery shopping"))

    client.force_login(officer)
    with django_assert_max_num_queries(24):
        page = client.get(f"/staff/residents/{resident.pk}/").content.decode()
    assert "Repairs Task Team" in page and "Chair since" in page
    assert "Mystery shop the repairs line" in page
    assert "Time given: 12 hours; thanked for passing 10 hours" in page
    assert "Mystery shopping" in page and "Completed" in page


def test_a_record_with_no_involvement_says_so(client, org, officer):
    resident = involved_resident(org)
    client.force_login(officer)
    page = client.get(f"/staff/residents/{resident.pk}/").content.decode()
    assert "Not a member of any group." in page
    assert "Not invited to anything yet." in page
    assert "No training recorded." in page


def test_panels_follow_the_policy(org, make_user):
    """A panel appears only for a user whose role has its action; residents see none."""
    from core.permissions import has_permission
    from people.record import record_panels

    resident = involved_resident(org)
    viewer = make_user(Role.PARTNERSHIP_VIEWER)
    titles = [p.title for p in record_panels(user=viewer, resident=resident)]
    expected = [
        title
        for title, action in (
            ("Groups", "group.view"),
            ("Invitations and time given", "opportunity.view"),
            ("Training", "resident.view"),
            ("Concerns and complaints", "complaints.view"),
        )
        if has_permission(viewer, action)
    ]
    assert titles == expected
    assert record_panels(user=make_user(Role.RESIDENT), resident=resident) == []
