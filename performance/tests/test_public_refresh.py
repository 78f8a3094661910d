"""From stored repairs jobs to the public page: performance_refresh works out the figures, and
the public page, open data and API say exactly what they show (the `offer` fixture of
performance/tests/conftest.py: category 2 in May 2025, 3 jobs on time and 2 late in North)."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.django_db

SENTENCE = (
    "In May 2025, 3 out of 5 category 2 urgent repairs were completed within 3 working days (60%). "
    "Our promise is 99%, so we did not keep it."
)


def test_refreshed_figures_reach_the_public_page_open_data_and_api(client, offer):
    body = client.get("/performance/riverside/").content.decode()
    assert SENTENCE in body
    assert "These are our figures for <strong>May 2025</strong>" in body

    page = client.get(f"/performance/riverside/measures/{offer.cat2.pk}/").content.decode()
    assert ">May 2025</th>" in page and ">60%<" in page
    # The job still open and past due is not counted, and no job reference is shown.
    assert "OPEN1" not in page and "LATE0" not in page

    rows = list(
        csv.DictReader(io.StringIO(client.get("/performance/riverside/open-data/results.csv").content.decode()))
    )
    row = next(r for r in rows if r["measure_code"] == "rep-cat2" and r["period"] == "2025-05")
    assert (row["numerator"], row["denominator"], row["value"], row["target"], row["met"]) == (
        "3",
        "5",
        "60",
        "99",
        "false",
    )

    api = client.get("/api/v1/performance/riverside/results?period=month&start=2025-05-01").json()
    result = next(r for r in api["results"] if r["measure_code"] == "rep-cat2")
    assert result["sentence"] == SENTENCE
