"""Services of the import pipeline. Each owns its transaction."""

from __future__ import annotations

import contextlib
import csv
import datetime
import decimal
import hashlib
import io
import json
import operator
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from core.imports.base import Importer, get_importer, normalise_header
from core.imports.checking import Progress, check_rows
from core.imports.readers import open_table
from core.models import ColumnMapping, ImportBatch, ImportRowError


class ImportError_(Exception):
    """An import that cannot go ahead, with a message for the person running it."""


# Values of these field types go to the database as they are; any other type goes through its
# field's get_db_prep_save (dates, times, JSON, decimals, UUIDs).
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "EmailField",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
    }
)


def bulk_insert(objs: list[Any], *, batch_size: int = 1000) -> None:
    """Insert new model instances (all of one model) and set their primary keys: bulk_create's job,
    for importers, several times faster.

    bulk_create prepares every value of every row through the field machinery: about 0.4 ms a row
    for the 35 columns of a Resident on a two-core server, so writing a 100,000-row import took
    longer than checking it. This takes ids from the table's sequence, passes plain values as they
    are (dates, times and JSON through the field's adapter; auto_now fields are set as save() would)
    and writes with COPY on PostgreSQL or executemany on SQLite. Like bulk_create it sends no
    signals and validates nothing. Call it inside a transaction. Other databases use bulk_create."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    if connection.vendor not in ("postgresql", "sqlite"):
        model._base_manager.bulk_create(objs, batch_size=batch_size)
        return
    fields = list(meta.concrete_fields)
    pk_name = meta.pk.attname
    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    columns = ", ".join(qn(str(f.column)) for f in fields)
    ids = _reserve_ids(connection, model, sum(1 for o in objs if o.pk is None))
    auto_now = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    row_of = operator.itemgetter(*(f.attname for f in fields))
    adapt = [
        (i, f)
        for i, f in enumerate(fields)
        if (f.target_field if f.is_relation else f).get_internal_type() not in _AS_IS
    ]
    rows: list[Any] = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_insert")  # as bulk_create: related ids
        if obj.pk is None:
            setattr(obj, pk_name, next(ids))
        for f in auto_now:
            f.pre_save(obj, add=True)
        row = list(row_of(obj.__dict__))
        for i, f in adapt:
            if row[i] is not None:
                row[i] = f.get_db_prep_save(row[i], connection)
        rows.append(row)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the DB-API cursor: with DEBUG on, Django's wrapper would log every row
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
            for start in range(0, len(rows), batch_size):
                cursor.executemany(sql, rows[start : start + batch_size])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _reserve_ids(connection: Any, model: type[Model], count: int) -> Iterator[int]:
    meta = model._meta
    if not count:
        return iter(())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Taken from the sequence, so concurrent inserts can never get the same ids.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return iter([row[0] for row in cursor.fetchall()])
        # SQLite: a writing transaction holds the database's only write lock, so the ids after the
        # highest ever used (sqlite_sequence, as AUTOINCREMENT does) are ours.
        if not connection.in_atomic_block:
            raise RuntimeError("bulk_insert must run inside a transaction on SQLite.")
        qn = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({qn(meta.pk.column)}) FROM {qn(meta.db_table)}")  # noqa: S608
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table])
        row = cursor.fetchone()
        highest = max(highest, row[0] if row else 0)
    return iter(range(highest + 1, highest + 1 + count))


def insert_rows(model: type[Model], fields: list[str], rows: Iterable[list[Any]], *, new: int) -> None:
    """Insert rows given as lists of database-ready values: the primary key first (None for a
    new row, which then takes the next of `new` ids reserved from the table's sequence, written
    back into the list), then `fields` (attnames) in order. For importers of a million records,
    where even bulk_insert's model instances cost too much. Values go to the database as they
    are: give datetimes as UTC text ("2026-12-23 16:00:00", with "+00" on PostgreSQL) and dates
    as ISO text. Call it inside a transaction. Sends no signals and validates nothing.

    `rows` may be a generator, and should be for big loads: on PostgreSQL each row is then
    worked out while the server is still storing the ones before it (COPY streams), so Python
    and PostgreSQL use both processors instead of taking turns."""
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    concrete = {f.name: f for f in meta.concrete_fields}
    columns = [str(meta.pk.column), *(str(concrete[f].column) for f in fields)]
    ids = _reserve_ids(connection, model, new)

    def with_ids() -> Iterator[list[Any]]:
        for row in rows:
            if row[0] is None:
                row[0] = next(ids)  # StopIteration here means `new` was too small: a bug
            yield row

    table = qn(meta.db_table)
    column_list = ", ".join(qn(c) for c in columns)
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if connection.vendor == "postgresql":
            # A query from inside `rows` (a lazily loaded lookup) would wait for this COPY to end,
            # and the COPY for it: fail loudly instead of hanging.
            with (
                connection.execute_wrapper(_no_queries_during_copy),
                cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy,
            ):
                write = copy.write_row
                for row in with_ids():
                    write(row)
        else:
            sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
            cursor.executemany(sql, with_ids())


def _no_queries_during_copy(*args: Any) -> Any:
    raise RuntimeError("insert_rows: the rows given made a database query while they were being written.")


def delete_ids(model: type[Model], ids: list[int], *, batch_size: int = 2000) -> None:
    """Delete rows by primary key without loading them (no signals, no cascades: for records
    nothing points at)."""
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(str(meta.pk.column))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), batch_size):
            part = ids[start : start + batch_size]
            cursor.execute(
                f"DELETE FROM {table} WHERE {pk} IN ({', '.join(['%s'] * len(part))})",  # noqa: S608
                part,
            )


def expected_headers(importer: type[Importer]) -> set[str]:
    """Every normalised name, label and alias of an importer's columns."""
    return {
        normalise_header(candidate)
        for column in importer.columns
        for candidate in (column.name, column.label, *column.aliases)
    }


def headers_key(headers: list[str]) -> str:
    return hashlib.sha256("\x1f".join(normalise_header(h) for h in headers).encode()).hexdigest()


def saved_mapping(*, organisation: Any, kind: str, headers: list[str]) -> dict[str, str] | None:
    """The columns chosen last time for a file of this kind with these column names, if any."""
    saved = ColumnMapping.objects.filter(organisation=organisation, kind=kind, headers_key=headers_key(headers)).first()
    if saved is None:
        return None
    names = {c.name for c in get_importer(kind).columns}
    mapping = {k: v for k, v in saved.mapping.items() if k in names and v in headers}
    return mapping or None


def _save_mapping(batch: ImportBatch, actor: Any) -> None:
    ColumnMapping.objects.update_or_create(
        organisation=batch.organisation,
        kind=batch.kind,
        headers_key=headers_key(batch.headers),
        defaults={
            "headers": batch.headers,
            "mapping": batch.mapping,
            "saved_by": actor if getattr(actor, "pk", None) else None,
            "saved_at": timezone.now(),
        },
    )


def suggest_mapping(headers: list[str], importer: type[Importer]) -> dict[str, str]:
    """Match each column to a header by its name, label or a known alias, ignoring case and punctuation."""
    by_key = {normalise_header(h): h for h in headers}
    mapping: dict[str, str] = {}
    for column in importer.columns:
        for candidate in (column.name, column.label, *column.aliases):
            header = by_key.get(normalise_header(candidate))
            if header is not None:
                mapping[column.name] = header
                break
    return mapping


def batch_create(*, organisation: Any, kind: str, file: File, filename: str, actor: Any) -> ImportBatch:
    importer = get_importer(kind)
    with transaction.atomic():
        batch = ImportBatch(organisation=organisation, kind=kind, original_name=filename[:255], created_by=actor)
        batch.file.save(Path(filename).name or "upload", file, save=False)
        try:
            table = open_table(Path(batch.file.path), expected_headers(importer))
            table.close()
        except ValidationError:
            batch.file.delete(save=False)
            raise
        batch.headers = table.headers
        batch.header_row = table.header_row
        batch.skipped_rows = table.skipped
        reused = saved_mapping(organisation=organisation, kind=kind, headers=table.headers)
        batch.mapping = reused or suggest_mapping(table.headers, importer)
        batch.mapping_reused = reused is not None
        batch.save()
    return batch


def _check_mapping(batch: ImportBatch, importer: type[Importer]) -> None:
    missing = [c.label for c in importer.columns if c.required and not batch.mapping.get(c.name)]
    if missing and not any(batch.mapping.values()):
        raise ImportError_(
            f"None of the column names on row {batch.header_row} of the file ({', '.join(batch.headers[:8])}) "
            f"is one we know for {importer.label.lower()}. If the column names are on another row, or spread "
            "over several merged rows, put them on one row above the data and upload the file again; "
            "otherwise choose a column in your file for: " + ", ".join(missing) + "."
        )
    if missing:
        raise ImportError_("Choose a column in your file for: " + ", ".join(missing) + ".")
    unknown = {h for h in batch.mapping.values() if h} - set(batch.headers)
    if unknown:
        raise ImportError_("These columns are not in the file: " + ", ".join(sorted(unknown)) + ".")


# The check keeps the rows it cleaned, so the commit writes exactly what the person previewed and
# does not clean every row a second time (a third of a 100,000-row commit). JSON, not pickle: the
# file is data, never code. These turn JSON strings back into what each kind of form field cleans to.
_REVIVE: tuple[tuple[type[forms.Field], Callable[[Any], Any]], ...] = (
    (forms.DateTimeField, datetime.datetime.fromisoformat),
    (forms.DateField, datetime.date.fromisoformat),
    (forms.TimeField, datetime.time.fromisoformat),
    (forms.DecimalField, decimal.Decimal),
    (forms.UUIDField, uuid.UUID),
)


def _checked_rows_path(batch: ImportBatch) -> Path:
    return Path(batch.file.path + ".checked.jsonl")


def _revivers(importer: type[Importer]) -> list[tuple[str, Callable[[Any], Any]]]:
    revivers: list[tuple[str, Callable[[Any], Any]]] = []
    if importer.row_form is None:
        return revivers  # clean_row gives JSON-ready values
    for name, field in importer.row_form.base_fields.items():
        for kind, revive in _REVIVE:
            if isinstance(field, kind):
                revivers.append((name, revive))
                break
    return revivers


def _read_checked_chunks(batch: ImportBatch, importer: type[Importer]) -> Iterator[list[dict[str, Any]]]:
    path = _checked_rows_path(batch)
    if not path.exists():
        raise ImportError_("Check the file again before importing it.")
    revivers = _revivers(importer)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            chunk: list[dict[str, Any]] = json.loads(line)
            for row in chunk:
                for name, revive in revivers:
                    if row.get(name) is not None:
                        row[name] = revive(row[name])
            yield chunk


def batch_set_mapping(*, batch: ImportBatch, mapping: dict[str, str]) -> ImportBatch:
    if batch.status == ImportBatch.Status.IMPORTED:
        raise ImportError_("This file has already been imported.")
    batch.mapping = {k: v for k, v in mapping.items() if v}
    batch.status = ImportBatch.Status.UPLOADED
    batch.save(update_fields=["mapping", "status"])
    return batch


def batch_check(*, batch: ImportBatch, actor: Any, progress: Progress | None = None) -> ImportBatch:
    """Validate every row and work out what importing would do, writing nothing but the report
    and the cleaned rows the commit will write."""
    importer_class = get_importer(batch.kind)
    _check_mapping(batch, importer_class)
    checked_path = _checked_rows_path(batch)
    # Written aside and moved into place only when the whole check succeeds, so a check that
    # fails half-way never leaves half a file for the commit.
    partial_path = checked_path.with_name(checked_path.name + ".partial")
    try:
        with transaction.atomic(), partial_path.open("w", encoding="utf-8") as checked:
            batch.row_errors.all().delete()
            outcome = check_rows(batch, importer_class, actor, checked, progress)
            importer, valid, counts = outcome.importer, outcome.valid, outcome.counts
            errors = [
                ImportRowError(batch=batch, row_number=number, values=raw, messages=messages)
                for number, raw, messages in outcome.errors
            ]
            ImportRowError.objects.bulk_create(errors, batch_size=1000)
            batch.total_rows, batch.valid_rows, batch.invalid_rows = valid + len(errors), valid, len(errors)
            batch.created_count, batch.updated_count, batch.unchanged_count = (
                counts.created,
                counts.updated,
                counts.unchanged,
            )
            batch.notes = importer.summary_notes()
            batch.status = ImportBatch.Status.CHECKED
            batch.failure = ""
            batch.save()
            _save_mapping(batch, actor)
        partial_path.replace(checked_path)
    finally:
        partial_path.unlink(missing_ok=True)
    return batch


# SQLite keeps 2 MB of the database in memory by default. Inserting a million rows into a table
# with half a dozen indexes then reads and writes index pages over and over: a 200 MB cache for
# the length of a big import more than halved its time. At 600 MB the million repairs jobs'
# pages (about 350 MB) stay in memory until the commit instead of spilling to the write-ahead log
# and being written again as they change: 48 s to 41 s into a new database. It is a ceiling:
# SQLite takes pages only as it uses them. PostgreSQL has its own shared buffers.
BIG_IMPORT_ROWS = 50_000
SQLITE_IMPORT_CACHE_KIB = 600_000


@contextlib.contextmanager
def _page_cache(rows: int) -> Iterator[None]:
    connection = connections["default"]
    if connection.vendor != "sqlite" or rows < BIG_IMPORT_ROWS:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def batch_commit(*, batch: ImportBatch, actor: Any, valid_only: bool, progress: Progress | None = None) -> ImportBatch:
    """Write the rows the check cleaned, in one transaction. Safe to call twice: the second call
    changes nothing. Whether each row is new, changed or unchanged is decided again here, against
    the records as they are now."""
    importer_class = get_importer(batch.kind)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status == ImportBatch.Status.IMPORTED:
            return batch
        if batch.status != ImportBatch.Status.CHECKED:
            raise ImportError_("Check the file before importing it.")
        if batch.invalid_rows and not valid_only:
            raise ImportError_(
                f"{batch.invalid_rows:,} rows have errors, so nothing was imported. Correct them and upload the "
                "file again, or choose to import only the valid rows."
            )
        _check_mapping(batch, importer_class)
        importer = importer_class(organisation=batch.organisation, actor=actor, batch=batch)
        with _page_cache(batch.total_rows):
            counts = importer.commit_checked(lambda: _read_checked_chunks(batch, importer_class), progress)
            importer.finish(counts)
        batch.created_count, batch.updated_count, batch.unchanged_count = (
            counts.created,
            counts.updated,
            counts.unchanged,
        )
        batch.valid_only = valid_only
        batch.status = ImportBatch.Status.IMPORTED
        batch.imported_at = timezone.now()
        batch.save()
        checked_path = _checked_rows_path(batch)
        transaction.on_commit(lambda: checked_path.unlink(missing_ok=True))
    return batch


def rejected_rows_csv(*, batch: ImportBatch) -> str:
    """The rejected rows as the user uploaded them, plus a column saying what was wrong."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Row", *batch.headers, "What is wrong"])
    for error in batch.row_errors.iterator(chunk_size=2000):
        writer.writerow([error.row_number, *(error.values.get(h, "") for h in batch.headers), " ".join(error.messages)])
    return out.getvalue()
