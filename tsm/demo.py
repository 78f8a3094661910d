"""The demo landlord's place in the regulator's published TSM dataset.

If the regulator's 2023/24 dataset is at REFERENCE_DATASET (it is on the development machine,
outside the repository; it is not in a clean checkout), it is imported once and the demo landlord
is matched to a real dataset landlord of a believable size, so the benchmark pages show real
figures. Without the file this does nothing and says nothing: the pages then invite an
administrator to load the dataset, which is the true state of a new installation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings

from tsm.models import TsmDataset, TsmProfile

DATASET_NAME = "2024_TSM_Full_Data_v1.1_FINAL.xlsx"


def find_reference_dataset() -> Path:
    """Where the regulator's file is: INVOLVE_TSM_DATASET if set; otherwise shared/reference/data/
    beside the checkout, or beside any folder above it, or in the workspace (/work) that keeps the
    reference material, so a fresh clone elsewhere on the same machine (as CI makes) finds it too."""
    given = os.environ.get("INVOLVE_TSM_DATASET", "").strip()
    if given:
        return Path(given)
    base = Path(settings.BASE_DIR).resolve()
    default = base.parent / "shared" / "reference" / "data" / DATASET_NAME
    for folder in (*base.parents, Path("/work")):
        candidate = folder / "shared" / "reference" / "data" / DATASET_NAME
        if candidate.is_file():
            return candidate
    return default


REFERENCE_DATASET = find_reference_dataset()
# Arches Housing: a northern housing association of about 1,200 homes with LCRA perception and
# full management information, close in size to the demo landlord.
DEMO_PROVIDER_CODE = "LH0884"


def build(*, organisation: Any, users: dict[str, Any], seed: int, now: Any) -> None:
    if not REFERENCE_DATASET.is_file():
        return
    from tsm.services import tsm_dataset_import

    if not TsmDataset.objects.filter(reporting_year=2024).exists():
        tsm_dataset_import(file=REFERENCE_DATASET, actor=None, reporting_year=2024)
    TsmProfile.objects.update_or_create(organisation=organisation, defaults={"provider_code": DEMO_PROVIDER_CODE})
