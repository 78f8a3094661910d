"""The benchmarking pages, the CSV, choosing our landlord and loading the dataset."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from tsm import selectors
from tsm.measures import get
from tsm.models import TsmDataset, TsmLandlord, TsmProfile
from tsm.services import tsm_profile_set
from tsm.tests.factories import make_dataset
from tsm.tests.test_import import make_workbook

pytestmark = pytest.mark.django_db


def test_standing_ranks_by_each_measures_direction_and_shares_ties():
    values = [Decimal(v) for v in (90, 80, 80, 70, 60)]
    higher = selectors.standing(
        value=Decimal(80), values=values, measure=get("TP01"), group="all", label="", description=""
    )
    assert (higher.rank, higher.count, higher.quartile, higher.median) == (2, 5, 2, Decimal(80))
    lower = selectors.standing(
        value=Decimal(60), values=values, measure=get("RP01"), group="all", label="", description=""
    )
    assert (lower.rank, lower.quartile) == (1, 1)
    worst = selectors.standing(
        value=Decimal(90), values=values, measure=get("CH01_1"), group="all", label="", description=""
    )
    assert (worst.rank, worst.quartile) == (5, 4)
    missing = selectors.standing(value=None, values=values, measure=get("TP01"), group="all", label="", description="")
    assert missing.rank is None and missing.count == 5


def test_benchmark_against_all_and_similar_landlords(org):
    dataset = make_dataset(organisation=org, codes={"L0002:TP01": "[S]", "L0001:BS01": "[X]"})
    landlord = TsmLandlord.objects.get(code="L0001")
    rows = {r.measure.code: r for r in selectors.benchmark(dataset=dataset, landlord=landlord)}
    assert len(rows) == 26
    tp01 = rows["TP01"]
    # L0001 has 60, the lowest satisfaction; L0002's [S] is left out of everything.
    assert {s.group: (s.rank, s.count) for s in tp01.standings} == {
        "all": (4, 4), "size": (2, 2), "region": (3, 3), "type": (2, 2)
    }  # fmt: skip
    assert tp01.standing("all").median == Decimal("85")  # of 60, 80, 90, 100
    # Lower is better for ASB cases per 1,000 homes: L0001's 10 is the best.
    assert rows["NM01_1"].standing("all").rank == 1
    assert rows["BS01"].value is None and rows["BS01"].code == "[X]"
    assert rows["BS01"].standing("all").rank is None and rows["BS01"].standing("all").count == 4


def test_benchmark_page_shows_values_ranks_and_missing_codes(client, make_user, org):
    make_dataset(organisation=org, codes={"L0001:BS02": "[S]"})
    client.force_login(make_user(Role.MANAGER))
    page = client.get(reverse("tsm:benchmark")).content.decode()
    assert "Riverside Homes Limited (L0001)" in page
    assert "Not published" in page and "[S] suppressed" in page
    assert "5th of 5" in page and "Bottom quarter" in page  # TP01: 60 of 60-100
    assert "Download this comparison (CSV)" in page


def test_csv_has_every_measure_and_peer_group(client, make_user, org):
    make_dataset(organisation=org, codes={"L0001:BS02": "[S]"})
    client.force_login(make_user(Role.INVOLVEMENT_OFFICER))
    response = client.get(reverse("tsm:benchmark-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 26 * 4
    bs02 = [r for r in rows if r["measure"] == "BS02"]
    assert {r["not_published"] for r in bs02} == {"[S]"} and {r["value"] for r in bs02} == {""}
    assert {r["rank"] for r in bs02} == {""}
    tp01 = next(r for r in rows if r["measure"] == "TP01" and r["compared_with"] == "All landlords")
    assert (tp01["value_to_1dp"], tp01["rank"], tp01["landlords_compared"], tp01["median"]) == (
        "60.0",
        "5",
        "5",
        "80.0",
    )


def test_measure_page_lists_a_peer_group(client, make_user, org):
    make_dataset(organisation=org)
    client.force_login(make_user(Role.INVOLVEMENT_OFFICER))
    page = client.get(reverse("tsm:measure", args=["RP01"]), {"peers": "region"}).content.decode()
    assert "Same region: 3 landlords" in page and "Riverside Homes Limited (us)" in page
    assert "Hillside Housing" not in page  # the North
    assert client.get(reverse("tsm:measure", args=["XX99"])).status_code == 404
    assert client.get(reverse("tsm:measure", args=["TP01"]), {"tenure": "nonsense"}).status_code == 404


def test_pages_without_a_dataset_or_a_chosen_landlord_say_what_to_do(client, make_user, org, admin_user):
    client.force_login(admin_user)
    assert "has not been loaded yet" in client.get(reverse("tsm:benchmark")).content.decode()
    make_dataset()
    page = client.get(reverse("tsm:benchmark")).content.decode()
    assert "Choose this organisation" in page
    assert client.get(reverse("tsm:benchmark-csv")).status_code == 404


def test_admin_chooses_the_landlord_and_others_cannot(client, make_user, org, other_org, admin_user):
    make_dataset()
    client.force_login(admin_user)
    response = client.post(reverse("tsm:profile"), {"provider_code": "L0003"})
    assert response.status_code == 302
    assert TsmProfile.objects.get(organisation=org).provider_code == "L0003"
    response = client.post(reverse("tsm:profile"), {"provider_code": "NOPE"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    client.force_login(make_user(Role.INVOLVEMENT_OFFICER))
    assert client.post(reverse("tsm:profile"), {"provider_code": "L0001"}).status_code == 403
    # A service call for another organisation is refused too.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        tsm_profile_set(organisation=other_org, actor=admin_user, provider_code="L0001")


def test_each_organisation_sees_its_own_landlord(client, make_user, org, other_org):
    make_dataset(organisation=org)
    TsmProfile.objects.create(organisation=other_org, provider_code="L0005")
    client.force_login(make_user(Role.MANAGER, organisation=other_org))
    page = client.get(reverse("tsm:benchmark")).content.decode()
    assert "City Council (L0005)" in page and "Riverside Homes Limited (L0001)" not in page


def test_dataset_upload_checks_the_file_is_really_an_xlsx(client, admin_user):
    client.force_login(admin_user)
    fake = SimpleUploadedFile("data.xlsx", b"%PDF-1.4 not a workbook", content_type="application/vnd.ms-excel")
    response = client.post(reverse("tsm:dataset"), {"file": fake})
    assert "must be an Excel (.xlsx) workbook" in response.content.decode()
    good = SimpleUploadedFile("tsm.xlsx", make_workbook())
    response = client.post(reverse("tsm:dataset"), {"file": good}, follow=True)
    assert "Loaded the 2024/25 dataset: 3 landlords, 0 problem(s)" in response.content.decode()
    assert TsmDataset.objects.get().source_name == "tsm.xlsx"
    not_tsm = SimpleUploadedFile("other.xlsx", _empty_workbook())
    response = client.post(reverse("tsm:dataset"), {"file": not_tsm})
    assert "does not look like the regulator" in response.content.decode()
    assert TsmDataset.objects.count() == 1


def _empty_workbook() -> bytes:
    import openpyxl

    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


def test_benchmark_page_query_count(client, make_user, org, django_assert_max_num_queries):
    make_dataset(organisation=org)
    client.force_login(make_user(Role.MANAGER))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("tsm:benchmark")).status_code == 200
