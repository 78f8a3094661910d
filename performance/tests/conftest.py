"""A landlord with the Oxford local offer (from April 2024) and some repairs jobs in May 2025."""

from __future__ import annotations

import datetime
import functools
from types import SimpleNamespace

import pytest

from people.tests.factories import AreaFactory
from performance import services
from performance.tests.factories import RepairJobFactory, uk
from standards.models import Measure
from standards.services import local_offer_load_preset


@pytest.fixture
def offer(org, manager):
    """Category 2: 3 jobs on time and 2 late in May 2025 in North (60%, red against 99%);
    category 3: 1 on time; one category 2 job still open and past due; then refreshed."""
    local_offer_load_preset(organisation=org, actor=manager, starts_on=datetime.date(2024, 4, 1))
    measures = {m.code: m for m in Measure.objects.filter(organisation=org).prefetch_related("versions")}
    cat2, cat3 = measures["rep-cat2"], measures["rep-cat3"]
    v2, v3 = cat2.versions.get(), cat3.versions.get()
    north = AreaFactory(organisation=org, name="North")
    job = functools.partial(RepairJobFactory, organisation=org, area=north, due_rule=v2, reported_at=uk(2025, 5, 6))
    for i in range(3):
        job(reference=f"ONTIME{i}", completed_at=uk(2025, 5, 7), due_at=uk(2025, 5, 9, 23, 59), post_inspected=i == 0)
    for i in range(2):
        job(reference=f"LATE{i}", completed_at=uk(2025, 5, 14), due_at=uk(2025, 5, 9, 23, 59))
    job(reference="OPEN1", completed_at=None, due_at=uk(2025, 5, 9, 23, 59))
    RepairJobFactory(
        organisation=org, category="3", due_rule=v3, reported_at=uk(2025, 5, 1), completed_at=uk(2025, 5, 2)
    )
    services.performance_refresh(organisation=org)
    return SimpleNamespace(measures=measures, cat2=cat2, cat3=cat3, north=north)


MAY = "period=month&month=2025-05"
