"""The benchmark's DuckDB reference (bench/performance_reference.py) against Involve's own rules
(core.calendar and standards.selectors.Timescale.due_at) on small generated files: the two are
written independently, so this checks both, and shows the benchmark's cross-check can fail."""

from __future__ import annotations

import csv
import datetime
import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from core.calendar import LONDON, ReceiptRule, WorkingCalendar, holidays_for
from performance import generate as g
from standards.selectors import Timescale

pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("performance_reference", ROOT / "bench" / "performance_reference.py")
assert _spec and _spec.loader
reference = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = reference  # dataclasses look their module up there
_spec.loader.exec_module(reference)

AREAS = {"North": 11, "South": 12, "East": 13}
HOMES = [(f"RH{i:05d}", list(AREAS)[i % 3]) for i in range(1, 400)]
PERIOD = g.Period(datetime.date(2025, 1, 1), datetime.datetime(2026, 4, 20, 12, 0))
CLOSURES = [datetime.date(2025, 12, 29), datetime.date(2025, 12, 30), datetime.date(2025, 12, 31)]
STARTS = datetime.date(2025, 2, 1)
# (measure id, position, category, starts_on, ends_on, effective_from, amount, unit)
TIMESCALES = [
    (101, 1, "1", STARTS, None, STARTS, 24, "hours"),
    (102, 2, "2", STARTS, None, STARTS, 3, "working_days"),
    # Category 2's timescale was tightened to 2 working days from 1 October 2025 (a second version).
    (102, 2, "2", STARTS, None, datetime.date(2025, 10, 1), 2, "working_days"),
    (103, 3, "3", STARTS, datetime.date(2026, 3, 31), STARTS, 28, "working_days"),
]

EDGES = [
    # 23.5 real hours (the clocks went forward overnight): on time, though 24.5 by the clock.
    ("28/03/2026 12:00", "29/03/2026 12:30"),
    # 24.5 real hours (the clocks went back): late, though 23.5 by the clock.
    ("25/10/2025 12:00", "26/10/2025 11:30"),
    # Exactly 24 hours: on time.
    ("14/11/2025 17:00", "15/11/2025 17:00"),
]


def _files(tmp_path: Path, jobs: int, seed: int) -> dict[str, Path]:
    calendar = WorkingCalendar([*holidays_for("england-and-wales", range(2024, 2028)), *CLOSURES])
    paths = {name: tmp_path / f"{name}.csv" for name in ("repairs", "homes", "closed", "timescales")}
    g.write_csv(paths["repairs"], g.repair_rows(homes=HOMES, period=PERIOD, calendar=calendar, jobs=jobs, seed=seed))
    with paths["repairs"].open("a", newline="") as f:
        # Emergencies across the clock changes: 24 hours is elapsed time, not wall-clock time.
        w = csv.writer(f)
        for n, (reported, completed) in enumerate(EDGES, start=1):
            w.writerow(
                [f"EDGE{n}", HOMES[0][0], "1", "Leak", reported, "", "", "", "", completed, "Y", "N", "", "", "", "Y"]
            )
    with paths["homes"].open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["reference", "area_id"])
        # One home has no area, and the jobs of homes not listed have none either.
        w.writerows([ref, AREAS[area] if n % 50 else ""] for n, (ref, area) in enumerate(HOMES[:-5]))
    with paths["closed"].open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["date"])
        w.writerows([d.isoformat()] for d in sorted(calendar.non_working_dates))
    with paths["timescales"].open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["measure_id", "position", "category", "starts_on", "ends_on", "effective_from", "amount", "unit"])
        for row in TIMESCALES:
            w.writerow([x.isoformat() if isinstance(x, datetime.date) else ("" if x is None else x) for x in row])
    return paths


def _python_figures(paths: dict[str, Path], rule: ReceiptRule) -> dict:
    calendar = WorkingCalendar([*holidays_for("england-and-wales", range(2024, 2028)), *CLOSURES], rule=rule)
    with paths["homes"].open() as f:
        area_of = {r["reference"]: (int(r["area_id"]) if r["area_id"] else None) for r in csv.DictReader(f)}
    figures: dict = defaultdict(lambda: [0, 0])
    with paths["repairs"].open() as f:
        for job in csv.DictReader(f):
            if job["Cancelled"] == "Y" or not job["Date Completed"]:
                continue
            reported = datetime.datetime.strptime(job["Date Reported"], "%d/%m/%Y %H:%M").replace(tzinfo=LONDON)
            completed = datetime.datetime.strptime(job["Date Completed"], "%d/%m/%Y %H:%M").replace(tzinfo=LONDON)
            day = reported.date()
            found = None
            for mid, _position, cat, starts, ends, effective, amount, unit in TIMESCALES:
                if cat != job["Priority"] or day < starts or (ends and day > ends) or effective > day:
                    continue
                found = Timescale(amount, unit, "reported", "completed", "within", mid, str(mid), 0, effective)
            if found is None:
                continue
            on_time = completed <= found.due_at(reported, calendar)
            key = (found.measure_id, f"{completed:%Y-%m}-01", area_of.get(job["Property Reference"]), job["Priority"])
            figures[key][0] += on_time
            figures[key][1] += 1
    return {k: tuple(v) for k, v in figures.items()}


@pytest.mark.parametrize(
    ("rule", "closes"),
    [
        (ReceiptRule(), "17:00"),
        (ReceiptRule(office_closes=datetime.time(16, 30), receipt_day_is_day_zero=False), "16:30"),
    ],
)
def test_duckdb_reference_agrees_with_the_calendar(tmp_path, rule, closes):
    paths = _files(tmp_path, jobs=6000, seed=11)
    expected = _python_figures(paths, rule)
    got = reference.duckdb_figures(
        repairs_csv=paths["repairs"],
        homes_csv=paths["homes"],
        closed_csv=paths["closed"],
        timescales_csv=paths["timescales"],
        office_closes=closes,
        receipt_day_is_day_zero=rule.receipt_day_is_day_zero,
    )
    assert reference.compare(expected, got.figures) == []
    # Enough variety that agreeing means something: every measure, misses, no-area rows,
    # the second version and the end of category 3's measure.
    assert {k[0] for k in got.figures} == {101, 102, 103}
    assert sum(d - n for n, d in got.figures.values()) > 20
    assert any(k[2] is None for k in got.figures)
    assert not any(k[0] == 103 and k[1] < "2025-02-01" for k in got.figures)
    assert got.figures[(101, "2026-03-01", 11, "1")] == expected[(101, "2026-03-01", 11, "1")]


def test_compare_reports_a_difference(tmp_path):
    paths = _files(tmp_path, jobs=800, seed=5)
    got = reference.duckdb_figures(
        repairs_csv=paths["repairs"],
        homes_csv=paths["homes"],
        closed_csv=paths["closed"],
        timescales_csv=paths["timescales"],
    )
    ours = dict(got.figures)
    key = next(iter(ours))
    numerator, denominator = ours[key]
    ours[key] = (numerator, denominator + 1)
    problems = reference.compare(ours, got.figures)
    assert len(problems) == 1 and f"ours {numerator}/{denominator + 1}" in problems[0]
    # Forgetting the closure days (treating them as working days) is caught.
    paths["closed"].write_text(
        "date\n"
        + "\n".join(
            d.isoformat() for d in sorted(holidays_for("england-and-wales", range(2024, 2028))) if d not in CLOSURES
        )
        + "\n"
    )
    without = reference.duckdb_figures(
        repairs_csv=paths["repairs"],
        homes_csv=paths["homes"],
        closed_csv=paths["closed"],
        timescales_csv=paths["timescales"],
    )
    assert without.figures != got.figures
