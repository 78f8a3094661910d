"""Fixtures shared by the core tests: the world of test objects every URL is visited with."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps

from accounts.models import ApiToken, Role
from core.models import ClosureDay, ImportBatch
from people.tests.factories import ResidentFactory


@pytest.fixture
def world(org, make_user):
    resident = ResidentFactory(organisation=org)
    admin = make_user(Role.ADMINISTRATOR, username="matrix-admin")
    batch = ImportBatch.objects.create(organisation=org, kind="residents", original_name="x.csv", file="imports/x.csv")
    closure = ClosureDay.objects.create(organisation=org, date=datetime.date(2026, 12, 29), reason="Shutdown")
    raw, prefix, key_hash = ApiToken.generate()
    token = ApiToken.objects.create(user=admin, name="t", prefix=prefix, key_hash=key_hash)
    pks = {"residents": resident.pk, "imports": batch.pk, "closures": closure.pk, "api-tokens": token.pk}
    # Each app may add its own objects in <app>/tests/matrix.py, so apps need not edit this file.
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError as exc:
            if exc.name and not f"{config.name}.tests.matrix".startswith(exc.name):
                raise
            continue
        pks.update(module.objects(org=org, resident=resident, make_user=make_user))
    return {"pk": pks, "slug": org.slug}
