"""Services of the import pipeline. Each owns its transaction."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core.imports.base import CommitCounts, Importer, get_importer, normalise_header
from core.imports.readers import read_table
from core.models import ImportBatch, ImportRowError

Progress = Callable[[int], None]


class ImportError_(Exception):
    """An import that cannot go ahead, with a message for the person running it."""


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
    for number, raw in rows:
        form = form_class(data={name: raw.get(header, "") for name, header in mapping.items()}, **form_kwargs)
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


def batch_set_mapping(*, batch: ImportBatch, mapping: dict[str, str]) -> ImportBatch:
    if batch.status == ImportBatch.Status.IMPORTED:
        raise ImportError_("This file has already been imported.")
    batch.mapping = {k: v for k, v in mapping.items() if v}
    batch.status = ImportBatch.Status.UPLOADED
    batch.save(update_fields=["mapping", "status"])
    return batch


def batch_check(*, batch: ImportBatch, actor: Any, progress: Progress | None = None) -> ImportBatch:
    """Validate every row and work out what importing would do, writing nothing but the report."""
    importer_class = get_importer(batch.kind)
    _check_mapping(batch, importer_class)
    importer = importer_class(organisation=batch.organisation, actor=actor, batch=batch)
    errors: list[ImportRowError] = []
    total = valid = 0

    def on_error(number: int, raw: dict[str, str], messages: list[str]) -> None:
        errors.append(ImportRowError(batch=batch, row_number=number, values=raw, messages=messages))

    counts = CommitCounts()
    with transaction.atomic():
        batch.row_errors.all().delete()
        for chunk in _chunks(_validated_rows(batch, importer, on_error), importer.chunk_size):
            valid += len(chunk)
            counts.add(importer.commit_chunk(chunk, dry_run=True))
            if progress:
                progress(valid + len(errors))
        total = valid + len(errors)
        ImportRowError.objects.bulk_create(errors, batch_size=1000)
        batch.total_rows, batch.valid_rows, batch.invalid_rows = total, valid, len(errors)
        batch.created_count, batch.updated_count, batch.unchanged_count = (
            counts.created,
            counts.updated,
            counts.unchanged,
        )
        batch.status = ImportBatch.Status.CHECKED
        batch.failure = ""
        batch.save()
    return batch


def batch_commit(*, batch: ImportBatch, actor: Any, valid_only: bool, progress: Progress | None = None) -> ImportBatch:
    """Write the rows in one transaction. Safe to call twice: the second call changes nothing."""
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
        new_errors = 0

        def on_error(number: int, raw: dict[str, str], messages: list[str]) -> None:
            nonlocal new_errors
            new_errors += 1

        counts = CommitCounts()
        done = 0
        for chunk in _chunks(_validated_rows(batch, importer, on_error), importer.chunk_size):
            counts.add(importer.commit_chunk(chunk, dry_run=False))
            done += len(chunk)
            if progress:
                progress(done)
        if new_errors != batch.invalid_rows:
            # The data the rows depend on changed since the check; make the person look again.
            transaction.set_rollback(True)
            raise ImportError_("The records changed since this file was checked. Check it again before importing.")
        batch.created_count, batch.updated_count, batch.unchanged_count = (
            counts.created,
            counts.updated,
            counts.unchanged,
        )
        batch.valid_only = valid_only
        batch.status = ImportBatch.Status.IMPORTED
        batch.imported_at = timezone.now()
        batch.save()
    return batch


def rejected_rows_csv(*, batch: ImportBatch) -> str:
    """The rejected rows as the user uploaded them, plus a column saying what was wrong."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Row", *batch.headers, "What is wrong"])
    for error in batch.row_errors.iterator(chunk_size=2000):
        writer.writerow([error.row_number, *(error.values.get(h, "") for h in batch.headers), " ".join(error.messages)])
    return out.getvalue()
