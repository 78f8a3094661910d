"""Residents and homes through the one import pipeline: mapping, preview with every bad row,
all-or-nothing commit, valid-only commit, re-import idempotence, XLSX, the command and the pages."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from core.imports import ImportError_, batch_check, batch_commit, batch_create, rejected_rows_csv
from core.models import ImportBatch
from people.imports import ResidentImporter
from people.models import Area, Home, Resident, Tenancy

HEADER = [
    "Person ID",
    "Tenancy Ref",
    "Property Ref",
    "Forename",
    "Surname",
    "Email Address",
    "Address 1",
    "Town",
    "Post Code",
    "Housing Area",
    "Estate",
    "Tenancy Type",
    "Lead Tenant",
]
GOOD = [
    [
        "P1",
        "T1",
        "H1",
        "Ada",
        "Lovelace",
        "ada@example.org",
        "1 Mill Lane",
        "Oxford",
        "ox1 1aa",
        "North",
        "Mill Estate",
        "Secure",
        "Y",
    ],
    [
        "P2",
        "T1",
        "H1",
        "Charles",
        "Babbage",
        "",
        "1 Mill Lane",
        "Oxford",
        "OX1 1AA",
        "North",
        "Mill Estate",
        "secure",
        "N",
    ],
    ["P3", "T2", "H2", "Mary", "Seacole", "", "2 Mill Lane", "Oxford", "OX1 1AB", "South", "", "Leaseholder", ""],
]
BAD = [
    [
        "P4",
        "T3",
        "H3",
        "",
        "Nobody",
        "not-an-email",
        "3 Mill Lane",
        "Oxford",
        "NOTAPOSTCODE",
        "North",
        "",
        "Secure",
        "",
    ],
    ["P5", "T4", "H4", "Grace", "Hopper", "", "4 Mill Lane", "Oxford", "OX1 1AD", "North", "", "Tenant at will", ""],
    ["P1", "T5", "H5", "Dup", "Licate", "", "5 Mill Lane", "Oxford", "OX1 1AE", "North", "", "Secure", ""],
]


def _csv(rows) -> ContentFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return ContentFile(out.getvalue().encode("utf-8-sig"))


def _upload(org, officer, rows, name="export.csv"):
    return batch_create(organisation=org, kind="residents", file=_csv(rows), filename=name, actor=officer)


@pytest.mark.django_db
def test_columns_are_matched_from_common_export_headers(org, officer):
    batch = _upload(org, officer, GOOD)
    assert batch.mapping["person_ref"] == "Person ID"
    assert batch.mapping["last_name"] == "Surname"
    assert batch.mapping["postcode"] == "Post Code"
    assert batch.mapping["tenure"] == "Tenancy Type"


@pytest.mark.django_db
def test_clean_file_previews_then_imports_and_reimport_changes_nothing(org, officer):
    batch = batch_check(batch=_upload(org, officer, GOOD), actor=officer)
    assert (batch.total_rows, batch.valid_rows, batch.invalid_rows) == (3, 3, 0)
    assert batch.created_count == 3
    assert Resident.objects.count() == 0, "checking writes nothing"

    batch = batch_commit(batch=batch, actor=officer, valid_only=False)
    assert batch.status == ImportBatch.Status.IMPORTED
    assert Resident.objects.filter(organisation=org).count() == 3
    assert Tenancy.objects.count() == 2 and Home.objects.count() == 2
    ada = Resident.objects.get(person_ref="P1")
    assert ada.home.postcode == "OX1 1AA" and ada.postcode_key == "OX11AA"
    assert ada.area.name == "North" and ada.home.estate.name == "Mill Estate"
    assert ada.tenure == "secure_assured" and ada.is_lead_tenant
    assert set(Area.objects.filter(level="area").values_list("name", flat=True)) == {"North", "South"}

    again = batch_check(batch=_upload(org, officer, GOOD), actor=officer)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    again = batch_commit(batch=again, actor=officer, valid_only=False)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert Resident.objects.count() == 3


@pytest.mark.django_db
def test_changed_row_updates_in_place(org, officer):
    batch_commit(batch=batch_check(batch=_upload(org, officer, GOOD), actor=officer), actor=officer, valid_only=False)
    changed = [row[:] for row in GOOD]
    changed[0][5] = "ada.new@example.org"
    batch = batch_commit(
        batch=batch_check(batch=_upload(org, officer, changed), actor=officer), actor=officer, valid_only=False
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 1, 2)
    assert Resident.objects.get(person_ref="P1").email == "ada.new@example.org"


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_its_reasons_and_nothing_is_written(org, officer):
    batch = batch_check(batch=_upload(org, officer, GOOD + BAD), actor=officer)
    assert (batch.total_rows, batch.valid_rows, batch.invalid_rows) == (6, 3, 3)
    errors = {e.row_number: " ".join(e.messages) for e in batch.row_errors.all()}
    assert set(errors) == {5, 6, 7}  # header is row 1
    assert "First name" in errors[5] and "Email" in errors[5] and "postcode" in errors[5].lower()
    assert "Tenant at will" in errors[6]
    assert "also on row 2" in errors[7]

    with pytest.raises(ImportError_, match="3 rows have errors"):
        batch_commit(batch=batch, actor=officer, valid_only=False)
    assert Resident.objects.count() == 0 and Home.objects.count() == 0

    rejected = list(csv.reader(io.StringIO(rejected_rows_csv(batch=batch))))
    assert rejected[0] == ["Row", *HEADER, "What is wrong"]
    assert [r[0] for r in rejected[1:]] == ["5", "6", "7"]
    assert rejected[1][5] == "Nobody"


@pytest.mark.django_db
def test_valid_only_imports_the_good_rows(org, officer):
    batch = batch_check(batch=_upload(org, officer, GOOD + BAD), actor=officer)
    batch = batch_commit(batch=batch, actor=officer, valid_only=True)
    assert batch.created_count == 3 and batch.valid_only
    assert set(Resident.objects.values_list("person_ref", flat=True)) == {"P1", "P2", "P3"}


@pytest.mark.django_db
def test_double_commit_is_harmless(org, officer):
    batch = batch_check(batch=_upload(org, officer, GOOD), actor=officer)
    batch_commit(batch=batch, actor=officer, valid_only=False)
    batch_commit(batch=batch, actor=officer, valid_only=False)
    assert Resident.objects.count() == 3


@pytest.mark.django_db
def test_commit_needs_a_check_and_required_columns(org, officer):
    batch = _upload(org, officer, GOOD)
    with pytest.raises(ImportError_, match="Check the file"):
        batch_commit(batch=batch, actor=officer, valid_only=False)
    batch.mapping.pop("postcode")
    batch.save()
    with pytest.raises(ImportError_, match="Postcode"):
        batch_check(batch=batch, actor=officer)


@pytest.mark.django_db
def test_xlsx_files_import_the_same_way(org, officer):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in GOOD:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    batch = batch_create(
        organisation=org, kind="residents", file=ContentFile(buffer.getvalue()), filename="export.xlsx", actor=officer
    )
    batch = batch_commit(batch=batch_check(batch=batch, actor=officer), actor=officer, valid_only=False)
    assert batch.created_count == 3


@pytest.mark.django_db
def test_imports_never_touch_another_landlords_records(org, other_org, officer, make_user):
    batch_commit(batch=batch_check(batch=_upload(org, officer, GOOD), actor=officer), actor=officer, valid_only=False)
    other_officer = make_user(organisation=other_org, username="other-officer")
    batch = batch_create(
        organisation=other_org, kind="residents", file=_csv(GOOD), filename="x.csv", actor=other_officer
    )
    batch = batch_commit(batch=batch_check(batch=batch, actor=other_officer), actor=other_officer, valid_only=False)
    assert batch.created_count == 3
    assert Resident.objects.filter(organisation=org).count() == 3
    assert Resident.objects.filter(organisation=other_org).count() == 3


@pytest.mark.django_db
def test_personal_data_changes_from_imports_are_audited(org, officer):
    from auditlog.models import LogEntry

    batch_commit(batch=batch_check(batch=_upload(org, officer, GOOD), actor=officer), actor=officer, valid_only=False)
    entries = LogEntry.objects.filter(content_type__model="resident")
    assert entries.count() == 3
    assert all(e.actor_id == officer.pk for e in entries)


@pytest.mark.django_db
def test_management_command_uses_the_same_pipeline(org, officer, tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(_csv(GOOD + BAD).read())
    with pytest.raises(CommandError, match="3 rows have errors"):
        call_command(
            "import_data", "residents", str(path), organisation=org.slug, username="officer", stdout=io.StringIO()
        )
    assert Resident.objects.count() == 0
    rejected = tmp_path / "rejected.csv"
    out = io.StringIO()
    call_command(
        "import_data",
        "residents",
        str(path),
        organisation=org.slug,
        username="officer",
        valid_only=True,
        rejected=rejected,
        stdout=out,
    )
    assert "3 created" in out.getvalue()
    assert rejected.read_text(encoding="utf-8").count("\n") == 4


@pytest.mark.django_db
def test_unreadable_upload_is_refused_with_a_message(client, org, officer):
    client.force_login(officer)
    response = client.post(
        "/staff/imports/", {"kind": "residents", "file": ContentFile(b"\x00\x01garbage", name="notes.txt")}
    )
    assert response.status_code == 200
    assert "must be a CSV or an Excel" in response.content.decode()
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_the_pages_walk_upload_map_preview_commit(client, org, officer):
    client.force_login(officer)
    upload = _csv(GOOD + BAD)
    upload.name = "export.csv"
    response = client.post("/staff/imports/", {"kind": "residents", "file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/imports/{batch.pk}/"
    page = client.get(f"/staff/imports/{batch.pk}/").content.decode()
    assert "Match the columns" in page
    mapping = {f"col_{k}": v for k, v in batch.mapping.items()}
    client.post(f"/staff/imports/{batch.pk}/", mapping)
    page = client.get(f"/staff/imports/{batch.pk}/").content.decode()
    assert "3 rows have errors" in page or "3 row" in page
    assert "Tenant at will" in page
    response = client.post(f"/staff/imports/{batch.pk}/commit/", {})
    assert Resident.objects.count() == 0
    response = client.post(f"/staff/imports/{batch.pk}/commit/", {"valid_only": "on"}, follow=True)
    assert "Imported export.csv: 3 new" in response.content.decode()
    assert Resident.objects.count() == 3
    download = client.get(f"/staff/imports/{batch.pk}/rejected.csv")
    assert download["Content-Type"].startswith("text/csv") and b"Tenant at will" in download.content


@pytest.mark.django_db
def test_commit_writes_what_the_check_cleaned_and_tidies_up(org, officer, django_capture_on_commit_callbacks):
    rows = [[*GOOD[0], "01/04/2019"]]
    out = io.StringIO()
    csv.writer(out).writerows([[*HEADER, "Start Date"], *rows])
    batch = batch_create(
        organisation=org, kind="residents", file=ContentFile(out.getvalue().encode()), filename="e.csv", actor=officer
    )
    batch = batch_check(batch=batch, actor=officer)
    checked = Path(batch.file.path + ".checked.jsonl")
    assert checked.exists()
    # What is imported is what was previewed, even if the upload changes afterwards.
    Path(batch.file.path).write_text("Person ID,Surname\nP9,Changed\n")
    with django_capture_on_commit_callbacks(execute=True):
        batch = batch_commit(batch=batch, actor=officer, valid_only=False)
    ada = Resident.objects.get(person_ref="P1")
    assert ada.last_name == "Lovelace"
    assert ada.tenancy.start_date == datetime.date(2019, 4, 1), "dates survive the checked-rows file"
    assert not checked.exists(), "the cleaned rows are removed once imported"


@pytest.mark.django_db
def test_a_check_that_fails_half_way_leaves_the_last_good_check(org, officer, monkeypatch):
    batch = batch_check(batch=_upload(org, officer, GOOD), actor=officer)
    checked = Path(batch.file.path + ".checked.jsonl")
    before = checked.read_text()

    def broken(self, rows, *, dry_run):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ResidentImporter, "commit_chunk", broken)
    with pytest.raises(RuntimeError):
        batch_check(batch=batch, actor=officer)
    monkeypatch.undo()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CHECKED
    assert checked.read_text() == before
    assert not Path(str(checked) + ".partial").exists()
    batch_commit(batch=batch, actor=officer, valid_only=False)
    assert Resident.objects.count() == 3


@pytest.mark.django_db
def test_a_missing_checked_rows_file_asks_for_a_new_check(org, officer):
    batch = batch_check(batch=_upload(org, officer, GOOD), actor=officer)
    Path(batch.file.path + ".checked.jsonl").unlink()
    with pytest.raises(ImportError_, match="Check the file again"):
        batch_commit(batch=batch, actor=officer, valid_only=False)
    assert Resident.objects.count() == 0
