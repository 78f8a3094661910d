"""Writes for the tsm app: import the regulator's published dataset (public reference data, the
same for every organisation) and record which dataset landlord an organisation is."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.permissions import can_act_on, has_permission
from tsm import dataset as reader
from tsm.models import TsmDataset, TsmLandlord, TsmProfile, TsmResult, TsmSurvey

BATCH = 2000


@dataclass(frozen=True)
class ImportSummary:
    dataset: TsmDataset
    replaced: bool
    problems: list[str]
    notes: list[str]


def _whole(cell: reader.Cell) -> int | None:
    return None if cell[0] is None else int(cell[0])


def tsm_dataset_import(
    *, file: str | Path | IO[bytes], actor: Any, reporting_year: int | None = None, source_name: str = ""
) -> ImportSummary:
    """Read the regulator's TSM dataset and store it as published, replacing any earlier import of
    the same reporting year in one transaction (a failed import leaves the old one in place).

    `actor` is the administrator importing it, or None for the command line and the demo. The
    reporting year is read from the workbook ("1 April 2023 to 31 March 2024" → 2024) unless
    given. Raises ValidationError when the file is not the dataset at all; smaller problems are
    stored on the dataset and returned."""
    if actor is not None and not has_permission(actor, "tsm.manage"):
        raise PermissionDenied
    try:
        data = reader.read(file)
    except reader.NotATsmDataset as exc:
        raise ValidationError(str(exc)) from None
    year = reporting_year or data.reporting_year
    if year is None:
        raise ValidationError(
            "The workbook does not say which reporting year it covers: give the year it ends (for example 2024)."
        )
    if not 2000 <= year <= 2100:
        raise ValidationError("The reporting year must be a year such as 2024.")
    name = source_name or (Path(file).name if isinstance(file, str | Path) else getattr(file, "name", "") or "")
    with transaction.atomic(), set_actor(actor):
        replaced, _ = TsmDataset.objects.filter(reporting_year=year).delete()
        stored = TsmDataset.objects.create(
            reporting_year=year,
            source_name=str(name)[:255],
            imported_at=timezone.now(),
            imported_by=actor,
            landlord_count=len(data.landlords),
            result_count=len(data.results),
            sheets=data.sheets,
            problems=data.problems,
            notes=data.notes,
        )
        landlords = TsmLandlord.objects.bulk_create(
            [
                TsmLandlord(
                    dataset=stored,
                    code=ll.code[:20],
                    name=ll.name[:255],
                    landlord_type=ll.landlord_type[:10],
                    size_band=ll.size_band[:40],
                    region=ll.region[:40],
                    supported_housing=ll.supported_housing,
                    publication_url=ll.publication_url,
                    notes="\n\n".join(ll.notes),
                )
                for ll in data.landlords.values()
            ],
            batch_size=BATCH,
        )
        ids = {landlord.code: landlord.pk for landlord in landlords}
        surveys = []
        for s in data.surveys:
            codes = {
                attr: getattr(s, attr)[1]
                for attr in ("population", "minimum_sample", "sample_achieved", "margin_of_error")
                if getattr(s, attr)[1]
            }
            surveys.append(
                TsmSurvey(
                    landlord_id=ids[s.code],
                    tenure=s.tenure.value,
                    population=_whole(s.population),
                    minimum_sample=_whole(s.minimum_sample),
                    sample_achieved=_whole(s.sample_achieved),
                    margin_of_error=s.margin_of_error[0],
                    sample_or_census=s.sample_or_census[:40],
                    weighted=s.weighted,
                    codes=codes,
                )
            )
        TsmSurvey.objects.bulk_create(surveys, batch_size=BATCH)
        TsmResult.objects.bulk_create(
            [
                TsmResult(
                    landlord_id=ids[r.code],
                    measure=r.measure,
                    tenure=r.tenure.value,
                    value=r.value[0],
                    value_code=r.value[1],
                    numerator=r.numerator[0],
                    numerator_code=r.numerator[1],
                    denominator=r.denominator[0],
                    denominator_code=r.denominator[1],
                    counts={k: (str(v) if isinstance(v, Decimal) else v) for k, v in r.counts.items()},
                )
                for r in data.results
            ],
            batch_size=BATCH,
        )
    return ImportSummary(dataset=stored, replaced=bool(replaced), problems=data.problems, notes=data.notes)


def tsm_profile_set(*, organisation: Any, actor: Any, provider_code: str) -> TsmProfile:
    """Record which landlord in the regulator's dataset this organisation is ("" to clear it)."""
    profile = TsmProfile.objects.filter(organisation=organisation).first() or TsmProfile(organisation=organisation)
    if actor is not None and not can_act_on(actor, "tsm.manage", profile):
        raise PermissionDenied
    code = provider_code.strip()
    if code and not TsmLandlord.objects.filter(code=code).exists():
        raise ValidationError({"provider_code": "Choose a landlord from the regulator's published dataset."})
    with transaction.atomic(), set_actor(actor):
        profile.provider_code = code
        profile.updated_at = timezone.now()
        profile.updated_by = actor
        profile.save()
    return profile
