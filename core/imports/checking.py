"""The check's pass over a file: every row cleaned (by the importer's form or its clean_row),
every bad row and every repeated key reported, and the clean rows handed on in chunks.

A big CSV file cleaned by `clean_row` is checked on several cores: the file is cut at record
boundaries into parts, this process checks the first and forked processes the others, each
writing its chunks to a file of its own; this process then adds the others' errors, repeated keys
and chunks after its own, so the outcome (rows, errors, row numbers, order) is exactly the serial
one. A forked process never touches the database (nothing the check needs from it is read after
the importer's `prepare`); a part that fails in any way, or a key repeated across two parts, makes
the whole file be checked serially instead, which gives the person the usual messages.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from django.core.serializers.json import DjangoJSONEncoder

from core.imports.base import CommitCounts, Importer, RowError
from core.imports.forked import Forked, ForkFailed, processes
from core.imports.readers import CsvPart, Table, csv_format, open_table, record_boundaries

Progress = Callable[[int], None]
OnError = Callable[[int, dict[str, str], list[str]], None]
OnDuplicate = Callable[[int, dict[str, str], Any, int], None]

# Files smaller than this are checked in one process: forking costs more than it saves.
PARALLEL_CHECK_BYTES = 8 * 1024 * 1024
# This process also checks the other parts' chunks against the database after reading them back,
# so it takes a smaller share of the file.
OWN_SHARE = 0.95


def duplicate_message(key_label: str, key: Any, seen: int) -> str:
    shown = " ".join(str(k) for k in key) if isinstance(key, tuple) else key
    return f"{key_label}: {shown} is also on row {seen}; each may appear once."


def _chunk_line(chunk: list[Any]) -> str:
    return json.dumps(chunk, cls=DjangoJSONEncoder, separators=(",", ":")) + "\n"


@dataclass
class CheckOutcome:
    """What the check found: the clean rows' count, the bad rows, what importing would do."""

    importer: Importer
    valid: int = 0
    errors: list[tuple[int, dict[str, str], list[str]]] = field(default_factory=list)
    counts: CommitCounts = field(default_factory=CommitCounts)
    processes: int = 1

    def error(self, number: int, raw: dict[str, str], messages: list[str]) -> None:
        self.errors.append((number, raw, messages))


class _Sink:
    """Takes each chunk of clean rows: writes it to the checked file and works out, without
    writing, what importing it would do."""

    def __init__(self, outcome: CheckOutcome, checked: TextIO, progress: Progress | None) -> None:
        self.outcome = outcome
        self.checked = checked
        self.progress = progress

    def chunk(self, chunk: list[Any], line: str | None = None) -> None:
        outcome = self.outcome
        outcome.valid += len(chunk)
        # Written before the dry run, in case an importer adds to the rows it is given.
        self.checked.write(line if line is not None else _chunk_line(chunk))
        outcome.counts.add(outcome.importer.commit_chunk(chunk, dry_run=True))
        if self.progress:
            self.progress(outcome.valid + len(outcome.errors))


def _chunks(rows: Iterator[tuple[int, Any]], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for _, row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def open_batch_table(batch: Any, importer: type[Importer]) -> Table:
    from core.imports.pipeline import expected_headers

    return open_table(Path(batch.file.path), expected_headers(importer), header_row=batch.header_row)


def check_rows(
    batch: Any, importer_class: type[Importer], actor: Any, checked: TextIO, progress: Progress | None
) -> CheckOutcome:
    """Clean every row of the batch's file into `checked` (one JSON list of rows per line)."""
    if _can_split(batch, importer_class):
        outcome = _check_in_parts(batch, importer_class, actor, checked, progress)
        if outcome is not None:
            return outcome
        checked.seek(0)
        checked.truncate()
    outcome = CheckOutcome(importer=importer_class(organisation=batch.organisation, actor=actor, batch=batch))
    sink = _Sink(outcome, checked, progress)
    for chunk in _chunks(_validated_rows(batch, outcome), importer_class.chunk_size):
        sink.chunk(chunk)
    return outcome


# --- One process -----------------------------------------------------------------------------------


def _validated_rows(batch: Any, outcome: CheckOutcome) -> Iterator[tuple[int, Any]]:
    """Clean every row with the importer's form or its clean_row; report each bad row with every reason."""
    importer = outcome.importer
    table = open_batch_table(batch, type(importer))
    try:
        if importer.row_form is None:
            importer.prepare()
            label = importer.key_label()
            yield from clean_numbered_rows(
                table.rows,
                table.headers,
                batch.mapping,
                importer,
                on_error=outcome.error,
                on_duplicate=lambda n, raw, key, seen: outcome.error(n, raw, [duplicate_message(label, key, seen)]),
                first_seen={},
            )
        else:
            yield from _form_rows(table, batch.mapping, importer, outcome.error)
    finally:
        table.close()


def _form_rows(
    table: Table, mapping: dict[str, str], importer: Importer, on_error: OnError
) -> Iterator[tuple[int, Any]]:
    form_class = importer.row_form
    assert form_class is not None
    labels = {c.name: c.label for c in importer.columns}
    used = {name: header for name, header in mapping.items() if header}
    key_field = importer.key_field
    first_seen: dict[Any, int] = {}
    # One form, bound afresh to each row: constructing a form deep-copies every field and widget,
    # which was half the time of checking a 100,000-row file. So a row form must keep no state
    # between rows (full_clean starts each row with new errors and cleaned_data).
    form = form_class(data={}, **importer.form_kwargs())
    for number, raw in table.dict_rows():
        form.data = {name: raw.get(header, "") for name, header in used.items()}
        form._errors = None  # type: ignore[attr-defined]
        if not form.is_valid():
            messages: list[str] = []
            for field_name, errors in form.errors.items():
                prefix = "" if field_name == "__all__" else f"{labels.get(field_name, field_name)}: "
                messages.extend(prefix + str(e) for e in errors)
            on_error(number, raw, messages)
            continue
        key = form.cleaned_data[key_field]
        if key in first_seen:
            on_error(number, raw, [duplicate_message(labels[key_field], key, first_seen[key])])
            continue
        first_seen[key] = number
        yield number, form.cleaned_data


def clean_numbered_rows(
    rows: Iterator[tuple[int, list[str]]],
    headers: list[str],
    mapping: dict[str, str],
    importer: Importer,
    *,
    on_error: OnError,
    on_duplicate: OnDuplicate,
    first_seen: dict[Any, int],
) -> Iterator[tuple[int, Any]]:
    """The fast path: the importer's plain-Python clean_row on {column: text} for each row.
    `first_seen` collects each key with the number of the row it was first on."""
    width = len(headers)
    pairs = [(name, headers.index(header)) for name, header in mapping.items() if header in headers]
    clean = importer.clean_row
    row_key = importer.row_key
    for number, values in rows:
        if len(values) < width:
            values = [*values, *([""] * (width - len(values)))]
        try:
            cleaned = clean({name: values[i].strip() for name, i in pairs})
        except RowError as exc:
            on_error(number, {h: values[i].strip() for i, h in enumerate(headers)}, exc.messages)
            continue
        key = row_key(cleaned)
        seen = first_seen.setdefault(key, number)
        if seen != number:
            on_duplicate(number, {h: values[i].strip() for i, h in enumerate(headers)}, key, seen)
            continue
        yield number, cleaned


# --- Several processes -------------------------------------------------------------------------------


def _can_split(batch: Any, importer_class: type[Importer]) -> bool:
    if importer_class.row_form is not None or processes() < 2:
        return False
    path = Path(batch.file.path)
    if path.stat().st_size < PARALLEL_CHECK_BYTES:
        return False
    with path.open("rb") as handle:
        return handle.read(4) != b"PK\x03\x04"  # not a workbook


@dataclass
class _PartResult:
    """What a forked process sends back about its part (row numbers counted within the part)."""

    records: int
    rows: int
    errors: list[tuple[int, dict[str, str], list[str]]]
    duplicates: list[tuple[int, dict[str, str], Any, int]]
    keys: dict[Any, int]
    state: Any


def _check_part(
    importer: Importer,
    path: Path,
    start: int,
    end: int,
    file_format: tuple[str, Any],
    headers: list[str],
    mapping: dict[str, str],
    out: Path,
) -> Iterator[_PartResult]:
    """In a forked process: clean one part into `out`, and say what was found."""
    part = CsvPart(path, start, end, *file_format)
    try:
        errors: list[tuple[int, dict[str, str], list[str]]] = []
        duplicates: list[tuple[int, dict[str, str], Any, int]] = []
        keys: dict[Any, int] = {}
        rows = clean_numbered_rows(
            part.rows(),
            headers,
            mapping,
            importer,
            on_error=lambda n, raw, messages: errors.append((n, raw, messages)),
            on_duplicate=lambda n, raw, key, seen: duplicates.append((n, raw, key, seen)),
            first_seen=keys,
        )
        clean = 0
        with out.open("w", encoding="utf-8") as handle:
            for chunk in _chunks(rows, importer.chunk_size):
                handle.write(_chunk_line(chunk))
                clean += len(chunk)
        yield _PartResult(part.records, clean, errors, duplicates, keys, importer.check_state())
    finally:
        part.close()


def _check_in_parts(
    batch: Any, importer_class: type[Importer], actor: Any, checked: TextIO, progress: Progress | None
) -> CheckOutcome | None:
    """The outcome of checking the file in parts, or None when it must be checked in one piece."""
    path = Path(batch.file.path)
    file_format = csv_format(path)
    count = processes()
    others = [OWN_SHARE / count + (1 - OWN_SHARE / count) * k / (count - 1) for k in range(count - 1)]
    boundaries = record_boundaries(path, others)
    if not boundaries:
        return None
    table = open_batch_table(batch, importer_class)
    headers, header_row = table.headers, table.header_row
    table.close()
    importer = importer_class(organisation=batch.organisation, actor=actor, batch=batch)
    importer.prepare()  # before the fork: the forked processes use what it read
    outcome = CheckOutcome(importer=importer, processes=len(boundaries) + 1)
    ends = [*boundaries, path.stat().st_size]
    workdir = Path(tempfile.mkdtemp(prefix=path.name + ".parts-", dir=path.parent))  # beside the upload
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        children: list[tuple[Forked, Path]] = []
        for start, end in zip(boundaries, ends[1:], strict=True):
            out = workdir / f"part-{start}.jsonl"
            part = functools.partial(_check_part, importer, path, start, end, file_format, headers, batch.mapping, out)
            children.append((stack.enter_context(Forked(part)), out))

        # This process's own part, exactly as the serial check does it.
        first_seen: dict[Any, int] = {}
        label = importer.key_label()
        sink = _Sink(outcome, checked, progress)
        own = CsvPart(path, 0, boundaries[0], *file_format)
        try:
            rows = ((n, values) for n, values in own.rows() if n > header_row)
            cleaned = clean_numbered_rows(
                rows,
                headers,
                batch.mapping,
                importer,
                on_error=outcome.error,
                on_duplicate=lambda n, raw, key, seen: outcome.error(n, raw, [duplicate_message(label, key, seen)]),
                first_seen=first_seen,
            )
            for chunk in _chunks(cleaned, importer_class.chunk_size):
                sink.chunk(chunk)
        except csv.Error:
            return None
        finally:
            own.close()
        offset = own.records

        for child, out in children:
            try:
                (result,) = list(child)
            except ForkFailed:
                return None
            for key, number in result.keys.items():
                if first_seen.setdefault(key, number + offset) != number + offset:
                    return None  # the same key in two parts: the serial check reports it properly
            for number, raw, messages in result.errors:
                outcome.error(number + offset, raw, messages)
            for number, raw, key, seen in result.duplicates:
                outcome.error(number + offset, raw, [duplicate_message(label, key, seen + offset)])
            importer.absorb_check_state(result.state)
            with out.open(encoding="utf-8") as handle:
                if importer.all_new():
                    shutil.copyfileobj(handle, checked, 1 << 20)  # all new: nothing to look up for the dry run
                    outcome.valid += result.rows
                    outcome.counts.created += result.rows
                    if progress:
                        progress(outcome.valid + len(outcome.errors))
                else:
                    for line in handle:
                        sink.chunk(json.loads(line), line)
            offset += result.records
        outcome.errors.sort(key=lambda error: error[0])  # each part's after the parts before it
        return outcome
