"""The dataset reader and import service on tiny workbooks built here with openpyxl: sheets found
by their headers whatever they are called, missing-value codes kept, problems reported, and a
re-import replacing the year in one transaction."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from accounts.models import Role
from tsm import dataset as reader
from tsm.models import TsmDataset, TsmLandlord, TsmResult, TsmSurvey
from tsm.services import tsm_dataset_import

INTRO = "The information presented here relates to the reporting year 1 April 2024 to 31 March 2025."
LANDLORD = ["Landlord name", "Landlord code", "Landlord type", "Landlord group size (homes owned, LCRA and LCHO combined)",
            "Landlord predominant region"]  # fmt: skip
ANSWERS = ("very satisfied", "fairly satisfied", "neither satisfied nor dissatisfied", "fairly dissatisfied",
           "very dissatisfied")  # fmt: skip


def _perception_headers():
    headers = [*LANDLORD, "Relevant\xa0tenant population size (LCRA)", "Required minimum sample size2,3",
               "Total sample size achieved", "Estimated margin of error achieved2 %",
               "Were weighted responses used to calculate tenant perception measures",
               "Proportion of respondents who report that they are satisfied with the service provided by their "
               "landlord (TP01)",
               "Proportion of respondents who report that they are satisfied that their landlord provides a home "
               "that is safe (TP05)"]  # fmt: skip
    headers += [f"Number of respondents who report that they are {a} with the service provided (TP01)" for a in ANSWERS]
    # As in 2024: TP05's counts under TP06's question text, and one column without its answer.
    headers += [
        "Number of respondents who report that that their landlord listens to their views and acts upon them (TP05)",
        *[f"Number of respondents who report that they are {a} that their landlord listens to their views (TP05)"
          for a in ANSWERS[1:]],
        "Number of respondents who report 'not applicable/ don't know' (TP05)",
    ]  # fmt: skip
    return headers


def _mi_headers():
    return [*LANDLORD,
            "Proportion of homes for which all required gas safety checks have been carried out (BS01)",
            "Number of dwelling units owned for which all required gas safety checks were carried out (BS01 Numerator)",
            "Number of dwelling units owned for which gas safety checks were required (BS01 Denominator)",
            "Proportion of homes that do not meet the Decent Homes Standard (RP01)2",
            "Number failing the Decent Homes Standard at year end (RP01 Numerator)",
            "Number to which the Decent Homes Standard applied at year end (RP01 Denominator)",
            "LCHO - Number of stage one complaints per 1,000 homes (CH01 1)",
            "LCHO - Number of stage one complaints made by tenants (CH01 1 Numerator)",
            "LCHO - Number of dwelling units owned of the relevant stock type at year end (CH01 1 Denominator)",
            "Proportion of homes in buildings with lifts (BS05)",
            "Number with lift checks (BS05 Numerator)",
            "Number with lifts (BS05 Denominator)"]  # fmt: skip


def make_workbook(*, perception_title="TSM25_LCRA_Perc", mi_title="TSM25_MI", bad_cell=False, drop=None) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "Introduction"
    wb.active.append(["Tenant Satisfaction Measures 2025"])
    wb.active.append([INTRO])
    ws = wb.create_sheet(perception_title)
    ws.append([perception_title])
    ws.append(["Go back to contents"])
    headers = [h for h in _perception_headers() if drop is None or drop not in h]
    ws.append(headers)
    rows = [
        # name, code, type, size, region, N, min, n, moe, weighted, TP01, TP05, TP01 x5, TP05 x5 + NA
        ["Alpha Homes", "A1", "PRP", "<5,000", "North", 1000, 278, 300, 4.7, "No", 75.0, 62.5,
         40, 35, 10, 10, 5, 30, 45, 15, 20, 10, 20],
        ["Beta Council", "B2", "LARP", "<5,000", "North", 1200, 292, 250, "[S]", "No", "[S]", "[X]",
         "[S]", "[S]", "[S]", "[S]", "[S]", "[X]", "[X]", "[X]", "[X]", "[X]", "[X]"],
    ]  # fmt: skip
    if bad_cell:
        rows[0][5] = "about a thousand"
    for row in rows:
        ws.append(
            row if drop is None else [v for h, v in zip(_perception_headers(), row, strict=True) if drop not in h]
        )
    ws.append([])
    ws.append(["Notes:"])
    ws.append(["1. Where an RP has left a question blank, this appears as [X]."])
    ws = wb.create_sheet(mi_title)
    ws.append([mi_title])
    ws.append(_mi_headers())
    ws.append(["Alpha Homes", "A1", "PRP", "<5,000", "North", 99.5, 199, 200, 1.25, 5, 400, 0, "[X]", "[X]", 0, 0, 0])
    ws.append(["Beta Council", "B2", "LARP", "<5,000", "North", "[E]", "[E]", "[E]", 2.0, 20, 1000, 0, "[X]", "[X]",
               50.0, 1, 2])  # fmt: skip
    ws = wb.create_sheet("Left out")
    ws.append(["Landlord name", "Landlord code", "Notes from RSH following TSM review"])
    ws.append(["Gamma Borough Council", "G3", "Did not submit TSM data."])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_reader_finds_sheets_by_their_headers_whatever_they_are_called():
    data = reader.read(io.BytesIO(make_workbook(perception_title="Renamed A", mi_title="Something else")))
    assert data.reporting_year == 2025
    assert set(data.landlords) == {"A1", "B2", "G3"}
    assert data.landlords["G3"].notes == ["Did not submit TSM data."]
    assert data.problems == []
    assert any(s.startswith("Renamed A: perception measures") for s in data.sheets)
    assert any(s.startswith("Something else: management information") for s in data.sheets)
    tp05 = next(r for r in data.results if r.code == "A1" and r.measure == "TP05")
    # Matched by the code in the label; "very satisfied" placed though its text leaves it out.
    assert tp05.counts["very_satisfied"] == 30 and tp05.counts["not_applicable"] == 20
    assert (tp05.numerator[0], tp05.denominator[0]) == (75, 120)


def test_reader_keeps_missing_value_codes_and_never_makes_them_zero():
    data = reader.read(io.BytesIO(make_workbook()))
    results = {(r.code, r.measure): r for r in data.results}
    assert results[("B2", "TP01")].value == (None, "[S]")
    assert results[("B2", "TP01")].numerator == (None, "[S]")
    assert results[("B2", "TP05")].counts["very_satisfied"] == "[X]"
    assert results[("B2", "BS01")].value == (None, "[E]")
    survey = next(s for s in data.surveys if s.code == "B2")
    assert survey.margin_of_error == (None, "[S]")
    # Published as 0 with a blank numerator and denominator: stored as missing, said so.
    assert results[("A1", "CH01_1")].value == (None, "[X]")
    # Published as 0 over no homes with lifts: no base, not a 0% to rank last.
    assert results[("A1", "BS05")].value == (None, reader.NO_BASE)
    assert results[("B2", "BS05")].value == (Decimal("50.0"), "")
    assert len(data.notes) == 2


def test_reader_reports_what_it_could_not_read():
    data = reader.read(io.BytesIO(make_workbook(bad_cell=True, drop="Required minimum")))
    assert any("no column for the minimum sample size" in p for p in data.problems)
    assert any("'about a thousand' is neither a number nor a missing-value code" in p for p in data.problems)
    with pytest.raises(reader.NotATsmDataset):
        reader.read(io.BytesIO(b"PK\x03\x04 not really a zip"))
    wb = openpyxl.Workbook()
    wb.active.append(["Landlord code", "Something"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(reader.NotATsmDataset, match="does not look like"):
        reader.read(io.BytesIO(out.getvalue()))


def test_reader_flags_counts_that_do_not_give_the_published_value():
    wb = openpyxl.load_workbook(io.BytesIO(make_workbook()))
    ws = wb["TSM25_LCRA_Perc"]
    ws.cell(row=4, column=12).value = 70.0  # Alpha's published TP05: its counts give 62.5
    out = io.BytesIO()
    wb.save(out)
    data = reader.read(io.BytesIO(out.getvalue()))
    assert any(p.startswith("TP05 (Low-cost rental (LCRA))") and "A1" in p for p in data.problems)


@pytest.mark.django_db
def test_import_stores_the_year_and_replaces_it_on_reimport(admin_user):
    first = tsm_dataset_import(file=io.BytesIO(make_workbook()), actor=admin_user)
    assert first.dataset.reporting_year == 2025 and not first.replaced
    assert first.dataset.imported_by == admin_user
    beta = TsmResult.objects.get(landlord__code="B2", measure="TP01")
    assert beta.value is None and beta.value_code == "[S]"
    assert TsmSurvey.objects.get(landlord__code="A1").margin_of_error == Decimal("4.7")
    counts = TsmResult.objects.count()
    again = tsm_dataset_import(file=io.BytesIO(make_workbook()), actor=admin_user)
    assert again.replaced
    assert TsmDataset.objects.count() == 1 and TsmResult.objects.count() == counts
    assert TsmLandlord.objects.filter(code="A1").count() == 1
    other_year = tsm_dataset_import(file=io.BytesIO(make_workbook()), actor=None, reporting_year=2024)
    assert other_year.dataset.reporting_year == 2024 and TsmDataset.objects.count() == 2


@pytest.mark.django_db
def test_a_failed_import_leaves_the_earlier_one_whole(admin_user, monkeypatch):
    tsm_dataset_import(file=io.BytesIO(make_workbook()), actor=admin_user)
    before = TsmResult.objects.count()

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(TsmResult.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        tsm_dataset_import(file=io.BytesIO(make_workbook()), actor=admin_user)
    assert TsmResult.objects.count() == before and TsmDataset.objects.count() == 1


@pytest.mark.django_db
def test_import_refuses_non_admins_and_non_datasets(make_user, admin_user):
    with pytest.raises(PermissionDenied):
        tsm_dataset_import(file=io.BytesIO(make_workbook()), actor=make_user(Role.INVOLVEMENT_OFFICER))
    with pytest.raises(ValidationError, match="does not look like"):
        wb = openpyxl.Workbook()
        out = io.BytesIO()
        wb.save(out)
        tsm_dataset_import(file=io.BytesIO(out.getvalue()), actor=admin_user)
    assert not TsmDataset.objects.exists()


@pytest.mark.django_db
def test_import_needs_a_year_when_the_file_does_not_say(admin_user):
    wb = openpyxl.load_workbook(io.BytesIO(make_workbook()))
    wb["Introduction"]["A2"] = "No dates here"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ValidationError, match="reporting year"):
        tsm_dataset_import(file=io.BytesIO(out.getvalue()), actor=admin_user)
    assert tsm_dataset_import(file=io.BytesIO(out.getvalue()), actor=admin_user, reporting_year=2025)


@pytest.mark.django_db
def test_the_real_dataset_imports_as_published(published_path, capsys):
    call_command("import_tsm_dataset", str(published_path))
    out = capsys.readouterr().out
    assert "Loaded the 2023/24 dataset" in out and "Everything was read." in out
    dataset = TsmDataset.objects.get()
    assert dataset.landlord_count == 362 and dataset.problems == []
    assert TsmSurvey.objects.filter(landlord__dataset=dataset).count() == 413
    # A value excluded by the regulator keeps its code, never 0.
    excluded = TsmResult.objects.filter(measure="RP01", value_code="[E]")
    assert excluded.count() == 7 and not excluded.filter(value__isnull=False).exists()
    assert not TsmResult.objects.filter(value=0, numerator__isnull=True).exists()
    abri = TsmResult.objects.get(landlord__code="L4172", measure="TP01", tenure="lcra")
    assert (abri.numerator, abri.denominator) == (1844, 2459)
    assert round(abri.value, 6) == Decimal("74.989833")
    call_command("import_tsm_dataset", str(published_path))
    assert "Replaced the 2023/24 dataset" in capsys.readouterr().out
    assert TsmDataset.objects.count() == 1
