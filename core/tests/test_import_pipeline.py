"""The import pipeline's own behaviour, with a small importer of its own: the plain-Python row
cleaner, finding the header row under titles, remembering columns, and who may import what."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.base import ContentFile

from accounts.models import Role
from core.imports import Column, CommitCounts, Importer, RowError, batch_check, batch_commit, batch_create
from core.imports.base import _REGISTRY, importable_kinds
from core.imports.pipeline import batch_set_mapping, expected_headers
from core.imports.readers import open_table, read_table
from core.models import ColumnMapping

pytestmark = pytest.mark.django_db

WRITTEN: list[Any] = []


class FruitImporter(Importer):
    kind = "fruit"
    label = "Fruit"
    noun = "fruit"
    key_field = "name"
    permission = "performance.import"
    columns = (Column("name", "Fruit", True, ("fruit name",)), Column("count", "How many", True, ("number",)))

    def clean_row(self, row: dict[str, str]) -> dict[str, Any]:
        errors = []
        if not row.get("name"):
            errors.append("Fruit: missing.")
        if not row.get("count", "").isdecimal():
            errors.append(f"How many: “{row.get('count', '')}” is not a number.")
        if errors:
            raise RowError(errors)
        return {"name": row["name"].lower(), "count": int(row["count"])}

    def commit_chunk(self, rows: list[dict[str, Any]], *, dry_run: bool) -> CommitCounts:
        if not dry_run:
            WRITTEN.extend(rows)
        return CommitCounts(created=len(rows))


@pytest.fixture(autouse=True)
def fruit() -> Any:
    _REGISTRY["fruit"] = FruitImporter
    WRITTEN.clear()
    yield FruitImporter
    del _REGISTRY["fruit"]


def upload(org: Any, user: Any, text: str, name: str = "fruit.csv") -> Any:
    return batch_create(organisation=org, kind="fruit", file=ContentFile(text.encode()), filename=name, actor=user)


def test_a_plain_python_cleaner_reports_every_bad_row_and_duplicates(org, make_user):
    user = make_user(Role.MANAGER)
    batch = upload(org, user, "Fruit,How many\nApple,3\n,x\nPear,2\napple,5\n")
    batch = batch_check(batch=batch, actor=user)
    errors = {e.row_number: e for e in batch.row_errors.all()}
    assert errors[3].messages == ["Fruit: missing.", "How many: “x” is not a number."]
    assert errors[3].values == {"Fruit": "", "How many": "x"}
    assert errors[5].messages == ["Fruit: apple is also on row 2; each may appear once."]
    batch = batch_commit(batch=batch, actor=user, valid_only=True)
    assert WRITTEN == [{"name": "apple", "count": 3}, {"name": "pear", "count": 2}]


def test_the_header_row_is_found_under_a_title(org, make_user, tmp_path: Path):
    user = make_user(Role.MANAGER)
    batch = upload(org, user, "Fruit stock take,,\nCounted on Monday,,\n\nFruit,How many\nApple,3\n")
    assert batch.header_row == 4
    assert batch.skipped_rows == ["Fruit stock take", "Counted on Monday"]
    assert batch.mapping == {"name": "Fruit", "count": "How many"}
    batch = batch_check(batch=batch, actor=user)
    assert batch.valid_rows == 1
    path = tmp_path / "plain.csv"
    path.write_text("Fruit,How many\nApple,3\n")
    table = open_table(path, expected_headers(FruitImporter))
    assert table.header_row == 1 and table.skipped == []
    table.close()
    # Without names to look for, the first non-blank row is the header, as before.
    headers, rows = read_table(path)
    assert headers == ["Fruit", "How many"] and list(rows) == [(2, {"Fruit": "Apple", "How many": "3"})]


def test_a_header_spread_over_merged_rows_in_a_workbook(org, make_user):
    user = make_user(Role.MANAGER)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Stock take"])
    sheet.merge_cells("A1:B1")
    sheet.append(["Produce", None])
    sheet.merge_cells("A2:B2")
    sheet.append(["Fruit name", "Number"])
    sheet.append(["Plum", 4])
    out = io.BytesIO()
    book.save(out)
    batch = batch_create(
        organisation=org, kind="fruit", file=ContentFile(out.getvalue()), filename="fruit.xlsx", actor=user
    )
    assert batch.header_row == 3 and batch.mapping == {"name": "Fruit name", "count": "Number"}
    batch = batch_check(batch=batch, actor=user)
    batch_commit(batch=batch, actor=user, valid_only=False)
    assert WRITTEN == [{"name": "plum", "count": 4}]


def test_columns_chosen_once_are_used_for_the_next_file_with_the_same_names(org, other_org, make_user):
    user = make_user(Role.MANAGER)
    batch = upload(org, user, "Kind,Qty\nApple,3\n")
    assert batch.mapping == {} and not batch.mapping_reused
    batch_set_mapping(batch=batch, mapping={"name": "Kind", "count": "Qty"})
    batch_check(batch=batch, actor=user)
    saved = ColumnMapping.objects.get(organisation=org, kind="fruit")
    assert saved.headers == ["Kind", "Qty"] and saved.saved_by == user

    again = upload(org, user, "Kind,Qty\nPear,1\n")
    assert again.mapping_reused and again.mapping == {"name": "Kind", "count": "Qty"}
    # Not for another landlord, and not for a file with other column names.
    other = upload(other_org, make_user(Role.MANAGER, organisation=other_org), "Kind,Qty\nPear,1\n")
    assert not other.mapping_reused
    different = upload(org, user, "Kind,Qty,Colour\nPear,1,green\n")
    assert not different.mapping_reused


def test_each_kind_needs_its_importers_permission(make_user):
    officer, manager = make_user(Role.INVOLVEMENT_OFFICER), make_user(Role.MANAGER)
    viewer = make_user(Role.PARTNERSHIP_VIEWER)
    assert {"residents", "fruit"} <= set(importable_kinds(officer))
    assert "fruit" in importable_kinds(manager) and "residents" not in importable_kinds(manager)
    assert importable_kinds(viewer) == {}


def test_rows_that_query_while_being_copied_fail_instead_of_hanging(org):
    """On PostgreSQL rows stream into COPY; a query from the row generator would wait for the
    COPY to finish and the COPY for the generator."""
    from django.db import connection, transaction

    from core.imports.pipeline import insert_rows
    from performance.models import RepairJob

    if connection.vendor != "postgresql":
        pytest.skip("SQLite inserts row by row, where a query between rows is harmless")

    def rows() -> Any:
        org.refresh_from_db()  # a query
        yield [None, org.pk, "J1", "1", "2026-01-05 10:00:00+00"]

    with pytest.raises(RuntimeError, match="made a database query"), transaction.atomic():
        insert_rows(RepairJob, ["organisation", "reference", "category", "reported_at"], rows(), new=1)
