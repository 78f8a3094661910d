"""Fixtures and helpers for the import tests (imported by each test_import*.py, not a conftest, so
other test modules of the app are untouched)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.base import ContentFile

from accounts.models import Role
from core.calendar import LONDON
from core.imports import batch_check, batch_commit, batch_create
from core.models import ImportBatch

# The tests are written as on this day; "in the future" is judged from it.
TODAY = datetime.datetime(2027, 3, 1, 12, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _import_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("performance.imports._now", lambda: TODAY)


@pytest.fixture
def officer(make_user: Callable[..., Any]) -> Any:
    return make_user(Role.INVOLVEMENT_OFFICER, username="officer")


@pytest.fixture
def offer(org: Any, make_user: Callable[..., Any]) -> Any:
    """The Oxford local offer, moved to run from July 2025 to March 2027."""
    from standards.services import local_offer_load_preset

    admin = make_user(Role.ADMINISTRATOR, username="offer-admin")
    local_offer_load_preset(organisation=org, actor=admin, starts_on=datetime.date(2025, 7, 1))
    return org


def csv_file(header: list[str], rows: list[list[str]]) -> ContentFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return ContentFile(out.getvalue().encode("utf-8"))


@pytest.fixture
def check(org: Any, officer: Any) -> Callable[..., ImportBatch]:
    """Upload and check a file (CSV from header and rows, or given bytes); return the batch."""

    def run(
        kind: str,
        header: list[str] | None = None,
        rows: list[list[str]] | None = None,
        *,
        content: bytes | None = None,
        filename: str = "export.csv",
        mapping: dict[str, str] | None = None,
    ) -> ImportBatch:
        file = ContentFile(content) if content is not None else csv_file(header or [], rows or [])
        batch = batch_create(organisation=org, kind=kind, file=file, filename=filename, actor=officer)
        if mapping is not None:
            from core.imports import batch_set_mapping

            batch_set_mapping(batch=batch, mapping=mapping)
        return batch_check(batch=batch, actor=officer)

    return run


@pytest.fixture
def load(check: Callable[..., ImportBatch], officer: Any) -> Callable[..., ImportBatch]:
    """Check and import a file that must be clean."""

    def run(*args: Any, **kwargs: Any) -> ImportBatch:
        batch = check(*args, **kwargs)
        assert batch.invalid_rows == 0, list(batch.row_errors.values_list("row_number", "messages"))
        return batch_commit(batch=batch, actor=officer, valid_only=False)

    return run


__all__ = ["TODAY", "_import_clock", "check", "csv_file", "load", "offer", "officer"]
