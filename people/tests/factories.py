"""factory-boy factories for the register. Faker speaks en_GB so names and postcodes look real."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from accounts.models import Organisation, Role, User
from people.models import Area, Home, Resident, Tenancy, Tenure

factory.Faker._DEFAULT_LOCALE = "en_GB"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test Housing {n}")
    slug = factory.Sequence(lambda n: f"test-housing-{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.INVOLVEMENT_OFFICER
    password = factory.django.Password("correct horse battery staple")


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Area {n}")
    level = Area.Level.AREA


class HomeFactory(DjangoModelFactory):
    class Meta:
        model = Home

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"P{n:06d}")
    address_line_1 = factory.Faker("street_address")
    town = factory.Faker("city")
    postcode = factory.Faker("postcode")
    area = factory.SubFactory(AreaFactory, organisation=factory.SelfAttribute("..organisation"))


class TenancyFactory(DjangoModelFactory):
    class Meta:
        model = Tenancy

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"T{n:06d}")
    home = factory.SubFactory(HomeFactory, organisation=factory.SelfAttribute("..organisation"))
    tenure = Tenure.SECURE_OR_ASSURED


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = Resident

    organisation = factory.SubFactory(OrganisationFactory)
    person_ref = factory.Sequence(lambda n: f"R{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Faker("email")
    tenancy = factory.SubFactory(TenancyFactory, organisation=factory.SelfAttribute("..organisation"))
    home = factory.SelfAttribute("tenancy.home")
    area = factory.SelfAttribute("tenancy.home.area")
    tenure = factory.SelfAttribute("tenancy.tenure")
    source = Resident.Source.IMPORT
