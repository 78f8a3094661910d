"""The regulator's published 2023/24 dataset, read once per test session (it is 737 KB).

It lives outside the repository (see tsm.demo.find_reference_dataset; INVOLVE_TSM_DATASET can
point at it). Where it is missing, tests that need it are skipped with the reason, except in CI
(CI=true), where a missing file is a failure: CI runs on a machine that has it."""

from __future__ import annotations

import os

import openpyxl
import pytest

from tsm.demo import REFERENCE_DATASET


def _require_file() -> None:
    if REFERENCE_DATASET.is_file():
        return
    message = f"The regulator's TSM dataset is not at {REFERENCE_DATASET}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI must have it (copy it there from the regulator's statistics page).")
    pytest.skip(f"{message} (outside the repository); these tests check the formulas against it.")


@pytest.fixture(scope="session")
def published_path():
    _require_file()
    return REFERENCE_DATASET


@pytest.fixture(scope="session")
def published_dataset(published_path):
    """The file as our reader sees it."""
    from tsm import dataset

    return dataset.read(published_path)


@pytest.fixture(scope="session")
def published_tables(published_path):
    """The file's raw tables: sheet title → (headers, rows as tuples), read with plain openpyxl
    so the formula tests do not depend on our reader."""
    wb = openpyxl.load_workbook(published_path, read_only=True, data_only=True)
    tables = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = next((i for i, r in enumerate(rows[:15]) if "Landlord code" in r), None)
        if header is None:
            continue
        code = rows[header].index("Landlord code")
        body = []
        for r in rows[header + 1 :]:
            if not r[code]:
                break
            body.append(r)
        tables[ws.title] = ([str(h or "").replace("\xa0", " ") for h in rows[header]], body)
    wb.close()
    return tables
