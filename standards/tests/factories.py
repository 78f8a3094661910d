from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from people.tests.factories import OrganisationFactory
from standards.models import Category, Commitment, Measure, MeasureVersion, ServiceArea, Subject


class ServiceAreaFactory(DjangoModelFactory):
    class Meta:
        model = ServiceArea

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Service area {n}")


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment

    organisation = factory.SubFactory(OrganisationFactory)
    service_area = factory.SubFactory(ServiceAreaFactory, organisation=factory.SelfAttribute("..organisation"))
    code = factory.Sequence(lambda n: f"commitment-{n}")
    theme = "Response times performance"
    promise = "We will complete the repair within 3 working days"


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category

    organisation = factory.SubFactory(OrganisationFactory)
    subject = Subject.REPAIR
    code = factory.Sequence(lambda n: str(n + 1))
    name = factory.LazyAttribute(lambda o: f"Category {o.code}")


class MeasureFactory(DjangoModelFactory):
    """A measure with a first version: 3 working days from reported to completed, target 99%
    (a milestone instead gets a due date 60 days ahead)."""

    class Meta:
        model = Measure
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    commitment = factory.SubFactory(CommitmentFactory, organisation=factory.SelfAttribute("..organisation"))
    code = factory.Sequence(lambda n: f"measure-{n}")
    name = factory.Sequence(lambda n: f"Urgent repairs completed in time {n}")
    kind = Measure.Kind.WITHIN_TIMESCALE
    subject = Subject.REPAIR
    starts_on = datetime.date(2024, 4, 1)

    @factory.post_generation
    def version(self, create: bool, extracted: dict | None, **kwargs: object) -> None:
        if not create:
            return
        values: dict[str, object] = {"number": 1, "effective_from": self.starts_on}
        if self.kind == Measure.Kind.MILESTONE:
            values["due_on"] = datetime.date.today() + datetime.timedelta(days=60)
        elif self.kind == Measure.Kind.WITHIN_TIMESCALE:
            values.update(
                target=Decimal("99"),
                timescale_amount=3,
                timescale_unit="working_days",
                start_event="reported",
                end_event="completed",
                timescale_rule="within",
            )
        else:
            values["target"] = Decimal("95")
        values.update(extracted or {})
        MeasureVersion.objects.create(measure=self, **values)
