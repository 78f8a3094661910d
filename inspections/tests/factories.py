"""factory-boy factories for mystery shopping and walkabouts."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from inspections.models import Exercise, Finding, Question, Scenario, Service, Walkabout
from people.tests.factories import AreaFactory, OrganisationFactory, ResidentFactory
from resources.models import TrainingCourse, TrainingRecord


class TrainingCourseFactory(DjangoModelFactory):
    class Meta:
        model = TrainingCourse
        django_get_or_create = ("organisation", "code")

    organisation = factory.SubFactory(OrganisationFactory)
    code = "mystery-shopping"
    name = "Mystery shopping"


class TrainingRecordFactory(DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    resident = factory.SubFactory(ResidentFactory)
    course = factory.SubFactory(TrainingCourseFactory, organisation=factory.SelfAttribute("..resident.organisation"))
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class ScenarioFactory(DjangoModelFactory):
    class Meta:
        model = Scenario

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Report a leaking tap {n}")
    kind = Scenario.Kind.PHONE_CALL
    service = Service.REPAIRS
    brief = "Phone the repairs line and report a dripping kitchen tap."
    required_course = factory.SubFactory(TrainingCourseFactory, organisation=factory.SelfAttribute("..organisation"))


class QuestionFactory(DjangoModelFactory):
    class Meta:
        model = Question

    scenario = factory.SubFactory(ScenarioFactory)
    position = factory.Sequence(int)
    text = factory.Sequence(lambda n: f"Question {n}")
    kind = Question.Kind.YES_NO
    weight = 1


def trained_shopper(organisation, course=None, **kwargs):
    """A resident of `organisation` with current training in `course` (the mystery-shopping course)."""
    resident = ResidentFactory(organisation=organisation, **kwargs)
    course = course or TrainingCourseFactory(organisation=organisation)
    TrainingRecordFactory(resident=resident, course=course)
    return resident


class ExerciseFactory(DjangoModelFactory):
    class Meta:
        model = Exercise

    scenario = factory.SubFactory(ScenarioFactory)
    organisation = factory.SelfAttribute("scenario.organisation")
    shopper = factory.SubFactory(ResidentFactory, organisation=factory.SelfAttribute("..organisation"))
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class WalkaboutFactory(DjangoModelFactory):
    class Meta:
        model = Walkabout

    organisation = factory.SubFactory(OrganisationFactory)
    area = factory.SubFactory(AreaFactory, organisation=factory.SelfAttribute("..organisation"))
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    route = "From the community centre along Larkhill Road, round the garages and back through the park."


class FindingFactory(DjangoModelFactory):
    class Meta:
        model = Finding

    walkabout = factory.SubFactory(WalkaboutFactory)
    organisation = factory.SelfAttribute("walkabout.organisation")
    category = Finding.Category.LITTER
    description = "Dumped mattress by the bin store"
    location = "Bin store behind 12–20 Larkhill Road"
    action = "Arrange a bulky waste collection"
    owner_team = "Estate services"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=10))
