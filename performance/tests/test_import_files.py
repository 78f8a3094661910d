"""Repairs files the way landlords send them: an Excel workbook with a title and merged group
headings above the column names, next month's file matched to last month's columns, the
import pages (guarded by performance.import) and the import_data command."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import Role
from core.imports import batch_commit
from core.models import ColumnMapping, ImportBatch
from performance.models import RepairJob
from performance.tests.importing import *  # noqa: F403  (fixtures)
from performance.tests.importing import csv_file

pytestmark = pytest.mark.django_db

HEADER = ["Job Number", "Property Reference", "Priority", "Date Reported", "Date Completed", "Cancelled"]


def merged_header_workbook(rows: list[list[Any]]) -> bytes:
    """A title row, a row of merged group headings, then the column names on row 3."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Responsive repairs: jobs reported in November 2026"])
    sheet.merge_cells("A1:F1")
    sheet.append(["Job", None, None, "Dates", None, "Status"])
    sheet.merge_cells("A2:C2")
    sheet.merge_cells("D2:E2")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_with_merged_header_rows_is_read_from_its_real_header(offer, load):
    import datetime

    content = merged_header_workbook(
        [
            ["J1", "H1", 2, "02/11/2026 10:00", "03/11/2026 10:00", "N"],
            # Excel dates as Excel stores them (UK local wall-clock time).
            ["J2", "H1", 3, datetime.datetime(2026, 11, 2, 9, 30), None, "N"],
        ]
    )
    batch = load("repairs", content=content, filename="repairs.xlsx")
    assert batch.header_row == 3
    assert batch.skipped_rows == ["Responsive repairs: jobs reported in November 2026", "Job Dates Status"]
    assert batch.mapping["reference"] == "Job Number" and batch.mapping["reported_at"] == "Date Reported"
    assert RepairJob.objects.count() == 2
    assert RepairJob.objects.get(reference="J2").on_time is None


def test_bad_rows_of_a_merged_header_xlsx_are_reported_by_their_row_in_the_workbook(offer, check, officer):
    from core.imports import ImportError_

    content = merged_header_workbook(
        [
            ["J1", "H1", 2, "02/11/2026 10:00", "", "N"],
            ["J2", "H1", 8, "02/11/2026 10:00", "", "N"],
            ["J3", "H1", 2, "02/11/2026 10:00", "01/11/2026 10:00", "N"],
        ]
    )
    batch = check("repairs", content=content, filename="repairs.xlsx")
    errors = {e.row_number: " ".join(e.messages) for e in batch.row_errors.all()}
    assert sorted(errors) == [5, 6]
    assert "Priority: “8”" in errors[5]
    assert "Date completed: 01/11/2026 10:00 is before" in errors[6]
    with pytest.raises(ImportError_):
        batch_commit(batch=batch, actor=officer, valid_only=False)
    assert RepairJob.objects.count() == 0


def test_a_workbook_whose_column_names_cannot_be_found_says_so(offer, check):
    from core.imports import ImportError_

    book = openpyxl.Workbook()
    book.active.append(["Monthly figures"])
    book.active.append(["Ref", "Where", "How urgent", "When"])
    book.active.append(["J1", "H1", "2", "02/11/2026 10:00"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(ImportError_, match="None of the column names on row 1 of the file"):
        check("repairs", content=out.getvalue(), filename="odd.xlsx")


ODD = ["Ref No", "Prop", "Urgency", "Logged On", "Finished On"]
ODD_MAPPING = {
    "reference": "Ref No",
    "property_ref": "Prop",
    "category": "Urgency",
    "reported_at": "Logged On",
    "completed_at": "Finished On",
}


def test_next_months_file_uses_the_columns_chosen_last_time(offer, check, officer, org):
    first = check("repairs", ODD, [["J1", "H1", "2", "02/11/2026 10:00", ""]], mapping=ODD_MAPPING)
    assert first.invalid_rows == 0 and not first.mapping_reused
    assert ColumnMapping.objects.get(organisation=org, kind="repairs").mapping == ODD_MAPPING
    batch_commit(batch=first, actor=officer, valid_only=False)

    second = check("repairs", ODD, [["J2", "H1", "3", "01/12/2026 10:00", ""]])
    assert second.mapping_reused
    assert second.mapping == ODD_MAPPING
    assert second.invalid_rows == 0
    # A file with other column names is matched afresh.
    third = check("repairs", HEADER, [["J3", "H1", "3", "01/12/2026 10:00", "", "N"]])
    assert not third.mapping_reused


def test_the_import_pages_follow_each_kinds_permission(offer, client, make_user, org):
    manager = make_user(Role.MANAGER, username="manager")
    client.force_login(manager)
    page = client.get(reverse("core:import-list"))
    assert page.status_code == 200
    kinds = [value for value, _ in page.context["form"].fields["kind"].choices]
    assert "repairs" in kinds and "asb_cases" in kinds and "residents" not in kinds

    upload = csv_file(HEADER, [["J1", "H1", "2", "02/11/2026 10:00", "", "N"]])
    upload.name = "repairs.csv"
    response = client.post(reverse("core:import-list"), {"kind": "repairs", "file": upload})
    batch = ImportBatch.objects.get(kind="repairs")
    assert response.status_code == 302 and response["Location"] == reverse("core:import-detail", args=[batch.pk])
    assert client.get(response["Location"]).status_code == 200

    # A manager may not import residents, so may not open an import of residents either.
    residents = ImportBatch.objects.create(organisation=org, kind="residents", original_name="r.csv", file="x.csv")
    assert client.get(reverse("core:import-detail", args=[residents.pk])).status_code == 404
    assert client.post(reverse("core:import-list"), {"kind": "residents", "file": upload}).status_code == 200
    assert ImportBatch.objects.filter(kind="residents").count() == 1


def test_the_preview_says_when_the_columns_were_reused(offer, client, officer, check):
    check("repairs", ODD, [["J1", "H1", "2", "02/11/2026 10:00", ""]], mapping=ODD_MAPPING)
    second = check("repairs", ODD, [["J2", "H1", "2", "02/11/2026 10:00", ""]])
    client.force_login(officer)
    page = client.get(reverse("core:import-detail", args=[second.pk])).content.decode()
    assert "We used the columns you chose last time" in page
    assert "New repairs jobs" in page


def test_the_command_imports_repairs_for_someone_allowed(offer, make_user, tmp_path: Path, capsys):
    make_user(Role.MANAGER, username="manager")
    path = tmp_path / "repairs.csv"
    path.write_bytes(csv_file(HEADER, [["J1", "H1", "2", "02/11/2026 10:00", "", "N"]]).read())
    call_command("import_data", "repairs", str(path), "--organisation", "riverside", "--as", "manager")
    assert RepairJob.objects.count() == 1
    assert "1 created" in capsys.readouterr().out
    with pytest.raises(CommandError, match="who may import residents and homes"):
        call_command("import_data", "residents", str(path), "--organisation", "riverside", "--as", "manager")
