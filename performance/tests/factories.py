"""Operational records for tests, with their due moment and on-time flag set directly (as the
importer would), so figures can be tested without loading files."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from people.tests.factories import OrganisationFactory
from performance.models import AsbCase, Figure, Hazard, PlannedWorkVisit, RepairJob, StockCount
from standards.models import Category, Measure, MeasureVersion, Subject
from standards.tests.factories import MeasureFactory

UK = ZoneInfo("Europe/London")


def uk(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """An aware UK local date-time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UK)


class RepairJobFactory(DjangoModelFactory):
    """A completed, on-time category 2 job; pass due_rule (a MeasureVersion) to count it."""

    class Meta:
        model = RepairJob

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"J{n:07d}")
    category = "2"
    reported_at = factory.LazyFunction(lambda: uk(2025, 5, 6))
    due_at = factory.LazyAttribute(lambda o: o.reported_at + datetime.timedelta(days=3))
    completed_at = factory.LazyAttribute(lambda o: o.reported_at + datetime.timedelta(days=1))
    on_time = factory.LazyAttribute(
        lambda o: None if o.cancelled or o.completed_at is None or o.due_at is None else o.completed_at <= o.due_at
    )
    cancelled = False


class AsbCaseFactory(DjangoModelFactory):
    class Meta:
        model = AsbCase

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"ASB{n:06d}")
    category = "1"
    reported_at = factory.LazyFunction(lambda: uk(2025, 5, 6))
    contact_due_at = factory.LazyAttribute(lambda o: o.reported_at + datetime.timedelta(days=1))
    first_contact_at = factory.LazyAttribute(lambda o: o.reported_at + datetime.timedelta(hours=3))
    contact_on_time = factory.LazyAttribute(
        lambda o: (
            None if o.first_contact_at is None or o.contact_due_at is None else o.first_contact_at <= o.contact_due_at
        )
    )


class HazardFactory(DjangoModelFactory):
    class Meta:
        model = Hazard

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"HZ{n:06d}")
    category = "1"
    identified_at = factory.LazyFunction(lambda: uk(2025, 5, 6))
    due_at = factory.LazyAttribute(lambda o: o.identified_at + datetime.timedelta(days=30))
    fixed_at = factory.LazyAttribute(lambda o: o.identified_at + datetime.timedelta(days=10))
    on_time = factory.LazyAttribute(
        lambda o: None if o.fixed_at is None or o.due_at is None else o.fixed_at <= o.due_at
    )


class PlannedWorkVisitFactory(DjangoModelFactory):
    class Meta:
        model = PlannedWorkVisit

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"PV{n:06d}")
    works_start_on = datetime.date(2025, 5, 20)
    visited_on = datetime.date(2025, 5, 10)
    enough_notice = factory.LazyAttribute(
        lambda o: None if o.visited_on is None else (o.works_start_on - o.visited_on).days >= 7
    )


class StockCountFactory(DjangoModelFactory):
    class Meta:
        model = StockCount

    organisation = factory.SubFactory(OrganisationFactory)
    as_at = datetime.date(2025, 3, 31)
    item = StockCount.Item.HOMES
    total = 2000
    count = factory.SelfAttribute("total")


class FigureFactory(DjangoModelFactory):
    class Meta:
        model = Figure

    organisation = factory.SubFactory(OrganisationFactory)
    month = datetime.date(2025, 5, 1)
    category = ""
    numerator = 9
    denominator = 10


def repairs_measure(
    org: Any,
    code: str = "rep-cat2",
    category: str = "2",
    *,
    amount: int = 3,
    unit: str = "working_days",
    target: str = "99",
    kind: str = Measure.Kind.WITHIN_TIMESCALE,
    sets_due: bool = True,
    subject: str = Subject.REPAIR,
) -> Measure:
    """A measure of `org` for one category with one version in force from 1 April 2024."""
    cat, _ = Category.objects.get_or_create(
        organisation=org, subject=subject, code=category, defaults={"name": f"Category {category}"}
    )
    version: dict[str, Any] = {"target": Decimal(target)}
    if kind == Measure.Kind.WITHIN_TIMESCALE:
        version.update(timescale_amount=amount, timescale_unit=unit)
    measure = MeasureFactory(
        organisation=org, code=code, kind=kind, subject=subject, sets_due=sets_due, version=version
    )
    measure.categories.add(cat)
    return measure


def version_of(measure: Measure, on: datetime.date | None = None) -> MeasureVersion:
    qs = measure.versions.order_by("-effective_from")
    if on is not None:
        qs = qs.filter(effective_from__lte=on)
    version = qs.first()
    assert version is not None
    return version
