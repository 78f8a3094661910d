"""The repairs figure of the contract, worked out by DuckDB straight from the housing system's CSV:
an independent reference for `performance.services.performance_refresh`.

Nothing here uses Involve's code. Its inputs are data only:

* the repairs CSV as the housing system wrote it (UK local times, dd/mm/yyyy HH:MM);
* homes.csv: property reference → area id;
* closed.csv: the landlord's non-working dates (bank holidays and closure days), as stored;
* timescales.csv: for each repairs measure that sets a job's due moment, its categories, the
  dates it runs and its versions (effective from, amount, unit), in the order the offer lists
  them;
* the landlord's receipt rule: office closing time and whether the receipt day is day 0.

The rules are written again here in SQL, so agreeing with the stored figures really checks the
Python calendar arithmetic: weekends and non-working dates; the receipt rule (a report at or
after closing time, or on a non-working day, counts from the next working day); day 0 or day 1;
due at the end of the due day; and 24 hours for category 1 as elapsed time, across clock
changes (the local times are turned into instants by DuckDB's own time-zone data).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

Key = tuple[int, str, int | None, str]  # (measure id, "YYYY-MM-01", area id, category)


@dataclass
class Reference:
    figures: dict[Key, tuple[int, int]]  # key -> (numerator, denominator)
    load_seconds: float
    query_seconds: float

    @property
    def seconds(self) -> float:
        return self.load_seconds + self.query_seconds


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def duckdb_figures(
    *,
    repairs_csv: Path,
    homes_csv: Path,
    closed_csv: Path,
    timescales_csv: Path,
    office_closes: str = "17:00",
    receipt_day_is_day_zero: bool = True,
    threads: int | None = None,
) -> Reference:
    import duckdb

    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    con.execute("SET TimeZone = 'UTC'")
    started = time.perf_counter()
    con.execute(
        f"""
        CREATE TABLE jobs AS
        SELECT "Job Number" AS job,
               trim("Property Reference") AS home,
               trim("Priority") AS category,
               strptime("Date Reported", '%d/%m/%Y %H:%M') AS reported,
               CASE WHEN trim("Date Completed") = '' THEN NULL
                    ELSE strptime("Date Completed", '%d/%m/%Y %H:%M') END AS completed,
               coalesce(upper(trim("Cancelled")) = 'Y', false) AS cancelled
        FROM read_csv({_quote(repairs_csv)}, header = true, all_varchar = true)
        """
    )
    con.execute(
        f"CREATE TABLE homes AS SELECT reference, try_cast(area_id AS BIGINT) AS area_id "
        f"FROM read_csv({_quote(homes_csv)}, header = true, all_varchar = true)"
    )
    con.execute(
        f"CREATE TABLE closed AS SELECT DISTINCT CAST(date AS DATE) AS day "
        f"FROM read_csv({_quote(closed_csv)}, header = true, all_varchar = true)"
    )
    con.execute(
        f"""
        CREATE TABLE timescales AS
        SELECT CAST(measure_id AS BIGINT) AS measure_id, CAST(position AS INTEGER) AS position,
               nullif(category, '') AS category, CAST(starts_on AS DATE) AS starts_on,
               CAST(nullif(ends_on, '') AS DATE) AS ends_on, CAST(effective_from AS DATE) AS effective_from,
               coalesce(try_cast(amount AS INTEGER), 0) AS amount, unit
        FROM read_csv({_quote(timescales_csv)}, header = true, all_varchar = true)
        """
    )
    loaded = time.perf_counter()
    hh, mm = (int(x) for x in office_closes.split(":")[:2])
    extra = "0" if receipt_day_is_day_zero else "-1"
    rows = con.execute(
        f"""
        WITH bounds AS (
            SELECT min(CAST(reported AS DATE)) - 10 AS first_day,
                   greatest(max(CAST(reported AS DATE)), max(CAST(completed AS DATE))) + 500 AS last_day
            FROM jobs
        ),
        -- Every day, whether it is a working day, and how many working days there are up to it.
        days AS (
            SELECT d.day,
                   isodow(d.day) <= 5 AND d.day NOT IN (SELECT day FROM closed) AS working
            FROM (SELECT CAST(unnest(generate_series(first_day, last_day, INTERVAL 1 DAY)) AS DATE) AS day
                  FROM bounds) d
        ),
        numbered AS (
            SELECT day, working, sum(CAST(working AS INTEGER)) OVER (ORDER BY day) AS upto FROM days
        ),
        working_days AS (SELECT upto AS n, day FROM numbered WHERE working),
        -- The timescale in force for each category and local date reported: measures that cover
        -- the category and the date, each at its latest version from on or before that date; the
        -- first measure in the offer's order whose version has an amount. (Worked out per day, not
        -- per job: a few thousand rows.)
        job_days AS (SELECT DISTINCT category, CAST(reported AS DATE) AS day FROM jobs),
        versions AS (
            SELECT d.category, d.day, t.measure_id, t.position, t.amount, t.unit,
                   row_number() OVER (
                       PARTITION BY d.category, d.day, t.measure_id ORDER BY t.effective_from DESC
                   ) AS latest
            FROM job_days d
            JOIN timescales t
              ON (t.category IS NULL OR t.category = d.category)
             AND d.day >= t.starts_on
             AND (t.ends_on IS NULL OR d.day <= t.ends_on)
             AND t.effective_from <= d.day
        ),
        chosen AS (
            SELECT category, day, measure_id, amount, unit FROM (
                SELECT *, row_number() OVER (PARTITION BY category, day ORDER BY position, measure_id) AS pick
                FROM versions WHERE latest = 1 AND amount > 0
            ) WHERE pick = 1
        ),
        placed AS (
            SELECT j.job, j.category, j.reported, j.completed, h.area_id, c.measure_id, c.amount, c.unit,
                   -- The working day the due date counts from (receipt rule), then the due day's number.
                   CASE WHEN r.working AND (hour(j.reported) * 60 + minute(j.reported)) < {hh * 60 + mm}
                        THEN r.upto ELSE r.upto + 1 END + greatest(c.amount + {extra}, 0) AS due_n
            FROM jobs j
            JOIN chosen c ON c.category = j.category AND c.day = CAST(j.reported AS DATE)
            JOIN numbered r ON r.day = CAST(j.reported AS DATE)
            LEFT JOIN homes h ON h.reference = j.home
            WHERE NOT j.cancelled AND j.completed IS NOT NULL
        ),
        judged AS (
            SELECT p.measure_id, p.area_id, p.category,
                   CAST(date_trunc('month', p.completed) AS DATE) AS month,
                   CASE p.unit
                       -- Elapsed hours: local wall-clock times made into instants, then compared.
                       WHEN 'hours' THEN timezone('Europe/London', p.completed)
                                         <= timezone('Europe/London', p.reported) + to_hours(p.amount)
                       -- Working days: due at the end of the due day.
                       WHEN 'working_days' THEN CAST(p.completed AS DATE) <= w.day
                       -- Calendar days from the local date reported, to the end of the due day.
                       ELSE CAST(p.completed AS DATE) <= CAST(p.reported AS DATE) + p.amount
                   END AS on_time
            FROM placed p
            LEFT JOIN working_days w ON p.unit = 'working_days' AND w.n = p.due_n
        )
        SELECT measure_id, strftime(month, '%Y-%m-%d') AS month, area_id, category,
               count_if(on_time) AS numerator, count(*) AS denominator
        FROM judged
        GROUP BY ALL
        """
    ).fetchall()
    finished = time.perf_counter()
    con.close()
    return Reference(
        figures={(m, month, area, cat): (num, den) for m, month, area, cat, num, den in rows},
        load_seconds=loaded - started,
        query_seconds=finished - loaded,
    )


def compare(ours: dict[Key, tuple[int, int]], reference: dict[Key, tuple[int, int]]) -> list[str]:
    """Every key where the two disagree, described; empty when they agree exactly."""
    problems = []
    for key in sorted(set(ours) | set(reference), key=lambda k: (k[0], k[1], k[2] or 0, k[3])):
        a, b = ours.get(key, (0, 0)), reference.get(key, (0, 0))
        if a != b:
            measure, month, area, category = key
            problems.append(
                f"measure {measure} {month} area {area} category {category}: ours {a[0]}/{a[1]}, DuckDB {b[0]}/{b[1]}"
            )
    return problems
