"""Services of the import pipeline. Each owns its transaction."""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
import operator
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from core.imports.base import CommitCounts, Importer, get_importer, normalise_header
from core.imports.readers import read_table
from core.models import ImportBatch, ImportRowError

Progress = Callable[[int], None]


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
            headers, rows = read_table(Path(batch.file.path))
            rows.close()  # type: ignore[attr-defined]
        except ValidationError:
            batch.file.delete(save=False)
            raise
        batch.headers = headers
        batch.mapping = suggest_mapping(headers, importer)
        batch.save()
    return batch


def _check_mapping(batch: ImportBatch, importer: type[Importer]) -> None:
    missing = [c.label for c in importer.columns if c.required and not batch.mapping.get(c.name)]
    if missing:
        raise ImportError_("Choose a column in your file for: " + ", ".join(missing) + ".")
    unknown = {h for h in batch.mapping.values() if h} - set(batch.headers)
    if unknown:
        raise ImportError_("These columns are not in the file: " + ", ".join(sorted(unknown)) + ".")


def _validated_rows(
    batch: ImportBatch, importer: Importer, on_error: Callable[[int, dict[str, str], list[str]], None]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Clean every row with the importer's form; report each bad row with every reason."""
    headers, rows = read_table(Path(batch.file.path))
    labels = {c.name: c.label for c in importer.columns}
    mapping = {name: header for name, header in batch.mapping.items() if header}
    form_class = importer.row_form
    form_kwargs = importer.form_kwargs()
    key_field = importer.key_field
    first_seen: dict[Any, int] = {}
    # One form, bound afresh to each row: constructing a form deep-copies every field and widget,
    # which was half the time of checking a 100,000-row file. So a row form must keep no state
    # between rows (full_clean starts each row with new errors and cleaned_data).
    form = form_class(data={}, **form_kwargs)
    for number, raw in rows:
        form.data = {name: raw.get(header, "") for name, header in mapping.items()}
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
            on_error(
                number, raw, [f"{labels[key_field]}: {key} is also on row {first_seen[key]}; each may appear once."]
            )
            continue
        first_seen[key] = number
        yield number, form.cleaned_data


def _chunks(rows: Iterator[tuple[int, dict[str, Any]]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for _, row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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
    revivers = []
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
    importer = importer_class(organisation=batch.organisation, actor=actor, batch=batch)
    errors: list[ImportRowError] = []
    valid = 0

    def on_error(number: int, raw: dict[str, str], messages: list[str]) -> None:
        errors.append(ImportRowError(batch=batch, row_number=number, values=raw, messages=messages))

    counts = CommitCounts()
    checked_path = _checked_rows_path(batch)
    # Written aside and moved into place only when the whole check succeeds, so a check that
    # fails half-way never leaves half a file for the commit.
    partial_path = checked_path.with_name(checked_path.name + ".partial")
    try:
        with transaction.atomic(), partial_path.open("w", encoding="utf-8") as checked:
            batch.row_errors.all().delete()
            for chunk in _chunks(_validated_rows(batch, importer, on_error), importer.chunk_size):
                valid += len(chunk)
                # Written before the dry run, in case an importer adds to the rows it is given.
                checked.write(json.dumps(chunk, cls=DjangoJSONEncoder, separators=(",", ":")) + "\n")
                counts.add(importer.commit_chunk(chunk, dry_run=True))
                if progress:
                    progress(valid + len(errors))
            ImportRowError.objects.bulk_create(errors, batch_size=1000)
            batch.total_rows, batch.valid_rows, batch.invalid_rows = valid + len(errors), valid, len(errors)
            batch.created_count, batch.updated_count, batch.unchanged_count = (
                counts.created,
                counts.updated,
                counts.unchanged,
            )
            batch.status = ImportBatch.Status.CHECKED
            batch.failure = ""
            batch.save()
        partial_path.replace(checked_path)
    finally:
        partial_path.unlink(missing_ok=True)
    return batch


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
        counts = CommitCounts()
        done = 0
        for chunk in _read_checked_chunks(batch, importer_class):
            counts.add(importer.commit_chunk(chunk, dry_run=False))
            done += len(chunk)
            if progress:
                progress(done)
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
