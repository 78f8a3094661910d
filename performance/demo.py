"""This app's part of the demo landlord: its operational data for the last two reporting years
(the previous one, April to March, and the current one so far), made by `performance.generate`
and loaded through the real importers, the way a landlord's housing-system exports are, then
every figure worked out by `performance_refresh`.

About 3 repairs a home a year, and ASB cases, planned works visits, HHSRS hazards, sample checks,
neighbourhood visits, stock counts and complaint counts in proportion. Most measures come out near
their targets; routine repairs and category 2 ASB contact miss theirs in some months (winter, after bank holidays, Christmas, and the
area whose contractor struggles). The landlord closes its offices between Christmas and New Year,
as many do, so those days are not working days."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.files import File
from django.utils import timezone

from core.calendar import LONDON, calendar_for
from core.imports import batch_check, batch_commit, batch_create
from core.models import ClosureDay
from people.models import Home, Tenancy, Tenure
from people.selectors import neighbourhoods
from performance import generate
from performance.services import performance_refresh
from standards.models import Measure

REPAIRS_PER_HOME_YEAR = 3.0
ASB_PER_THOUSAND_HOMES_YEAR = 42.0
VISITS_PER_HOME_YEAR = 0.07
HAZARDS_PER_HOME_YEAR = 0.025
# Checks a year of each promise measured on a sample (post-inspections, tenant inspectors' visits,
# case file reviews), per 1,000 homes.
SAMPLE_CHECKS_PER_THOUSAND_HOMES_YEAR = 40.0


def reporting_year_start(day: datetime.date) -> int:
    """The year the reporting year (1 April to 31 March) holding `day` starts in."""
    return day.year if day.month >= 4 else day.year - 1


def christmas_closures(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Weekdays between Christmas and New Year (27 to 31 December) in the years from first to last;
    the calendar skips bank holidays anyway."""
    return [
        datetime.date(year, 12, day)
        for year in range(first.year, last.year + 1)
        for day in range(27, 32)
        if datetime.date(year, 12, day).weekday() < 5
    ]


def build(*, organisation: Any, users: dict[str, Any], seed: int, now: Any) -> None:
    moment = now if isinstance(now, datetime.datetime) else timezone.now()
    local_now = timezone.localtime(moment, LONDON).replace(tzinfo=None, second=0, microsecond=0)
    today = local_now.date()
    first_year = reporting_year_start(today) - 1
    period = generate.Period(start=datetime.date(first_year, 4, 1), end=local_now)
    actor = users.get("manager") or users.get("admin")

    ClosureDay.objects.bulk_create(
        [
            ClosureDay(organisation=organisation, date=day, reason="Offices closed between Christmas and New Year")
            for day in christmas_closures(period.start, today + datetime.timedelta(days=60))
        ],
        ignore_conflicts=True,
    )
    calendar = calendar_for(organisation)
    homes = [
        (ref, area or "")
        for ref, area in Home.objects.filter(organisation=organisation)
        .order_by("reference")
        .values_list("reference", "area__name")
    ]
    if not homes:
        return
    lcho = Tenancy.objects.filter(organisation=organisation, tenure=Tenure.SHARED_OWNER).count()
    years = (today - period.start).days / 365.25
    n = len(homes)
    year_ends = [datetime.date(y, 3, 31) for y in (first_year, first_year + 1)]
    elapsed = {first_year + 1: min(1.0, (today - datetime.date(first_year + 1, 4, 1)).days / 365)}
    files: list[tuple[str, Iterable[list[str]]]] = [
        (
            "repairs",
            generate.repair_rows(
                homes=homes, period=period, calendar=calendar, jobs=round(n * REPAIRS_PER_HOME_YEAR * years), seed=seed
            ),
        ),
        (
            "asb_cases",
            generate.asb_rows(
                homes=homes,
                period=period,
                calendar=calendar,
                cases=max(1, round(n / 1000 * ASB_PER_THOUSAND_HOMES_YEAR * years)),
                seed=seed,
            ),
        ),
        (
            "planned_visits",
            generate.visit_rows(
                homes=homes,
                period=period,
                calendar=calendar,
                visits=max(1, round(n * VISITS_PER_HOME_YEAR * years)),
                seed=seed,
            ),
        ),
        (
            "hazards",
            generate.hazard_rows(
                homes=homes,
                period=period,
                calendar=calendar,
                hazards=max(1, round(n * HAZARDS_PER_HOME_YEAR * years)),
                seed=seed,
            ),
        ),
        (
            "sample_checks",
            generate.sample_check_rows(
                homes=homes,
                period=period,
                calendar=calendar,
                measures=sorted(
                    Measure.objects.filter(organisation=organisation, kind=Measure.Kind.SAMPLE).values_list(
                        "code", flat=True
                    )
                ),
                checks=max(1, round(n / 1000 * SAMPLE_CHECKS_PER_THOUSAND_HOMES_YEAR * years)),
                seed=seed,
            ),
        ),
        (
            "neighbourhood_visits",
            generate.neighbourhood_visit_rows(
                neighbourhoods=sorted(name for name, _ in neighbourhoods(organisation=organisation).values()),
                period=period,
                calendar=calendar,
                seed=seed,
            ),
        ),
        ("stock_counts", generate.stock_count_rows(homes=n, lcho_homes=lcho, as_at=year_ends, seed=seed)),
        (
            "complaint_counts",
            generate.complaint_count_rows(
                homes=n, lcho_homes=lcho, years=[first_year, first_year + 1], seed=seed, fraction=elapsed
            ),
        ),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for kind, rows in files:
            path = Path(folder) / f"{organisation.slug}-{kind.replace('_', '-')}.csv"
            generate.write_csv(path, rows)
            load(organisation=organisation, kind=kind, path=path, actor=actor)
    performance_refresh(organisation=organisation, actor=actor)


def load(*, organisation: Any, kind: str, path: Path, actor: Any) -> None:
    """One file through the import pipeline, as staff would load it (every row must be valid)."""
    with path.open("rb") as handle:
        batch = batch_create(organisation=organisation, kind=kind, file=File(handle), filename=path.name, actor=actor)
    batch = batch_check(batch=batch, actor=actor)
    if batch.invalid_rows:
        first = batch.row_errors.order_by("row_number").first()
        raise ValueError(f"The demo's {kind} file has {batch.invalid_rows} invalid rows: {first and first.messages}")
    batch_commit(batch=batch, actor=actor, valid_only=False)
