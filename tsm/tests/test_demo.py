"""tsm.demo: the demo landlord matched to a real dataset landlord when the file is there, and
nothing (quietly) when it is not."""

from __future__ import annotations

import pytest

from people.tests.factories import OrganisationFactory
from tsm import demo
from tsm.models import TsmDataset, TsmProfile


@pytest.mark.django_db
def test_demo_imports_the_dataset_once_and_matches_a_real_landlord(published_path):
    organisation = OrganisationFactory()
    demo.build(organisation=organisation, users={}, seed=1, now=None)
    dataset = TsmDataset.objects.get()
    assert dataset.landlords.filter(code=demo.DEMO_PROVIDER_CODE).exists()
    assert TsmProfile.objects.get(organisation=organisation).provider_code == demo.DEMO_PROVIDER_CODE
    imported_at = dataset.imported_at
    demo.build(organisation=organisation, users={}, seed=1, now=None)
    assert TsmDataset.objects.get().imported_at == imported_at  # not read a second time


@pytest.mark.django_db
def test_demo_without_the_file_does_nothing(monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "REFERENCE_DATASET", tmp_path / "missing.xlsx")
    organisation = OrganisationFactory()
    demo.build(organisation=organisation, users={}, seed=1, now=None)
    assert not TsmDataset.objects.exists() and not TsmProfile.objects.exists()
