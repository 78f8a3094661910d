"""Published results on the public page, measure pages, open data and API: latest month and
quarter in plain English, the trend as a chart with a table, areas with small numbers
suppressed, only complete periods, and nothing private."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from people.tests.factories import AreaFactory, HomeFactory, ResidentFactory
from performance import published
from performance.models import MeasureComment, RemedialAction
from performance.published import Period
from performance.tests.factories import FigureFactory, RepairJobFactory
from standards import services as standards_services
from standards.models import Measure

pytestmark = pytest.mark.django_db


def _month(offset: int) -> datetime.date:
    """The first day of the month `offset` months from this one (-1: the last complete month)."""
    return published._add_months(timezone.localdate().replace(day=1), offset)


@pytest.fixture
def offer(org, manager):
    standards_services.local_offer_load_preset(organisation=org, actor=manager)
    return org


@pytest.fixture
def cat1(offer):
    return Measure.objects.get(organisation=offer, code="rep-cat1")


@pytest.fixture
def figures(offer, cat1):
    """Twelve months of category 1 figures up to last month (97 of 100 last month), and some
    for this month, which has not ended and so is not published."""
    for offset in range(-12, -1):
        FigureFactory(organisation=offer, measure=cat1, month=_month(offset), numerator=199, denominator=200)
    FigureFactory(organisation=offer, measure=cat1, month=_month(-1), numerator=97, denominator=100)
    FigureFactory(organisation=offer, measure=cat1, month=_month(0), numerator=1, denominator=50)
    return offer


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_page_gives_the_latest_month_and_quarter_in_plain_english(client, figures, django_assert_max_num_queries):
    month, quarter = published.latest_periods(organisation=figures)
    assert month.start == _month(-1)
    with django_assert_max_num_queries(12):
        response = client.get("/performance/riverside/")
    body = response.content.decode()
    assert (
        f"In {month.label}, 97 out of 100 category 1 emergency repairs were made safe within 24 hours (97%). "
        "Our promise is 99.6%, so we did not keep it."
    ) in body
    months_in_quarter = sum(1 for m in range(-12, 0) if quarter.start <= _month(m) <= quarter.end)
    n = 199 * months_in_quarter - (102 if quarter.end >= _month(-1) else 0)
    d = 200 * months_in_quarter
    assert f"In {quarter.label}, {n:,} out of {d:,} category 1 emergency repairs" in body
    assert "Promise not kept" in body
    words = " ".join(body.split())
    assert f"so we did not keep it. This is worse than {_month(-2):%B %Y} (99.5%)." in words
    assert f"In {month.label} we met 0 of the 1 target we could measure that month." in body
    # This month has not ended: its figures are not published anywhere.
    assert "1 out of 50" not in body
    assert f"{_month(0):%B %Y}</dt>" not in body and f"{month.label}</dt>" in body


def test_the_quarter_is_the_latest_complete_financial_quarter():
    # With figures up to May, the latest complete quarter is January to March.
    assert Period.quarter_of(datetime.date(2025, 5, 1)).previous() == Period(
        "quarter", datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)
    )


def test_the_measure_page_has_a_chart_with_a_table_of_each_month(client, figures, cat1):
    response = client.get(f"/performance/riverside/measures/{cat1.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body and 'role="img"' in body
    assert "<script" not in body.split("<main", 1)[1]
    assert body.count("<circle ") == 12
    assert "stroke-dasharray" in body  # the promise line
    table = body.split("each month</caption>", 1)[1].split("</table>", 1)[0]
    assert table.count('<th scope="row"') == 12
    assert f"{_month(-1):%B %Y}</th>" in table and f"{_month(-12):%B %Y}</th>" in table
    assert f"{_month(0):%B %Y}" not in table
    assert ">97%<" in table and ">99.5%<" in table and ">99.6%<" in table


def test_areas_with_small_numbers_are_suppressed(client, figures, cat1):
    _, quarter = published.latest_periods(organisation=figures)
    north, south, east = (AreaFactory(organisation=figures, name=n) for n in ("North", "South", "East"))
    for area, d in ((north, 50), (south, 3), (east, 40)):
        FigureFactory(
            organisation=figures, measure=cat1, month=quarter.start, area=area, numerator=d - 1, denominator=d
        )
    rows = {r.name: r for r in published.area_results(organisation=figures, measure=cat1, period=quarter)}
    assert rows["North"].denominator == 50 and rows["North"].numerator == 49 and rows["North"].amount == "98%"
    # South is too small; East is hidden too, or South could be worked out from the total.
    assert rows["South"].hidden and rows["South"].small
    assert rows["East"].hidden and not rows["East"].small
    body = client.get(f"/performance/riverside/measures/{cat1.pk}/").content.decode()
    assert "Fewer than 5: not shown" in body and ">Not shown<" in body
    assert ">39<" not in body and ">2<" not in body
    assert "To protect residents' privacy" in body


def test_results_csv_and_json(client, figures, cat1):
    rows = _csv(client.get("/performance/riverside/open-data/results.csv"))
    assert list(rows[0]) == [name for name, _ in published.RESULT_COLUMNS]
    assert [r["period"] for r in rows] == [f"{_month(m):%Y-%m}" for m in range(-12, 0)]
    last = rows[-1]
    assert last == {
        "measure_code": "rep-cat1",
        "measure_name": "Category 1 emergency repairs made safe within 24 hours",
        "service_area": "Repairs",
        "promise": "We will respond and make the situation safe within 24 hours",
        "period_type": "month",
        "period": f"{_month(-1):%Y-%m}",
        "period_start": _month(-1).isoformat(),
        "period_end": (_month(0) - datetime.timedelta(days=1)).isoformat(),
        "numerator": "97",
        "denominator": "100",
        "value": "97",
        "unit": "percent",
        "target": "99.6",
        "met": "false",
    }
    body = client.get("/performance/riverside/open-data/results.json?period=quarter").json()
    quarters = published.published_periods(organisation=figures, kind="quarter", count=8)
    assert {r["period"] for r in body["data"]} <= {q.code for q in quarters}
    assert body["data"][-1]["period"] == quarters[-1].code and body["data"][-1]["met"] is False
    assert isinstance(body["data"][-1]["value"], float)


def test_the_api_gives_results_by_period_and_the_trend(client, figures):
    latest = client.get("/api/v1/performance/riverside/results").json()
    assert latest["period"]["code"] == f"{_month(-1):%Y-%m}"
    (result,) = latest["results"]
    assert (result["measure_code"], result["numerator"], result["denominator"], result["value"]) == (
        "rep-cat1", 97, 100, 97.0,
    )  # fmt: skip
    assert result["target"] == 99.6 and result["met"] is False
    assert result["sentence"].endswith("Our promise is 99.6%, so we did not keep it.")
    earlier = client.get(f"/api/v1/performance/riverside/results?period=month&start={_month(-3).isoformat()}").json()
    assert earlier["results"][0]["numerator"] == 199
    # This month has not ended; a quarter that has not ended is not published either.
    assert client.get(f"/api/v1/performance/riverside/results?start={_month(0).isoformat()}").status_code == 404
    assert client.get(
        f"/api/v1/performance/riverside/results?period=quarter&start={_month(0).isoformat()}"
    ).status_code == 404  # fmt: skip
    periods = client.get("/api/v1/performance/riverside/periods?count=3").json()
    assert [p["code"] for p in periods] == [f"{_month(m):%Y-%m}" for m in (-3, -2, -1)]
    trend = client.get("/api/v1/performance/riverside/measures/rep-cat1/trend").json()
    assert len(trend["points"]) == 12 and trend["points"][-1]["value"] == 97.0
    assert trend["points"][0]["month"] == _month(-12).isoformat() and trend["points"][-1]["met"] is False
    assert trend["target"] == 99.6


def test_another_landlords_figures_are_not_shown(client, figures, other_org, manager):
    assert client.get("/api/v1/performance/northgate/results").status_code == 404
    body = client.get("/performance/northgate/").content.decode()
    assert "97 out of 100" not in body
    assert "Northgate Housing has not published a local offer yet." in body
    assert "We have not published any results yet" in body


def test_nothing_private_is_published(client, figures, cat1, officer):
    home = HomeFactory(organisation=figures, address_line_1="12 Secret Street", postcode="OX1 9ZZ")
    ResidentFactory(organisation=figures, first_name="Zebedee", last_name="Quartermaine", home=home)
    RepairJobFactory(
        organisation=figures, home=home, reference="JOB-SECRET-1", description="Leak at flat of Zebedee",
        reported_at=timezone.now() - datetime.timedelta(days=40),
    )  # fmt: skip
    MeasureComment.objects.create(
        organisation=figures, measure=cat1, period_start=_month(-1), period_end=_month(0), text="Officer Whisper"
    )
    RemedialAction.objects.create(
        organisation=figures, measure=cat1, period_start=_month(-1), period_end=_month(0),
        description="Discipline contractor Acme", owner="Ms Hidden", due_on=_month(1),
    )  # fmt: skip
    urls = [
        "/performance/riverside/",
        f"/performance/riverside/measures/{cat1.pk}/",
        "/performance/riverside/open-data/",
        "/performance/riverside/open-data/results.csv",
        "/performance/riverside/open-data/results.json",
        "/performance/riverside/open-data/local-offer.csv",
        "/performance/riverside/open-data/local-offer.json",
        "/api/v1/performance/riverside/local-offer",
        "/api/v1/performance/riverside/measures",
        "/api/v1/performance/riverside/results",
        "/api/v1/performance/riverside/measures/rep-cat1/trend",
    ]
    secrets = ["Secret Street", "OX1 9ZZ", "Zebedee", "Quartermaine", "JOB-SECRET-1", "Officer Whisper", "Acme"]
    secrets += ["Ms Hidden", home.reference]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not [s for s in secrets if s in text], url


def test_the_measure_page_in_a_fixed_number_of_queries(client, figures, cat1, django_assert_max_num_queries):
    _, quarter = published.latest_periods(organisation=figures)
    for i in range(30):
        area = AreaFactory(organisation=figures, name=f"Estate {i}")
        FigureFactory(organisation=figures, measure=cat1, month=quarter.start, area=area, numerator=9, denominator=10)
    with django_assert_max_num_queries(16):
        body = client.get(f"/performance/riverside/measures/{cat1.pk}/").content.decode()
    assert body.count(">Estate ") == 30


def test_the_public_api_is_rate_limited(client, offer):
    for _ in range(120):
        assert client.get("/api/v1/performance/riverside/periods").status_code == 200
    assert client.get("/api/v1/performance/riverside/periods").status_code == 429


def test_the_summary_counts_targets_met_and_missed(client, figures, offer):
    cat2 = Measure.objects.get(organisation=offer, code="rep-cat2")
    FigureFactory(organisation=offer, measure=cat2, month=_month(-1), numerator=100, denominator=100)
    page = published.offer_with_results(organisation=offer)
    assert (page.kept, page.judged) == (1, 2)
    body = client.get("/performance/riverside/").content.decode()
    assert "we met 1 of the 2 targets we could measure that month." in body
    assert "100 out of 100 category 2 urgent repairs were completed within 3 working days (100%). " in body
    assert "Our promise is 99%, so we kept it." in body and "Promise kept" in body
