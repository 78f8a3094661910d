"""The TSM return from records and counts: the reporting year's edges in UK time, what counts,
the two stock types, missing data, the page, the CSV and who may see them."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.models import Role
from performance.models import RepairJob, Stock
from tsm.measures import MANAGEMENT_INFORMATION, Tenure
from tsm.returns import current_year_starting, tsm_return, year_bounds, year_choices
from tsm.tests import return_records as rec

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")
YEAR = 2025
YEAR_END = date(2026, 3, 31)


def uk(*args: int) -> datetime:
    return datetime(*args, tzinfo=UK)


def _counts(org, *, homes_lcra=1000, homes_lcho=None):
    rec.stock_count(org, as_at=YEAR_END, item="homes", total=homes_lcra)
    if homes_lcho is not None:
        rec.stock_count(org, as_at=YEAR_END, item="homes", total=homes_lcho, stock=Stock.LCHO)


def test_reporting_year_runs_from_1_april_to_31_march_uk_time():
    start, end = year_bounds(2025)
    assert start == uk(2025, 4, 1) and end == uk(2026, 4, 1)
    # Both edges are in British Summer Time: 23:00 UTC the day before.
    assert start.utcoffset().total_seconds() == 3600 and end.utcoffset().total_seconds() == 3600
    assert current_year_starting(date(2026, 3, 31)) == 2025
    assert current_year_starting(date(2026, 4, 1)) == 2026
    assert year_choices(date(2026, 11, 23)) == [2026, 2025, 2024, 2023]


def test_a_job_completed_at_2330_on_31_march_is_in_the_year_and_0030_on_1_april_is_not(org):
    rec.repairs(org, year=YEAR, completed=1, on_time=1, completed_at=uk(2026, 3, 31, 23, 30))  # 22:30 UTC
    rec.repairs(org, year=YEAR, completed=1, on_time=0, completed_at=uk(2026, 4, 1, 0, 30))  # 23:30 UTC on 31st
    rec.repairs(org, year=YEAR, completed=1, on_time=1, completed_at=uk(2025, 4, 1, 0, 30))  # first hour of 2025/26
    rec.repairs(org, year=YEAR, completed=1, on_time=0, completed_at=uk(2025, 3, 31, 23, 30))  # last of 2024/25
    this = tsm_return(organisation=org, year_starting=2025).line("RP02_1")
    assert (this.numerator, this.denominator, this.value) == (2, 2, Decimal(100))
    nxt = tsm_return(organisation=org, year_starting=2026).line("RP02_1")
    assert (nxt.numerator, nxt.denominator) == (0, 1)
    before = tsm_return(organisation=org, year_starting=2024).line("RP02_1")
    assert (before.numerator, before.denominator) == (0, 1)


def test_asb_cases_count_by_the_uk_day_they_were_reported(org):
    _counts(org)
    rec.asb_cases(org, year=YEAR, cases=2, hate=1, reported_at=uk(2026, 3, 31, 23, 30))
    rec.asb_cases(org, year=YEAR, cases=5, hate=5, reported_at=uk(2026, 4, 1, 0, 30))
    ret = tsm_return(organisation=org, year_starting=YEAR)
    assert (ret.line("NM01_1").numerator, ret.line("NM01_2").numerator) == (2, 1)
    assert ret.line("NM01_1").value == Decimal(2)  # 2 / 1,000 homes × 1,000


def test_rp02_splits_emergency_and_leaves_out_cancelled_open_and_unjudged_jobs(org):
    rec.repairs(org, year=YEAR, completed=10, on_time=7)
    rec.repairs(org, year=YEAR, completed=4, on_time=3, emergency=True)
    rec.repairs(org, year=YEAR, completed=3, on_time=3, cancelled=True)  # cancelled: not counted
    open_jobs = rec.repairs(org, year=YEAR, completed=2, on_time=0)
    RepairJob.objects.filter(pk__in=[j.pk for j in open_jobs]).update(completed_at=None, on_time=None)
    unjudged = rec.repairs(org, year=YEAR, completed=2, on_time=0)
    RepairJob.objects.filter(pk__in=[j.pk for j in unjudged]).update(due_at=None, on_time=None)
    ret = tsm_return(organisation=org, year_starting=YEAR)
    non, em = ret.line("RP02_1"), ret.line("RP02_2")
    assert (non.numerator, non.denominator, non.value) == (7, 10, Decimal(70))
    assert (em.numerator, em.denominator, em.value) == (3, 4, Decimal(75))
    assert non.notes and "2 completed non-emergency job(s) left out" in non.notes[0]
    assert em.notes == ()


def test_the_regulators_formula_and_rounding(org):
    rec.repairs(org, year=YEAR, completed=8, on_time=1)  # 12.5% exactly
    rec.repairs(org, year=YEAR, completed=3, on_time=2, emergency=True)  # 66.666…%
    ret = tsm_return(organisation=org, year_starting=YEAR)
    assert ret.line("RP02_1").shown == Decimal("12.5")
    assert ret.line("RP02_2").value == Decimal(200) / Decimal(3)
    assert ret.line("RP02_2").shown == Decimal("66.7")


def test_stock_counts_as_at_31_march_both_stock_types_added(org):
    rec.stock_count(org, as_at=YEAR_END, item="bs01", total=900, count=891)
    rec.stock_count(org, as_at=YEAR_END, item="bs01", total=100, count=99, stock=Stock.LCHO)
    rec.stock_count(org, as_at=YEAR_END, item="rp01", total=1000, count=25)
    rec.stock_count(org, as_at=date(2026, 3, 30), item="bs02", total=50, count=50)  # not the year end
    rec.stock_count(org, as_at=YEAR_END, item="bs05", total=0, count=0)  # no lifts
    ret = tsm_return(organisation=org, year_starting=YEAR)
    assert (ret.line("BS01").numerator, ret.line("BS01").denominator, ret.line("BS01").shown) == (
        990,
        1000,
        Decimal("99.0"),
    )
    assert "low-cost home ownership 99 of 100" in ret.line("BS01").source
    assert ret.line("RP01").shown == Decimal("2.5")
    bs02 = ret.line("BS02")
    assert (bs02.numerator, bs02.denominator, bs02.value) == (None, None, None)
    assert bs02.not_shown == "No BS02 count as at 31 March 2026."
    bs05 = ret.line("BS05")
    assert (bs05.numerator, bs05.denominator, bs05.value) == (0, 0, None) and "count is zero" in bs05.not_shown


def test_complaints_are_separate_for_rental_and_home_ownership(org):
    _counts(org, homes_lcra=2000, homes_lcho=400)
    rec.complaints(org, year=YEAR, stage=1, received=100, in_time=80, in_time_extended=10)
    rec.complaints(org, year=YEAR, stage=2, received=20, in_time=15)
    rec.complaints(org, year=YEAR, stage=1, received=6, in_time=5, stock=Stock.LCHO)
    rec.complaints(org, year=YEAR - 1, stage=2, received=9, in_time=9, stock=Stock.LCHO)  # another year
    rec.asb_cases(org, year=YEAR, cases=12, hate=3)
    ret = tsm_return(organisation=org, year_starting=YEAR)
    lcra, lcho = ret.line("CH01_1", Tenure.LCRA), ret.line("CH01_1", Tenure.LCHO)
    assert (lcra.numerator, lcra.denominator, lcra.value) == (100, 2000, Decimal(50))
    assert (lcho.numerator, lcho.denominator, lcho.value) == (6, 400, Decimal(15))
    ch02 = ret.line("CH02_1", Tenure.LCRA)
    assert (ch02.numerator, ch02.denominator, ch02.value) == (90, 100, Decimal(90))  # an agreed extension is in time
    assert ch02.notes == ("80 in time without an extension, 10 only with one.",)
    rec.complaints(org, year=YEAR, stage=2, received=3, in_time=3, in_time_extended=1, stock=Stock.LCHO)
    odd = tsm_return(organisation=org, year_starting=YEAR).line("CH02_2", Tenure.LCHO)
    assert odd.shown == Decimal("133.3") and "the counts need checking" in odd.notes[1]
    assert ret.line("CH02_1", Tenure.LCHO).shown == Decimal("83.3")
    assert ret.line("CH02_2", Tenure.LCRA).value == Decimal(75)
    missing = ret.line("CH01_2", Tenure.LCHO)
    assert (missing.numerator, missing.value) == (None, None)
    assert "No stage 2 complaint counts for low-cost home ownership homes" in missing.not_shown
    # NM01 is per 1,000 homes of both stock types: 12 / 2,400.
    nm01 = ret.line("NM01_1")
    assert (nm01.numerator, nm01.denominator, nm01.value) == (12, 2400, Decimal(5))
    assert ret.line("NM01_2").value == Decimal("1.25") and ret.line("NM01_2").shown == Decimal("1.3")


def test_missing_data_is_not_available_never_zero(org, other_org):
    # Another landlord's records are not ours.
    rec.repairs(other_org, year=YEAR, completed=5, on_time=5)
    rec.asb_cases(other_org, year=YEAR, cases=5)
    rec.stock_count(other_org, as_at=YEAR_END, item="homes", total=500)
    rec.complaints(other_org, year=YEAR, stage=1, received=5, in_time=5)
    ret = tsm_return(organisation=org, year_starting=YEAR)
    codes = [(line.code, line.stock) for line in ret.lines]
    assert len(codes) == len(set(codes)) == len(MANAGEMENT_INFORMATION) + 4  # CH01/CH02 twice each
    for line in ret.lines:
        assert line.value is None and line.shown is None and line.numerator is None, line
        assert line.not_shown
    assert ret.line("RP02_1").not_shown == "No repairs jobs are loaded for 1 April 2025 to 31 March 2026."
    assert (
        ret.line("NM01_1").not_shown == "No anti-social behaviour cases are loaded for 1 April 2025 to 31 March 2026."
    )


def test_counts_without_their_base_show_the_count_but_no_value(org):
    rec.asb_cases(org, year=YEAR, cases=3)
    rec.complaints(org, year=YEAR, stage=1, received=4, in_time=4)
    rec.repairs(org, year=YEAR, completed=2, on_time=2, emergency=True)  # repairs loaded, none non-emergency
    ret = tsm_return(organisation=org, year_starting=YEAR)
    nm01 = ret.line("NM01_1")
    assert (nm01.numerator, nm01.denominator, nm01.value) == (3, None, None)
    assert nm01.not_shown == "No count of homes owned as at 31 March 2026."
    ch01 = ret.line("CH01_1", Tenure.LCRA)
    assert (ch01.numerator, ch01.denominator, ch01.value) == (4, None, None)
    assert ret.line("CH02_1", Tenure.LCRA).value == Decimal(100)  # its base is the complaints themselves
    rp = ret.line("RP02_1")
    assert (rp.numerator, rp.denominator, rp.value) == (0, 0, None) and rp.not_shown


def test_an_asb_case_open_in_the_year_makes_none_opened_a_real_zero(org):
    _counts(org)
    rec.asb_cases(org, year=YEAR - 1, cases=1, reported_at=uk(2025, 2, 1, 12))  # opened last year, still open
    ret = tsm_return(organisation=org, year_starting=YEAR)
    assert (ret.line("NM01_1").numerator, ret.line("NM01_1").value) == (0, Decimal(0))
    assert ret.line("NM01_1").not_shown == ""


def test_the_return_takes_six_queries_whatever_the_number_of_records(org, django_assert_num_queries):
    """Repairs, ASB, stock counts, whether complaint cases are recorded, the complaint counts, and
    whether a perception survey is recorded for the year (none here)."""
    _counts(org, homes_lcho=10)
    rec.repairs(org, year=YEAR, completed=50, on_time=40)
    rec.asb_cases(org, year=YEAR, cases=20, hate=2)
    rec.complaints(org, year=YEAR, stage=1, received=4, in_time=4)
    with django_assert_num_queries(6):
        ret = tsm_return(organisation=org, year_starting=YEAR)
        [line.source for line in ret.lines]
    assert ret.perception == [] and "No perception survey" in ret.perception_missing


# --- the page and the CSV ---------------------------------------------------------------


def _some_return(org):
    _counts(org, homes_lcra=1200, homes_lcho=300)
    rec.repairs(org, year=YEAR, completed=40, on_time=36)
    rec.repairs(org, year=YEAR, completed=8, on_time=8, emergency=True)
    rec.asb_cases(org, year=YEAR, cases=30, hate=3)
    rec.stock_count(org, as_at=YEAR_END, item="bs01", total=1000, count=997)
    rec.complaints(org, year=YEAR, stage=1, received=60, in_time=50, in_time_extended=4)


def test_return_page_shows_each_measure_with_its_counts_and_source(
    client, make_user, org, django_assert_max_num_queries
):
    _some_return(org)
    client.force_login(make_user(Role.MANAGER))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("tsm:return"), {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tenant Satisfaction Measures return: 2025/26" in html
    assert "RP02 (1) Non-emergency responsive repairs completed within the landlord" in html
    assert "90.0%" in html  # 36 of 40
    assert "100.0%" in html  # 8 of 8 emergency
    assert "20.0 <span" in html  # 30 ASB cases per 1,500 homes × 1,000
    assert "99.7%" in html  # gas safety
    assert "Repairs jobs marked non-emergency, completed 1 April 2025 to 31 March 2026" in html
    assert "No BS02 count as at 31 March 2026." in html
    assert "Not available" in html
    assert 'href="/staff/tsm/return.csv?year=2025"' in html
    assert '<option value="2025" selected>' in html


def test_return_page_defaults_to_the_latest_year_that_has_ended(client, make_user):
    client.force_login(make_user(Role.INVOLVEMENT_OFFICER))
    html = client.get(reverse("tsm:return")).content.decode()
    latest_ended = year_choices()[1]
    assert f"Tenant Satisfaction Measures return: {latest_ended}/" in html


def test_return_page_with_a_year_not_offered_says_so(client, make_user):
    client.force_login(make_user(Role.INVOLVEMENT_OFFICER))
    response = client.get(reverse("tsm:return"), {"year": "1999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "Choose a reporting year from the list" in html
    assert "Management information," not in html
    assert client.get(reverse("tsm:return-csv"), {"year": "1999"}).status_code == 404


def test_return_csv_in_the_regulators_shape(client, make_user, org):
    _some_return(org)
    client.force_login(make_user(Role.PARTNERSHIP_VIEWER))
    response = client.get(reverse("tsm:return-csv"), {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tsm-return-2025-26.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["code", "description", "stock", "numerator", "denominator", "value", "not_shown_because"]
    by_key = {(r[0], r[2]): r for r in rows[1:]}
    assert len(by_key) == len(rows) - 1 == len(MANAGEMENT_INFORMATION) + 4
    assert by_key[("RP02 (1)", "All")][1:] == [
        "Non-emergency responsive repairs completed within the landlord's target timescale", "All", "36", "40",
        "90.0", "",
    ]  # fmt: skip
    assert by_key[("CH02 (1)", "LCRA")][3:6] == ["54", "60", "90.0"]
    assert by_key[("CH01 (1)", "LCHO")][3:6] == ["", "", ""]
    assert by_key[("CH01 (1)", "LCHO")][6].startswith("No stage 1 complaint counts")
    assert by_key[("BS02", "All")][3:6] == ["", "", ""]


def test_each_organisation_sees_only_its_own_return(client, make_user, org, other_org):
    _some_return(other_org)
    client.force_login(make_user(Role.ADMINISTRATOR, organisation=org))
    rows = list(csv.reader(io.StringIO(client.get(reverse("tsm:return-csv"), {"year": YEAR}).content.decode())))
    assert all(r[3] == "" and r[5] == "" for r in rows[1:])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADMINISTRATOR, 200),
        (Role.INVOLVEMENT_OFFICER, 200),
        (Role.MANAGER, 200),
        (Role.PARTNERSHIP_VIEWER, 200),
        (Role.INVOLVED_RESIDENT, 403),
        (Role.RESIDENT, 403),
    ],
)
def test_who_may_see_the_return(client, make_user, role, status):
    client.force_login(make_user(role))
    assert client.get(reverse("tsm:return")).status_code == status
    assert client.get(reverse("tsm:return-csv")).status_code == status


def test_signed_out_people_are_asked_to_sign_in(client):
    response = client.get(reverse("tsm:return"))
    assert response.status_code == 302 and "next=/staff/tsm/return/" in response["Location"]


def test_benchmarks_page_links_to_the_return(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    assert reverse("tsm:return") in client.get(reverse("tsm:benchmark")).content.decode()
