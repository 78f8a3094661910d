"""A small landlord for the perception survey's tests: lead tenants in two areas, with dates of
birth, and a few shared owners and leaseholders (who are in no TSM population)."""

from __future__ import annotations

import datetime
from typing import Any

from people.models import EqualityProfile, Tenure
from people.tests.factories import AreaFactory, HomeFactory, ResidentFactory, TenancyFactory


def households(org: Any, *, north: int = 60, south: int = 40, shared_owners: int = 12, leaseholders: int = 5) -> dict:
    """Returns the areas and the residents by stock. Everyone in the north is under 35 and
    everyone in the south 65 or over, so weighting by area and by age band can be checked by hand."""
    areas = {name: AreaFactory(organisation=org, name=name) for name in ("North", "South")}
    out: dict[str, Any] = {"areas": areas, "lcra": [], "lcho": [], "other": []}

    def add(area: Any, tenure: str, born: datetime.date, bucket: str, lead: bool = True) -> Any:
        home = HomeFactory(organisation=org, area=area)
        tenancy = TenancyFactory(organisation=org, home=home, tenure=tenure)
        resident = ResidentFactory(organisation=org, tenancy=tenancy, is_lead_tenant=lead)
        EqualityProfile.objects.create(resident=resident, date_of_birth=born)
        out[bucket].append(resident)
        return resident

    young, old = datetime.date(1998, 5, 1), datetime.date(1950, 5, 1)
    for _ in range(north):
        add(areas["North"], Tenure.SECURE_OR_ASSURED, young, "lcra")
    for _ in range(south):
        add(areas["South"], Tenure.SECURE_OR_ASSURED, old, "lcra")
    for i in range(shared_owners):
        add(areas["North" if i % 2 else "South"], Tenure.SHARED_OWNER, young, "lcho")
    for _ in range(leaseholders):
        add(areas["North"], Tenure.LEASEHOLDER, young, "other")
    # A joint tenant who is not the lead: not counted (households are).
    add(areas["North"], Tenure.SECURE_OR_ASSURED, young, "other", lead=False)
    return out
