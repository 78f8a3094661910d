"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os

import pytest

from accounts.models import Organisation, Partnership, Role


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EXPRESSION_OF_INTEREST_MIN_SECONDS = 0
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60


@pytest.fixture
def org(db):
    from people.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Riverside Homes", slug="riverside")


@pytest.fixture
def other_org(db):
    from people.tests.factories import OrganisationFactory

    return OrganisationFactory(name="Northgate Housing", slug="northgate")


@pytest.fixture
def partnership(org, other_org):
    partnership = Partnership.objects.create(name="Riverbank Partnership")
    Organisation.objects.filter(pk__in=[org.pk, other_org.pk]).update(partnership=partnership)
    org.refresh_from_db()
    other_org.refresh_from_db()
    return partnership


@pytest.fixture
def make_user(db, org):
    from people.tests.factories import UserFactory

    def make(role: str = Role.INVOLVEMENT_OFFICER, organisation=None, **kwargs):
        return UserFactory(role=role, organisation=organisation or org, **kwargs)

    return make


@pytest.fixture
def officer(make_user):
    return make_user(Role.INVOLVEMENT_OFFICER, username="officer")


@pytest.fixture
def admin_user(make_user):
    return make_user(Role.ADMINISTRATOR, username="administrator")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, username="manager")


def pytest_report_header(config):
    return f"database: {os.environ.get('DATABASE_URL', 'sqlite (default file)')}"
