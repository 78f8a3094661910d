"""A small dataset in the database, built directly (no workbook) for page and selector tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tsm.measures import MEASURES, Kind, Tenure
from tsm.models import TsmDataset, TsmLandlord, TsmProfile, TsmResult, TsmSurvey

LANDLORDS = (
    # code, name, type, size band, region
    ("L0001", "Riverside Homes Limited", "PRP", "5,000-40,000", "South"),
    ("L0002", "Hillside Housing", "PRP", "5,000-40,000", "North"),
    ("L0003", "Valley Council", "LARP", "<5,000", "South"),
    ("L0004", "Coastal Homes", "PRP", "<5,000", "South"),
    ("L0005", "City Council", "LARP", "5,000-40,000", "London"),
)


def make_dataset(*, organisation: Any = None, year: int = 2024, codes: dict[str, str] | None = None) -> TsmDataset:
    """Five landlords, every measure: landlord n (1-5) has value 50 + 10n for perception and
    percentages and 10n for per-1,000 measures, except that `codes` maps "<landlord>:<measure>"
    to a missing-value code. The first landlord is `organisation`'s when one is given."""
    codes = codes or {}
    dataset = TsmDataset.objects.create(reporting_year=year, source_name="test.xlsx", landlord_count=len(LANDLORDS))
    for n, (code, name, kind, size, region) in enumerate(LANDLORDS, start=1):
        landlord = TsmLandlord.objects.create(
            dataset=dataset, code=code, name=name, landlord_type=kind, size_band=size, region=region
        )
        TsmSurvey.objects.create(
            landlord=landlord,
            tenure=Tenure.LCRA,
            population=4000,
            minimum_sample=522,
            sample_achieved=600,
            margin_of_error=Decimal("3.7"),
        )
        for measure in MEASURES:
            tenure = Tenure.LCRA if Tenure.LCRA in measure.tenures else Tenure.ALL
            missing = codes.get(f"{code}:{measure.code}", "")
            value = Decimal(10 * n) if measure.kind == Kind.PER_THOUSAND else Decimal(50 + 10 * n)
            TsmResult.objects.create(
                landlord=landlord,
                measure=measure.code,
                tenure=tenure,
                value=None if missing else value,
                value_code=missing,
                numerator=None if missing else value,
                numerator_code=missing,
                denominator=None if missing else Decimal(100 if measure.kind != Kind.PER_THOUSAND else 1000),
                denominator_code=missing,
            )
    if organisation is not None:
        TsmProfile.objects.update_or_create(organisation=organisation, defaults={"provider_code": LANDLORDS[0][0]})
    return dataset
