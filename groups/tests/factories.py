"""factory-boy factories for groups, meetings and recognition."""

from __future__ import annotations

import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from groups.models import (
    Action,
    Group,
    GroupKind,
    Meeting,
    MemberRole,
    Membership,
    Paper,
    Venue,
)
from people.tests.factories import OrganisationFactory, ResidentFactory


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Test Panel {n}")
    kind = GroupKind.SCRUTINY_PANEL
    purpose = "Checks how well services work and recommends improvements."
    quorum = 3


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    resident = factory.SubFactory(ResidentFactory, organisation=factory.SelfAttribute("..group.organisation"))
    role = MemberRole.MEMBER
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=200))


class VenueFactory(DjangoModelFactory):
    class Meta:
        model = Venue

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Community Centre {n}")
    address = "1 High Street, Riverton"
    postcode = "RV1 1AA"
    step_free = True
    hearing_loop = True


def _in_days(days: int, hour: int = 18) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    class Params:
        days_ahead = 30

    group = factory.SubFactory(GroupFactory)
    starts_at = factory.LazyAttribute(lambda o: _in_days(o.days_ahead))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    venue = factory.SubFactory(VenueFactory, organisation=factory.SelfAttribute("..group.organisation"))


class PaperFactory(DjangoModelFactory):
    class Meta:
        model = Paper

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Report {n}")
    file = factory.LazyAttribute(lambda o: ContentFile(b"%PDF-1.4 test paper", name=f"{o.title}.pdf"))
    original_name = factory.LazyAttribute(lambda o: f"{o.title}.pdf")


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    meeting = factory.SubFactory(MeetingFactory)
    group = factory.SelfAttribute("meeting.group")
    description = "Find out why repairs appointments are missed"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
