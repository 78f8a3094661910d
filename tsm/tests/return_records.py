"""Records and counts for TSM return tests, made in bulk (one INSERT per batch)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

from performance.models import AsbCase, ComplaintCount, RepairJob, Stock, StockCount

_refs = itertools.count(1)
MID_YEAR = (6, 15)  # 15 June: inside the reporting year whatever the clocks do


def mid_year(year_starting: int) -> datetime:
    return datetime(year_starting, *MID_YEAR, 12, 0, tzinfo=UTC)


def repairs(
    organisation: Any,
    *,
    year: int,
    completed: int,
    on_time: int,
    emergency: bool = False,
    completed_at: datetime | None = None,
    stock: str = Stock.LCRA,
    **fields: Any,
) -> list[RepairJob]:
    """`completed` jobs completed in the reporting year starting `year`, `on_time` of them on time."""
    assert 0 <= on_time <= completed
    done = completed_at or mid_year(year)
    jobs = [
        RepairJob(
            organisation=organisation,
            reference=f"J{next(_refs)}",
            category="1" if emergency else "3",
            emergency=emergency,
            stock=stock,
            reported_at=done - timedelta(days=2),
            completed_at=done,
            due_at=done + timedelta(hours=1) if i < on_time else done - timedelta(hours=1),
            on_time=i < on_time,
            **fields,
        )
        for i in range(completed)
    ]
    return RepairJob.objects.bulk_create(jobs, batch_size=5000)


def asb_cases(
    organisation: Any,
    *,
    year: int,
    cases: int,
    hate: int = 0,
    reported_at: datetime | None = None,
    stock: str = Stock.LCRA,
) -> list[AsbCase]:
    """`cases` ASB cases reported in the reporting year starting `year`, `hate` of them hate incidents."""
    assert 0 <= hate <= cases
    when = reported_at or mid_year(year)
    made = [
        AsbCase(
            organisation=organisation,
            reference=f"A{next(_refs)}",
            category="2",
            hate_incident=i < hate,
            stock=stock,
            reported_at=when,
        )
        for i in range(cases)
    ]
    return AsbCase.objects.bulk_create(made, batch_size=5000)


def stock_count(
    organisation: Any, *, as_at: date, item: str, total: int, count: int | None = None, stock: str = Stock.LCRA
) -> StockCount:
    return StockCount.objects.create(
        organisation=organisation,
        as_at=as_at,
        item=item,
        stock=stock,
        total=total,
        count=total if count is None else count,
    )


def complaints(
    organisation: Any,
    *,
    year: int,
    stage: int,
    received: int,
    in_time: int,
    in_time_extended: int = 0,
    stock: str = Stock.LCRA,
    answered: int | None = None,
) -> ComplaintCount:
    return ComplaintCount.objects.create(
        organisation=organisation,
        year_starting=year,
        stock=stock,
        stage=stage,
        received=received,
        answered=received if answered is None else answered,
        in_time=in_time,
        in_time_extended=in_time_extended,
    )
