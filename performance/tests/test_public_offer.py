"""The public performance page, open data and API for a landlord's local offer: no sign-in,
every promise in residents' words, milestones with their status, nothing private."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Organisation
from performance import published
from performance.published import Period
from standards import services as standards_services
from standards.models import Measure
from standards.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(org, manager):
    standards_services.local_offer_load_preset(organisation=org, actor=manager)
    return org


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_page_needs_no_sign_in_and_quotes_every_promise(client, offer, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/performance/riverside/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Our promises to you and how we are keeping them" in body
    for promise in Measure.objects.filter(organisation=offer).values_list("commitment__promise", flat=True):
        assert f"“{promise}”".replace("'", "&#x27;") in body
    assert "Category 1 emergency repairs made safe within 24 hours" in body
    assert "99.6%" in body and "24 hours, reported to made safe" in body
    assert "We have not published any results yet" in body


def test_milestones_show_done_due_and_overdue(client, offer, officer):
    today = timezone.localdate()
    before = published.offer_with_results(organisation=offer, today=today).milestones
    leaflet = Measure.objects.get(organisation=offer, code="asb-leaflet")
    done_on = leaflet.versions.get().due_on - datetime.timedelta(days=3)
    standards_services.milestone_complete(measure=leaflet, actor=officer, done_on=done_on, evidence_note="Secret note")
    body = client.get("/performance/riverside/").content.decode()
    # The Oxford offer's dates are in 2014-16, so every other milestone is overdue by now.
    assert f"We did this on {done_on:%-d %B %Y}" in body
    assert "Overdue" in body and "is not done yet" in body
    counts = published.offer_with_results(organisation=offer, today=today).milestones
    assert counts["done"] == before["done"] + 1 and counts["overdue"] == before["overdue"] - 1
    assert f"Of these, {counts['done']} are done, {counts['due']} " in body
    # The evidence note is for staff.
    assert "Secret note" not in body


def test_a_partner_organisation_or_unknown_slug_has_no_page(client, org):
    Organisation.objects.create(name="Advice Partners", slug="advice", kind=Organisation.Kind.PARTNER)
    assert client.get("/performance/advice/").status_code == 404
    assert client.get("/performance/nobody/").status_code == 404
    assert client.get("/api/v1/performance/advice/local-offer").status_code == 404


def test_a_measure_page_only_for_the_landlords_own_measures(client, offer, other_org):
    mine = Measure.objects.get(organisation=offer, code="rep-cat2")
    theirs = MeasureFactory(organisation=other_org)
    response = client.get(f"/performance/riverside/measures/{mine.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Category 2 urgent repairs completed within 3 working days" in body
    assert "We will complete the repair within 3 working days" in body
    assert "We have not published any figures for this yet." in body
    assert client.get(f"/performance/riverside/measures/{theirs.pk}/").status_code == 404


def test_the_home_page_links_each_landlord(client, org, other_org):
    body = client.get("/").content.decode()
    assert 'href="/performance/riverside/"' in body and 'href="/performance/northgate/"' in body


def test_local_offer_csv_and_json_have_the_documented_columns(client, offer):
    response = client.get("/performance/riverside/open-data/local-offer.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert list(rows[0]) == [name for name, _ in published.OFFER_COLUMNS]
    assert len(rows) == Measure.objects.filter(organisation=offer).count()
    cat1 = next(r for r in rows if r["measure_code"] == "rep-cat1")
    assert cat1["target"] == "99.6" and cat1["unit"] == "percent" and cat1["measure_type"] == "within_timescale"
    assert cat1["promise"] == "We will respond and make the situation safe within 24 hours"
    assert cat1["timescale"] == "24 hours, reported to made safe"
    milestone = next(r for r in rows if r["measure_type"] == "milestone")
    assert milestone["milestone_status"] in ("due", "done", "overdue") and milestone["milestone_due_on"]

    body = client.get("/performance/riverside/open-data/local-offer.json").json()
    assert [c["name"] for c in body["columns"]] == [name for name, _ in published.OFFER_COLUMNS]
    assert body["publisher"] == "Riverside Homes" and len(body["data"]) == len(rows)
    first = next(r for r in body["data"] if r["measure_code"] == "rep-cat1")
    assert first["target"] == 99.6 and first["milestone_status"] is None


def test_results_files_are_empty_but_well_formed_before_any_figures(client, offer):
    response = client.get("/performance/riverside/open-data/results.csv?period=quarter")
    assert response.content.decode().splitlines() == [",".join(name for name, _ in published.RESULT_COLUMNS)]
    body = client.get("/performance/riverside/open-data/results.json").json()
    assert body["data"] == [] and body["dataset"] == "results by month"
    page = client.get("/performance/riverside/open-data/").content.decode()
    for name, _ in published.RESULT_COLUMNS + published.OFFER_COLUMNS:
        assert f"<code>{name}</code>" in page


def test_open_data_never_starts_a_cell_with_a_formula(client, org, manager):
    measure = MeasureFactory(organisation=org, name='=HYPERLINK("http://x")')
    measure.commitment.promise = "+1 more promise"
    measure.commitment.save()
    rows = _csv(client.get("/performance/riverside/open-data/local-offer.csv"))
    assert rows[0]["measure_name"] == '\'=HYPERLINK("http://x")' and rows[0]["promise"] == "'+1 more promise"


def test_the_api_serves_the_local_offer_without_a_token(client, offer):
    response = client.get("/api/v1/performance/riverside/local-offer")
    assert response.status_code == 200
    body = response.json()
    assert body["publisher"] == "Riverside Homes"
    names = [a["name"] for a in body["service_areas"]]
    assert names[0] == "Repairs"
    repairs = body["service_areas"][0]["commitments"]
    emergency = next(c for c in repairs if c["code"] == "rep-emergency")
    assert emergency["promise"] == "We will respond and make the situation safe within 24 hours"
    assert emergency["measures"][0]["target"] == 99.6 and emergency["measures"][0]["unit"] == "percent"
    measures = client.get("/api/v1/performance/riverside/measures").json()
    assert len(measures) == Measure.objects.filter(organisation=offer).count()
    milestone = next(m for m in measures if m["type"] == "milestone")
    assert milestone["milestone"]["status"] in ("due", "done", "overdue")


def test_the_api_says_when_nothing_is_published(client, offer):
    assert client.get("/api/v1/performance/riverside/results").status_code == 404
    assert client.get("/api/v1/performance/riverside/periods").json() == []
    assert client.get("/api/v1/performance/riverside/results?period=quarter&start=2025-05-01").status_code == 404
    assert client.get("/api/v1/performance/riverside/results?period=fortnight").status_code == 422
    assert client.get("/api/v1/performance/riverside/measures/no-such/trend").status_code == 404
    assert client.get("/api/v1/performance/riverside/measures/asb-leaflet/trend").status_code == 404
    trend = client.get("/api/v1/performance/riverside/measures/rep-cat1/trend").json()
    assert trend["points"] == [] and trend["unit"] == "percent"


def test_the_public_api_is_in_the_openapi_description_and_the_rest_still_needs_a_token(client, offer):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("local-offer", "measures", "periods", "results", "measures/{code}/trend"):
        assert f"/api/v1/performance/{{slug}}/{path}" in schema["paths"]
    assert "security" not in schema["paths"]["/api/v1/performance/{slug}/results"]["get"]
    assert schema["paths"]["/api/v1/residents"]["get"]["security"]
    assert client.get("/api/v1/residents").status_code == 401


# --- Periods and words ---------------------------------------------------------------------------------


def test_periods_are_whole_months_financial_quarters_and_years():
    assert Period.month(datetime.date(2025, 6, 14)) == Period(
        "month", datetime.date(2025, 6, 1), datetime.date(2025, 6, 30)
    )
    q = Period.quarter_of(datetime.date(2025, 5, 2))
    assert (q.start, q.end, q.code, q.label) == (
        datetime.date(2025, 4, 1), datetime.date(2025, 6, 30), "2025-26-Q1", "April to June 2025",
    )  # fmt: skip
    q4 = Period.quarter_of(datetime.date(2026, 2, 1))
    assert (q4.code, q4.label) == ("2025-26-Q4", "January to March 2026")
    y = Period.year_of(datetime.date(2026, 3, 31))
    assert (y.start, y.end, y.code, y.label) == (
        datetime.date(2025, 4, 1), datetime.date(2026, 3, 31), "2025-26", "April 2025 to March 2026",
    )  # fmt: skip
    assert Period.month(datetime.date(2025, 1, 1)).previous().code == "2024-12"


@given(
    st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2040, 12, 31)),
    st.sampled_from(published.PERIOD_KINDS),
)
def test_a_period_contains_its_day_and_follows_its_previous(day, kind):
    period = Period.of(kind, day)
    assert period.start <= day <= period.end
    assert period.previous().end + datetime.timedelta(days=1) == period.start
    assert Period.of(kind, period.end) == period


def test_a_result_in_plain_english():
    measure = Measure(name="Category 1 emergency repairs made safe within 24 hours", kind=Measure.Kind.WITHIN_TIMESCALE)
    june = Period.month(datetime.date(2025, 6, 1))
    text = published.sentence(
        measure=measure, period=june, numerator=97, denominator=100, value=Decimal("97.0"),
        target=Decimal("99.60"), met=False,
    )  # fmt: skip
    assert text == (
        "In June 2025, 97 out of 100 category 1 emergency repairs were made safe within 24 hours (97%). "
        "Our promise is 99.6%, so we did not keep it."
    )
    routine = Measure(name="Category 3 routine repairs completed within 28 working days", kind="within_timescale")
    assert published.sentence(
        measure=routine, period=june, numerator=1204, denominator=1210, value=Decimal("99.5"),
        target=Decimal("96.5"), met=True,
    ).startswith("In June 2025, 1,204 out of 1,210 category 3 routine repairs were completed within")  # fmt: skip
    kept = Measure(name="Appointments kept", kind="within_timescale")
    assert "3 out of 4 appointments were kept (75%)" in published.sentence(
        measure=kept, period=june, numerator=3, denominator=4, value=Decimal("75"), target=None, met=None
    )
    # Names that do not read after "97 out of 100" are put first instead.
    for name, start in (
        (
            "Category 1 ASB: contact within one working day",
            "Category 1 ASB, contact within one working day: 3 out of 4",
        ),
        ("Cases with a dedicated case officer", "Cases with a dedicated case officer: 3 out of 4 in June 2025 (75%)."),
        ("Work area left clean and tidy", "Work area left clean and tidy: 3 out of 4 in June 2025 (75%)."),
    ):
        worded = published.sentence(
            measure=Measure(name=name, kind=Measure.Kind.SAMPLE), period=june, numerator=3, denominator=4,
            value=Decimal("75"), target=None, met=None,
        )  # fmt: skip
        assert worded.startswith(start), worded
    assert (
        published.sentence(
            measure=kept, period=june, numerator=0, denominator=0, value=None, target=Decimal("99"), met=None
        )
        == "In June 2025 there was nothing to count for this."
    )


def test_a_chart_puts_the_promise_line_and_leaves_gaps(org):
    measure = Measure(name="x", kind=Measure.Kind.WITHIN_TIMESCALE)
    months = [Period.month(datetime.date(2025, m, 1)) for m in range(1, 5)]
    rows = [
        published.TrendRow(months[0], 9, 10, Decimal("90"), "90%", Decimal("99")),
        published.TrendRow(months[1], 0, 0, None, "", Decimal("99")),
        published.TrendRow(months[2], 10, 10, Decimal("100"), "100%", Decimal("97")),
        published.TrendRow(months[3], 19, 20, Decimal("95"), "95%", Decimal("97")),
    ]
    chart = published.line_chart(rows, measure=measure)
    assert chart is not None and len(chart.points) == 3 and len(chart.lines) == 2
    assert chart.ticks[-1].label == "100%" and chart.ticks[0].label.endswith("%")
    # Higher values are drawn higher (smaller y); the promise steps down from 99% to 97%.
    by_amount = {p.amount: p.y for p in chart.points}
    assert by_amount["100%"] < by_amount["95%"] < by_amount["90%"]
    (line,) = chart.target_lines
    ys = [float(xy.split(",")[1]) for xy in line.split()]
    assert len(ys) == 8 and ys[0] == ys[3] < ys[4] == ys[7]
    assert by_amount["100%"] < ys[0] < by_amount["95%"]
    assert chart.target_changed and chart.target_label == "97%"
    assert published.line_chart(rows[1:2], measure=measure, target=None) is None
