"""Objects the role-matrix test (core/tests/test_role_matrix.py) and the accessibility sweep visit
the tsm URLs with: a small published dataset and this organisation's place in it, so the pages
show real tables rather than the 'load the dataset first' text; and a few records and counts for
the latest reporting year that has ended, so the TSM return shows values as well as gaps."""

from __future__ import annotations

from datetime import date
from typing import Any


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    from performance.models import Stock
    from tsm.returns import year_choices
    from tsm.tests import return_records as rec
    from tsm.tests.factories import make_dataset

    make_dataset(organisation=org)
    year = year_choices()[1]
    year_end = date(year + 1, 3, 31)
    rec.stock_count(org, as_at=year_end, item="homes", total=1200)
    rec.stock_count(org, as_at=year_end, item="homes", total=80, stock=Stock.LCHO)
    rec.stock_count(org, as_at=year_end, item="bs01", total=1000, count=996)
    rec.repairs(org, year=year, completed=12, on_time=11)
    rec.repairs(org, year=year, completed=3, on_time=3, emergency=True)
    rec.asb_cases(org, year=year, cases=9, hate=1)
    rec.complaints(org, year=year, stage=1, received=30, in_time=26, in_time_extended=2)
    return {"measure": "TP01"}
