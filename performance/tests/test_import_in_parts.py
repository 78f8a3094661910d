"""A big CSV file is checked in parts on several cores (core.imports.checking); the outcome must
be exactly the serial one: the same rows in the same order, the same errors on the same row
numbers, the same repeated keys, the same notes. These tests lower the size at which a file is
split so that small files are split too."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from core.imports import batch_commit, batch_create, checking
from core.imports.readers import CsvPart, record_boundaries
from core.models import ImportBatch
from people.tests.factories import AreaFactory, HomeFactory
from performance.generate import REPAIR_HEADERS
from performance.models import RepairJob
from performance.tests.factories import RepairJobFactory
from performance.tests.importing import *  # noqa: F403  (fixtures)
from performance.tests.importing import csv_file

HEADER = list(REPAIR_HEADERS)


def job(
    ref: str, *, home: str = "H1", priority: str = "2", reported: str = "02/11/2026 10:00", **extra: str
) -> list[str]:
    row = dict.fromkeys(HEADER, "")
    row.update(
        {
            HEADER[0]: ref,
            HEADER[1]: home,
            HEADER[2]: priority,
            HEADER[3]: extra.get("description", "Dripping tap"),
            HEADER[4]: reported,
            HEADER[9]: extra.get("completed", "03/11/2026 15:00"),
        }
    )
    return list(row.values())


def rows_for_test() -> list[list[str]]:
    """Two hundred jobs with, spread through the file: bad dates, an unknown priority, homes that
    are not the landlord's, a job number repeated close by, and values with commas, quotes and
    line breaks inside them."""
    rows = []
    for n in range(200):
        ref = f"J{n:04d}"
        if n % 37 == 5:
            rows.append(job(ref, reported="31/02/2026 10:00"))
        elif n % 41 == 7:
            rows.append(job(ref, priority="9"))
        elif n % 29 == 3:
            rows.append(job(ref, home=f"GARAGE-{n}"))
        elif n % 53 == 11:
            rows.append(job(f"J{n - 1:04d}"))  # the row before's job number again
        elif n % 7 == 0:
            rows.append(job(ref, description=f'Leak, "bad" one\nunder sink {n}'))
        else:
            rows.append(job(ref))
    return rows


@pytest.fixture
def homes(org: Any) -> None:
    north = AreaFactory(organisation=org, name="North")
    HomeFactory(organisation=org, reference="H1", area=north)


@pytest.fixture
def split_small_files(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    monkeypatch.setattr(checking, "PARALLEL_CHECK_BYTES", 0)
    settings.IMPORT_CHECK_PROCESSES = 3


def _batch(org: Any, officer: Any, content: bytes) -> ImportBatch:
    from django.core.files.base import ContentFile

    return batch_create(organisation=org, kind="repairs", file=ContentFile(content), filename="jobs.csv", actor=officer)


def _check(
    org: Any, officer: Any, content: bytes, *, processes: int, settings: Any
) -> tuple[checking.CheckOutcome, list[Any]]:
    settings.IMPORT_CHECK_PROCESSES = processes
    batch = _batch(org, officer, content)
    from performance.imports import RepairJobImporter

    checked = io.StringIO()
    outcome = checking.check_rows(batch, RepairJobImporter, officer, checked, None)
    # The rows the commit will write, in order (where one chunk ends may differ).
    return outcome, [row for line in checked.getvalue().splitlines() for row in json.loads(line)]


def _content(rows: list[list[str]]) -> bytes:
    return csv_file(HEADER, rows).read()


@pytest.mark.django_db
@pytest.mark.parametrize("jobs_stored", [False, True], ids=["all new", "some already stored"])
def test_a_file_checked_in_parts_gives_exactly_the_serial_outcome(
    org, officer, offer, homes, monkeypatch, settings, jobs_stored
):
    monkeypatch.setattr(checking, "PARALLEL_CHECK_BYTES", 0)
    content = _content(rows_for_test())
    if jobs_stored:  # then every part's rows are looked up for the dry run
        RepairJobFactory(organisation=org, reference="J0150")

    serial, serial_rows = _check(org, officer, content, processes=1, settings=settings)
    split, split_rows = _check(org, officer, content, processes=3, settings=settings)

    assert serial.processes == 1 and split.processes == 3
    assert split_rows == serial_rows
    assert split.errors == serial.errors
    assert split.counts == serial.counts and split.valid == serial.valid
    assert split.counts.updated == (1 if jobs_stored else 0)
    assert split.importer.summary_notes() == serial.importer.summary_notes()
    # The test file has every kind of problem, in more than one part.
    numbers = [number for number, _, _ in serial.errors]
    assert len(numbers) > 10 and numbers[0] < 80 and numbers[-1] > 150
    assert any("is also on row" in " ".join(messages) for _, _, messages in serial.errors)
    assert "GARAGE-" in " ".join(serial.importer.summary_notes())


@pytest.mark.django_db
def test_the_batch_checked_in_parts_reports_and_imports_as_ever(org, officer, offer, homes, split_small_files):
    from core.imports import batch_check

    batch = batch_check(batch=_batch(org, officer, _content(rows_for_test())), actor=officer)

    errors = {e.row_number: e.messages for e in batch.row_errors.all()}
    # Row 1 is the header, so the job on row n + 2 is the test file's n-th.
    assert "Date reported" in errors[5 + 2][0]
    assert errors[11 + 2] == ["Job number: J0010 is also on row 12; each may appear once."]
    assert errors[171 + 2][0].startswith("Priority: “9”")
    batch = batch_commit(batch=batch, actor=officer, valid_only=True)
    assert batch.created_count == batch.valid_rows == RepairJob.objects.count()
    assert RepairJob.objects.get(reference="J0014").description == 'Leak, "bad" one\nunder sink 14'


@pytest.mark.django_db
def test_a_job_number_in_two_parts_is_found_by_checking_the_file_whole(
    org, officer, offer, homes, monkeypatch, settings
):
    monkeypatch.setattr(checking, "PARALLEL_CHECK_BYTES", 0)
    rows = [job(f"J{n:04d}") for n in range(150)]
    rows[140] = job("J0003")

    outcome, _ = _check(org, officer, _content(rows), processes=2, settings=settings)

    assert outcome.processes == 1  # fell back
    assert outcome.errors == [
        (142, outcome.errors[0][1], ["Job number: J0003 is also on row 5; each may appear once."])
    ]


@pytest.mark.django_db
def test_a_quote_inside_an_unquoted_value_makes_the_file_be_checked_whole(
    org, officer, offer, homes, monkeypatch, settings
):
    """A stray quote (5" pipe) upsets the count of quotes that finds record boundaries; the part
    that then ends inside a quoted value shows it, and the file is checked in one piece."""
    monkeypatch.setattr(checking, "PARALLEL_CHECK_BYTES", 0)
    lines = [",".join(HEADER)]
    for n in range(120):
        description = '5" pipe leaking' if n == 3 else ('"Leak\nunder sink"' if n % 2 else "Tap")
        row = job(f"J{n:04d}")
        row[3] = "§"
        lines.append(",".join(row).replace("§", description))
    content = ("\r\n".join(lines) + "\r\n").encode()

    serial, serial_rows = _check(org, officer, content, processes=1, settings=settings)
    split, split_rows = _check(org, officer, content, processes=2, settings=settings)

    assert split.processes == 1
    assert (split_rows, split.errors) == (serial_rows, serial.errors)
    assert serial.valid == 120


@pytest.mark.django_db
def test_a_forked_process_never_queries_the_database(org, officer, offer, homes, monkeypatch, settings):
    """An importer that queries while cleaning rows cannot be checked in parts: the query is
    refused in the forked process and the file is checked whole, with the same outcome."""
    from performance.imports import RepairJobImporter

    monkeypatch.setattr(checking, "PARALLEL_CHECK_BYTES", 0)
    calls = []
    clean_row = RepairJobImporter.clean_row

    def querying_clean_row(self: Any, row: dict[str, str]) -> Any:
        calls.append(RepairJob.objects.exists())
        return clean_row(self, row)

    monkeypatch.setattr(RepairJobImporter, "clean_row", querying_clean_row)
    outcome, _ = _check(org, officer, _content([job(f"J{n:04d}") for n in range(100)]), processes=2, settings=settings)

    assert outcome.processes == 1 and outcome.valid == 100


# --- Record boundaries --------------------------------------------------------------------------------

values = st.text(alphabet=st.sampled_from(list('ab ,"\n\r;é')), max_size=8)


@examples(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    records=st.lists(st.lists(values, min_size=1, max_size=4), min_size=1, max_size=40),
    fractions=st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=4),
)
def test_parts_cut_at_record_boundaries_read_as_the_whole_file(tmp_path: Path, records, fractions):
    path = tmp_path / "file.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(records)
    encoding, dialect = "utf-8-sig", csv.excel
    boundaries = record_boundaries(path, sorted(fractions))

    assert boundaries == sorted(set(boundaries)) and all(0 < b < path.stat().st_size for b in boundaries)
    whole = CsvPart(path, 0, path.stat().st_size, encoding, dialect)
    expected = [values for _, values in whole.rows()]
    whole.close()
    got = []
    for start, end in zip([0, *boundaries], [*boundaries, path.stat().st_size], strict=True):
        part = CsvPart(path, start, end, encoding, dialect)
        got.extend(values for _, values in part.rows())
        part.close()
    assert got == expected


def test_no_boundary_is_found_inside_a_quoted_value(tmp_path: Path):
    path = tmp_path / "file.csv"
    path.write_bytes(b'ref,notes\r\nA,"line one\r\nline two\r\nline three"\r\nB,x\r\n')
    middle = path.read_bytes().index(b"line two") / path.stat().st_size

    assert record_boundaries(path, [middle]) == [path.read_bytes().index(b"B,x")]
    assert record_boundaries(path, [0.99]) == []


# --- The commit of a big first load (SQLite) -------------------------------------------------------


def _stored_jobs() -> list[tuple[Any, ...]]:
    fields = [
        f.attname for f in RepairJob._meta.concrete_fields if f.attname not in ("id", "import_batch_id", "updated_at")
    ]
    return list(RepairJob.objects.order_by("reference").values_list(*fields))


def _load(org: Any, officer: Any, content: bytes) -> ImportBatch:
    from core.imports import batch_check

    batch = batch_check(batch=_batch(org, officer, content), actor=officer)
    return batch_commit(batch=batch, actor=officer, valid_only=True)


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Lets a small first load be written with a forked process, and counts the forks."""
    from performance import imports

    made: list[int] = []
    real = imports.Forked

    def counted(produce: Any) -> Any:
        made.append(1)
        return real(produce)

    monkeypatch.setattr(imports, "FORK_COMMIT_ROWS", 0)
    monkeypatch.setattr(imports, "Forked", counted)
    return made


@pytest.mark.django_db
def test_a_first_load_written_with_a_forked_process_stores_exactly_the_same_records(
    org, officer, offer, homes, settings, forks
):
    content = _content(rows_for_test())
    settings.IMPORT_CHECK_PROCESSES = 1
    serial = _load(org, officer, content)
    expected = _stored_jobs()
    RepairJob.objects.all().delete()
    assert not forks

    settings.IMPORT_CHECK_PROCESSES = 2
    forked = _load(org, officer, content)

    assert _stored_jobs() == expected and len(expected) == serial.created_count == forked.created_count
    assert forks == ([1] if connection.vendor == "sqlite" else [])  # PostgreSQL streams into COPY instead


@pytest.mark.django_db
def test_when_the_forked_process_fails_the_rows_are_written_the_usual_way(
    org, officer, offer, homes, settings, forks, monkeypatch
):
    from performance.imports import RepairJobImporter

    settings.IMPORT_CHECK_PROCESSES = 2
    parent = os.getpid()
    values = RepairJobImporter.values

    def fails_when_forked(self: Any, *args: Any) -> Any:
        if os.getpid() != parent:
            raise RuntimeError("out of memory")
        return values(self, *args)

    monkeypatch.setattr(RepairJobImporter, "values", fails_when_forked)
    batch = _load(org, officer, _content([job(f"J{n:04d}") for n in range(120)]))

    assert batch.created_count == RepairJob.objects.count() == 120
    assert RepairJob.objects.filter(due_rule__isnull=False).count() == 120
    assert forks == ([1] if connection.vendor == "sqlite" else [])
