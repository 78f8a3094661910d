"""factory-boy factories for opportunities. Residents come from people.tests.factories."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from opportunities.models import Invitation, MenuItem, MenuLevel, Opportunity, TimeEntry
from people.models import Consent, InvolvementLevel, TimeAvailable
from people.tests.factories import OrganisationFactory, ResidentFactory
from resources.models import TrainingCourse, TrainingRecord


class MenuItemFactory(DjangoModelFactory):
    class Meta:
        model = MenuItem

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Way to get involved {n}")
    level = MenuLevel.CONSULTING
    summary = "Come to a one-off discussion."
    what_it_involves = "A small group talks about one subject."
    time_needed = "About 2 hours"
    time_commitment = TimeAvailable.FEW_HOURS_YEAR
    how_to_join = "Tell us you are interested."
    suits_levels = factory.LazyFunction(lambda: [InvolvementLevel.CONSULTED, InvolvementLevel.INVOLVED])


class OpportunityFactory(DjangoModelFactory):
    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Repairs focus group {n}")
    description = "Tell us what you think of the repairs service."
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
    hours = Decimal("2")
    place = "Community centre, Mill Lane"
    capacity = 8
    levels = factory.LazyFunction(lambda: [InvolvementLevel.CONSULTED, InvolvementLevel.INVOLVED])
    time_needed = TimeAvailable.FEW_HOURS_YEAR
    status = Opportunity.Status.OPEN

    @factory.post_generation
    def interests(self, create, extracted, **kwargs):
        if create and extracted:
            self.interests.set(extracted)

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.set(extracted)

    @factory.post_generation
    def training_required(self, create, extracted, **kwargs):
        if create and extracted:
            self.training_required.set(extracted)

    @factory.post_generation
    def format_support(self, create, extracted, **kwargs):
        if create and extracted:
            self.format_support.set(extracted)


class InvitationFactory(DjangoModelFactory):
    class Meta:
        model = Invitation

    opportunity = factory.SubFactory(OpportunityFactory)
    organisation = factory.SelfAttribute("opportunity.organisation")
    resident = factory.SubFactory(ResidentFactory, organisation=factory.SelfAttribute("..opportunity.organisation"))
    key = factory.LazyFunction(Invitation.new_key)


class TimeEntryFactory(DjangoModelFactory):
    class Meta:
        model = TimeEntry

    resident = factory.SubFactory(ResidentFactory)
    organisation = factory.SelfAttribute("resident.organisation")
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    hours = Decimal("2")
    description = "Estate walkabout"


class TrainingCourseFactory(DjangoModelFactory):
    class Meta:
        model = TrainingCourse

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"course-{n}")
    name = factory.Sequence(lambda n: f"Course {n}")


def involved_resident(org, *, consent: bool = True, interests=(), format_needs=(), **kwargs):
    """An active resident who wants to take part, with consent to be contacted (unless told not)."""
    kwargs.setdefault("involvement_level", InvolvementLevel.INVOLVED)
    kwargs.setdefault("time_available", TimeAvailable.FEW_HOURS_MONTH)
    kwargs.setdefault("preferred_channel", "email")
    kwargs.setdefault("contact_by_email", True)
    resident = ResidentFactory(organisation=org, **kwargs)
    if consent:
        Consent.objects.create(resident=resident, purpose=Consent.Purpose.INVOLVEMENT_CONTACT, method="online")
    if interests:
        resident.interests.set(interests)
    if format_needs:
        resident.format_needs.set(format_needs)
    return resident


def trained(resident, course, *, completed_on=None, expires_on=None):
    return TrainingRecord.objects.create(
        resident=resident,
        course=course,
        completed_on=completed_on or timezone.localdate() - datetime.timedelta(days=30),
        expires_on=expires_on,
    )
